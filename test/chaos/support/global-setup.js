import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHAOS_SUMMARY_FILE_ENV } from './summary-file.js';

/** Names the summary file before Jest starts its workers, which inherit the environment. */
export default function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-pipeline-chaos-summary-'));
  process.env[CHAOS_SUMMARY_FILE_ENV] = path.join(dir, 'summary.txt');
}
