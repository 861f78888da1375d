import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { evaluateAudit, type AllowedAdvisory } from './audit-report.js';

/**
 * The dependency gate of CI: `npm audit --omit=dev` at high severity, with the
 * allow-list in audit-allowlist.json. Exits 1 on a finding nobody allowed.
 * A registry that does not serve advisories (some mirrors answer 405) is
 * reported loudly and passes, unless AUDIT_REQUIRED=1: CI on such a network
 * cannot know, and failing every run would teach people to ignore the gate.
 */
const THRESHOLD = 'high';
const root = process.cwd();

const allowList = JSON.parse(readFileSync(path.join(root, 'audit-allowlist.json'), 'utf8')) as { advisories: AllowedAdvisory[] };
// npm audit exits non-zero when it finds anything; the JSON says what.
const output = await promisify(execFile)('npm', ['audit', '--omit=dev', '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).then(
  (result) => result.stdout,
  (error: { stdout?: string }) => error.stdout ?? '',
);
const verdict = evaluateAudit(output, THRESHOLD, allowList.advisories, new Date());

if (verdict.kind === 'unavailable') {
  console.log(`dependency audit: NOT CHECKED: the registry gave no advisories (${verdict.why}).`);
  process.exit(process.env['AUDIT_REQUIRED'] === '1' ? 1 : 0);
}
for (const entry of verdict.expired) console.log(`dependency audit: allow-list entry expired on ${entry.until}, look again: ${entry.advisory}`);
for (const finding of verdict.allowed) console.log(`dependency audit: allowed: ${finding.package} (${finding.severity}) ${finding.title} ${finding.advisory}`);
for (const finding of verdict.failing) console.log(`dependency audit: FAILING: ${finding.package} ${finding.range} (${finding.severity}) ${finding.title} ${finding.advisory}`);
console.log(`dependency audit: ${verdict.failing.length} ${THRESHOLD}-or-worse advisories in production dependencies not allowed, ${verdict.allowed.length} allowed.`);
process.exit(verdict.failing.length > 0 ? 1 : 0);
