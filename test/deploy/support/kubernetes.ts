import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Manifest } from './helm.js';

/**
 * Validation of rendered manifests against the Kubernetes API schemas, offline,
 * with the validators that the kubernetes-models package generates from the
 * Kubernetes OpenAPI document (one per kind and version).
 *
 * Those validators check types, required fields, enums and formats, but, like
 * the OpenAPI document itself, they let unknown fields through, and the API
 * server would then drop a misspelt field (say `readinesProbe`) with at most a
 * warning. So validation also records which fields the validator looked at:
 * a field of an object whose schema lists properties, that the validator
 * never read, is unknown to Kubernetes and reported (objects whose schema is
 * a map, such as labels, are read by enumeration and exempt).
 */

const require = createRequire(import.meta.url);
const modelsDir = path.dirname(require.resolve('kubernetes-models'));

type ValidateFunction = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] | null;
};

/** apiVersion "apps/v1", kind "Deployment" -> IoK8sApiAppsV1Deployment. */
function schemaName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const groupName = group!.split('.')[0]!;
  const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  return `IoK8sApi${capitalize(groupName)}${capitalize(version!)}${kind}`;
}

function validatorFor(apiVersion: string, kind: string): ValidateFunction {
  const file = path.join(modelsDir, '_schemas', `${schemaName(apiVersion, kind)}.js`);
  if (!existsSync(file)) throw new Error(`kubernetes-models has no schema for ${apiVersion} ${kind} (${file})`);
  return (require(file) as { validate: ValidateFunction }).validate;
}

export interface ValidationReport {
  errors: string[];
  unknownFields: string[];
}

export function validateManifest(manifest: Manifest): ValidationReport {
  const validate = validatorFor(manifest.apiVersion, manifest.kind);
  const reads = new Map<object, { at: string; read: Set<string>; enumerated: boolean }>();
  const proxies = new WeakMap<object, object>();
  const watch = (value: unknown, at: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    const record = { at, read: new Set<string>(), enumerated: false };
    reads.set(value, record);
    const note = (key: string | symbol) => {
      if (typeof key === 'string') record.read.add(key);
    };
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        note(key);
        const child: unknown = Reflect.get(target, key, receiver);
        return typeof key === 'string' && Object.hasOwn(target, key) ? watch(child, `${at}/${key}`) : child;
      },
      has(target, key) {
        note(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        note(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  const valid = validate(watch(structuredClone(manifest), ''));
  const errors = valid
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
  const unknownFields: string[] = [];
  for (const [object, record] of reads) {
    if (Array.isArray(object) || record.enumerated || record.read.size === 0) continue;
    for (const key of Object.keys(object)) if (!record.read.has(key)) unknownFields.push(`${record.at}/${key}`);
  }
  return { errors, unknownFields };
}

/** Every problem in a set of manifests, as "Kind/name: problem" lines. */
export function validateAll(manifests: Manifest[]): string[] {
  return manifests.flatMap((manifest) => {
    const { errors, unknownFields } = validateManifest(manifest);
    const where = `${manifest.kind}/${manifest.metadata.name}`;
    return [...errors.map((error) => `${where}: ${error}`), ...unknownFields.map((field) => `${where}: unknown field ${field}`)];
  });
}
