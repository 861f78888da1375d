import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Collects the one-line summary of every scenario (written by the test files,
 * which run in workers) and prints them together at the end, so a run ends
 * with the figures in one place.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'order-pipeline-chaos-summary-'));
  const file = path.join(dir, 'summary.txt');
  project.provide('chaosSummaryFile', file);
  return () => {
    let lines = '';
    try {
      lines = readFileSync(file, 'utf8');
    } catch {
      // no scenario got as far as a summary
    }
    rmSync(dir, { recursive: true, force: true });
    if (lines) process.stdout.write(`\nChaos scenarios (one line each):\n${lines}\n`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    chaosSummaryFile: string;
  }
}
