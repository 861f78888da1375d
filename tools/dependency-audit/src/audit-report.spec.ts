import { describe, it, expect } from '@jest/globals';
import { evaluateAudit } from './audit-report.js';

const advisory = (name: string, severity: string, id: string) => ({
  source: 1,
  name,
  dependency: name,
  title: `${name} is vulnerable`,
  url: `https://github.com/advisories/${id}`,
  severity,
  range: '<2.0.0',
});

const report = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    lodash: { name: 'lodash', severity: 'critical', via: [advisory('lodash', 'critical', 'GHSA-aaaa')] },
    // A package listed only because it depends on lodash: the advisory counts once.
    'uses-lodash': { name: 'uses-lodash', severity: 'critical', via: ['lodash'] },
    qs: { name: 'qs', severity: 'high', via: [advisory('qs', 'high', 'GHSA-bbbb')] },
    ms: { name: 'ms', severity: 'moderate', via: [advisory('ms', 'moderate', 'GHSA-cccc')] },
  },
});
const today = new Date('2026-12-01');

describe('evaluateAudit', () => {
  it('fails on each high or critical advisory once, and ignores lower ones', () => {
    const verdict = evaluateAudit(report, 'high', [], today);
    expect(verdict.kind === 'checked' && verdict.failing.map((f) => f.advisory)).toEqual([
      'https://github.com/advisories/GHSA-aaaa',
      'https://github.com/advisories/GHSA-bbbb',
    ]);
  });

  it('lets an allow-listed advisory pass until its date, then counts it again', () => {
    const entry = { advisory: 'https://github.com/advisories/GHSA-bbbb', reason: 'only in a CLI path we never call', until: '2027-01-01' };
    const now = evaluateAudit(report, 'high', [entry], today);
    expect(now).toMatchObject({ kind: 'checked', allowed: [{ package: 'qs' }], expired: [] });
    expect(now.kind === 'checked' && now.failing.map((f) => f.package)).toEqual(['lodash']);
    const later = evaluateAudit(report, 'high', [entry], new Date('2027-02-01'));
    expect(later).toMatchObject({ kind: 'checked', allowed: [], expired: [entry] });
  });

  it('says when the registry could not be asked', () => {
    const refused = JSON.stringify({ statusCode: 405, message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk' });
    expect(evaluateAudit(refused, 'high', [], today)).toEqual({ kind: 'unavailable', why: expect.stringContaining('405') });
    expect(evaluateAudit('oops', 'high', [], today).kind).toBe('unavailable');
  });

  it('passes a clean report', () => {
    expect(evaluateAudit(JSON.stringify({ auditReportVersion: 2, vulnerabilities: {} }), 'high', [], today)).toEqual({
      kind: 'checked',
      failing: [],
      allowed: [],
      expired: [],
    });
  });
});
