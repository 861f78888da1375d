import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/deploy/support/paths.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const chartDir = path.join(repoRoot, 'helm/order-pipeline');

export function repoPath(...segments: string[]): string {
  return path.join(repoRoot, ...segments);
}
