import { describe, it, expect } from '@jest/globals';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ALL_EVENTS, Consumers, DeadLetterConsumers, DeadLetterStreams, Streams } from '#contracts';

/**
 * Invariant 7: subjects, stream names and durable names are spelled only in
 * libs/contracts. An app that writes 'payments.succeeded' itself would keep
 * compiling after the contract changed, and silently stop receiving events.
 */
const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.spec.ts') ? [full] : [];
  });
}

const spelled = [
  ...ALL_EVENTS.map((e) => e.subject),
  ...Object.values(Streams).flatMap((s) => [s.name, ...s.subjects]),
  ...Object.values(Consumers).map((c) => c.durable),
  ...Object.values(DeadLetterStreams).flatMap((s) => [s.name, ...s.subjects]),
  ...Object.values(DeadLetterConsumers).flatMap((c) => [c.durable, c.filterSubject]),
];

describe('contracts live in libs/contracts only', () => {
  const files = [...sourceFiles(path.join(root, 'apps')), ...sourceFiles(path.join(root, 'libs'))].filter(
    (file) => !file.includes(`${path.sep}libs${path.sep}contracts${path.sep}`),
  );

  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(spelled)('no app or library spells %s as a string', (name) => {
    const offenders = files.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return [`'${name}'`, `"${name}"`, `\`${name}\``].some((quoted) => text.includes(quoted));
    });
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
