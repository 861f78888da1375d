import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CHAOS_SUMMARY_FILE_ENV } from './summary-file.js';

/** Prints every scenario's summary line together, then removes the file. */
export default function teardown() {
  const file = process.env[CHAOS_SUMMARY_FILE_ENV];
  if (!file) return;
  let lines = '';
  try {
    lines = readFileSync(file, 'utf8');
  } catch {
    // no scenario got as far as a summary
  }
  rmSync(path.dirname(file), { recursive: true, force: true });
  if (lines) process.stdout.write(`\nChaos scenarios (one line each):\n${lines}\n`);
}
