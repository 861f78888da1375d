import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { parse } from 'yaml';
import { lint, stageChart, template, type ValueSet } from './support/helm.js';
import { chartDir } from './support/paths.js';

const schema = JSON.parse(readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8')) as object;
const defaults = parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;

let staged: ReturnType<typeof stageChart>;
beforeAll(() => {
  staged = stageChart();
});
afterAll(() => staged?.cleanup());

/**
 * Wrong values and the message Helm stops with. For the schema's checks the
 * message names the value's path and the problem; its wording depends on the
 * Helm release (3.10's `ordersApi: Additional property replicas is not
 * allowed`, later releases' `at '/ordersApi': additional properties
 * 'replicas' not allowed`), so either form is accepted. Rules across values
 * are the chart's own `fail` messages, matched exactly.
 */
const schemaViolations: [string, ValueSet, string, RegExp][] = [
  ['a misspelt key', { set: ['ordersApi.replicas=3'] }, 'ordersApi', /additional propert(y|ies) '?replicas'? (is )?not allowed/i],
  ['an unknown top-level key', { set: ['replicaCount=3'] }, '', /additional propert(y|ies) '?replicaCount'? (is )?not allowed/i],
  ['a pull policy that does not exist', { set: ['image.pullPolicy=Sometimes'] }, 'image.pullPolicy', /must be one of/i],
  ['a negative replica count', { set: ['payments.replicaCount=-1'] }, 'payments.replicaCount', /greater than or equal to 0|minimum/i],
  ['a rate above 1', { set: ['payments.gateway.successRate=1.5'] }, 'payments.gateway.successRate', /pattern|oneOf|one and only one/i],
  ['a memory size Kubernetes does not know', { set: ['shipments.resources.limits.memory=512MB'] }, 'shipments.resources.limits.memory', /pattern/i],
  ['a NATS URL with the wrong scheme', { set: ['externalNats.url=http://nats:4222'] }, 'externalNats.url', /pattern/i],
  ['a string where a number belongs', { values: { config: { databasePoolSize: 'ten' } } }, 'config.databasePoolSize', /integer/i],
  ['a Service type that does not exist', { set: ['ordersApi.service.type=Internal'] }, 'ordersApi.service.type', /must be one of/i],
];

const ruleViolations: [string, ValueSet, RegExp][] = [
  [
    'a grace period shorter than the drain',
    { set: ['terminationGracePeriodSeconds=20'] },
    /terminationGracePeriodSeconds \(20\) must be longer than preStopSleepSeconds \(5\) plus the services' drain time \(20 s\): set it above 25/,
  ],
  ['no database at all', { set: ['externalDatabase.existingSecret='] }, /No PostgreSQL: set externalDatabase\.existingSecret/],
  [
    'min replicas above max',
    { set: ['shipments.autoscaling.minReplicas=5', 'shipments.autoscaling.maxReplicas=3'] },
    /shipments\.autoscaling\.minReplicas \(5\) is greater than shipments\.autoscaling\.maxReplicas \(3\)/,
  ],
  [
    'both PodDisruptionBudget bounds',
    { set: ['ordersApi.podDisruptionBudget.minAvailable=1'] },
    /ordersApi\.podDisruptionBudget: set exactly one of maxUnavailable and minAvailable/,
  ],
  ['an Ingress without hosts', { values: { ordersApi: { ingress: { enabled: true, hosts: [] } } } }, /ordersApi\.ingress\.enabled=true needs at least one entry/],
  [
    'NATS users without their passwords',
    { set: ['natsCredentials.existingSecret='] },
    /No NATS passwords: set natsCredentials\.existingSecret \(a Secret with one key per service\), natsCredentials\.passwords, or natsCredentials\.enabled=false/,
  ],
  [
    'NATS passwords as values for some services only',
    { values: { natsCredentials: { passwords: { payments: 'p' } } } },
    /natsCredentials\.passwords has no password for (.*, )?orders-api, (.*, )?shipments: give one per service/,
  ],
];

/** `a.b.c` as Helm 3.10 prints a value's path, or `/a/b/c` as later releases do. */
function mentionsPath(message: string, dotted: string): boolean {
  if (dotted === '') return /\(root\)|at ''/.test(message);
  return message.includes(`${dotted}:`) || message.includes(`${dotted} must`) || message.includes(`'/${dotted.replaceAll('.', '/')}'`);
}

describe('values.schema.json', () => {
  it('is a valid draft-07 schema that the default values satisfy', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    const validate = ajv.compile(schema);
    // On failure the diff lists the schema's errors.
    expect({ valid: validate(defaults), errors: validate.errors }).toEqual({ valid: true, errors: null });
  });

  it.each(schemaViolations)('stops the install on %s, naming the value and the problem', async (_, values, valuePath, problem) => {
    const result = await template(staged.dir, values);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    const lines = result.stderr.split('\n').filter((line) => mentionsPath(line, valuePath) && problem.test(line));
    expect({ lines, stderr: result.stderr }).not.toMatchObject({ lines: [] });
  });

  it.each(ruleViolations)('stops the install on %s, with a sentence naming the value', async (_, values, message) => {
    const result = await template(staged.dir, values);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('fails helm lint too', async () => {
    const result = await lint(staged.dir, { set: ['ordersApi.replicas=3'] });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/additional propert(y|ies) '?replicas'? (is )?not allowed/i);
  });

  it('accepts a rate given with --set, which keeps decimals as strings', async () => {
    const result = await template(staged.dir, { set: ['payments.gateway.errorRate=0.25'] });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('PAYMENT_GATEWAY_ERROR_RATE: "0.25"');
  });
});

describe('the chart README', () => {
  const readme = readFileSync(path.join(chartDir, 'README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]!);

  /** Paths of the leaves of values.yaml, stopping at maps and lists that are values themselves. */
  function leaves(value: unknown, at: string[] = []): string[] {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
      return [at.join('.')];
    }
    return Object.entries(value).flatMap(([key, child]) => leaves(child, [...at, key]));
  }

  it('documents every value in its table (the value itself, a parent, or a `service.*` row)', () => {
    const isDocumented = (leaf: string) =>
      documented.some((row) => {
        if (row.endsWith('.*')) return leaf.startsWith(row.slice(0, -1));
        return leaf === row || leaf.startsWith(`${row}.`);
      });
    expect(leaves(defaults).filter((leaf) => !isDocumented(leaf))).toEqual([]);
  });

  it('documents no value that does not exist', () => {
    const all = new Set(leaves(defaults));
    const exists = (row: string) =>
      row.endsWith('.*') ? defaults[row.slice(0, -2)] !== undefined : [...all].some((leaf) => leaf === row || leaf.startsWith(`${row}.`));
    expect(documented.filter((row) => !exists(row))).toEqual([]);
  });
});
