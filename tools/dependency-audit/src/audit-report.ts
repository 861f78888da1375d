/**
 * What `npm audit --json` reports, reduced to what the gate decides on, and
 * the decision: every advisory at or above the threshold in a production
 * dependency fails the gate unless the allow-list names it, with a reason
 * and a date by which to look again.
 */

export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';
const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'moderate', 'high', 'critical'];

/** One advisory of `npm audit --json` (auditReportVersion 2): an entry of a vulnerability's `via`. */
interface Advisory {
  source: number;
  name: string;
  title: string;
  url: string;
  severity: Severity;
  range: string;
}

interface AuditJson {
  auditReportVersion?: number;
  vulnerabilities?: Record<string, { name: string; severity: Severity; via: Array<Advisory | string> }>;
  /** Set when the registry could not be asked (npm prints the HTTP error as JSON). */
  statusCode?: number;
  message?: string;
}

export interface AllowedAdvisory {
  /** The advisory's URL (https://github.com/advisories/GHSA-...), as npm audit prints it. */
  advisory: string;
  /** Why it cannot be fixed now, and why it does not matter here. */
  reason: string;
  /** ISO date after which the entry no longer counts: it must be looked at again. */
  until: string;
}

export interface Finding {
  package: string;
  severity: Severity;
  title: string;
  advisory: string;
  range: string;
}

export type AuditVerdict =
  | { kind: 'unavailable'; why: string }
  | { kind: 'checked'; failing: Finding[]; allowed: Finding[]; expired: AllowedAdvisory[] };

export function evaluateAudit(output: string, threshold: Severity, allowList: readonly AllowedAdvisory[], today: Date): AuditVerdict {
  let report: AuditJson;
  try {
    report = JSON.parse(output) as AuditJson;
  } catch {
    return { kind: 'unavailable', why: 'npm audit did not print JSON' };
  }
  if (!report.vulnerabilities) return { kind: 'unavailable', why: report.message ?? `no report (HTTP ${report.statusCode ?? '?'})` };
  const current = allowList.filter((entry) => new Date(entry.until) >= today);
  const expired = allowList.filter((entry) => new Date(entry.until) < today);
  const allowedUrls = new Set(current.map((entry) => entry.advisory));
  const findings = uniqueFindings(report).filter((finding) => atLeast(finding.severity, threshold));
  return {
    kind: 'checked',
    failing: findings.filter((finding) => !allowedUrls.has(finding.advisory)),
    allowed: findings.filter((finding) => allowedUrls.has(finding.advisory)),
    expired,
  };
}

/** Each advisory once, at the package it is in (npm also lists every package that depends on it). */
function uniqueFindings(report: AuditJson): Finding[] {
  const byUrl = new Map<string, Finding>();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string') continue;
      byUrl.set(`${via.url} ${via.name}`, { package: via.name, severity: via.severity, title: via.title, advisory: via.url, range: via.range });
    }
  }
  return [...byUrl.values()];
}

function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) >= SEVERITY_ORDER.indexOf(threshold);
}
