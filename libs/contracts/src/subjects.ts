/**
 * True when `filter` (a subject that may hold `*` for one token and end in
 * `>` for one or more) matches the literal `subject`, as NATS matches them.
 * (schematics/service-app/contracts.js has the same function: the schematic
 * reads the contracts as text and cannot import TypeScript.)
 */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}
