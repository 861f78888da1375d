import type { Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { API_PREFIX, type ApiDocsOptions } from './api-http.js';

/** A service's share of the public REST API: how its document describes it and the modules whose controllers serve it. */
export interface PublicApi {
  readonly service: string;
  readonly docs: ApiDocsOptions;
  /**
   * The feature modules holding the HTTP controllers, not the service's root
   * module: that one reads the environment and connects when it is imported.
   */
  readonly modules: readonly Type<unknown>[];
}

/** The vendor extension on every operation of the public document naming the service that answers it. */
export const SERVED_BY = 'x-served-by';

export interface DescribedApi {
  readonly service: string;
  readonly document: OpenAPIObject;
}

/**
 * One document for the whole public API: the edge's own document (its routes,
 * health and metrics included) with the /api/v1 routes of the services behind
 * it, each operation marked with the service that answers it. Two services
 * describing one path, or one schema name two ways, is a build error rather
 * than a silent overwrite.
 */
export function mergeApiDocuments(edge: DescribedApi, upstreams: readonly DescribedApi[], info: OpenAPIObject['info']): OpenAPIObject {
  const merged: OpenAPIObject = {
    ...edge.document,
    info,
    paths: markServedBy(edge.document.paths, edge.service),
    tags: [...(edge.document.tags ?? [])],
    components: { ...edge.document.components, schemas: { ...edge.document.components?.schemas } },
  };
  const pathOwners = new Map(Object.keys(merged.paths).map((path) => [path, edge.service]));
  const schemaOwners = new Map(Object.keys(merged.components!.schemas!).map((name) => [name, edge.service]));
  for (const upstream of upstreams) {
    for (const [path, item] of Object.entries(upstream.document.paths)) {
      if (!path.startsWith(`/${API_PREFIX}/`)) continue; // its health and metrics are its own, not the public API's
      const owner = pathOwners.get(path);
      if (owner) throw new Error(`${path} is described by both ${owner} and ${upstream.service}`);
      pathOwners.set(path, upstream.service);
      merged.paths[path] = markServedBy({ [path]: item }, upstream.service)[path]!;
    }
    for (const [name, schema] of Object.entries(upstream.document.components?.schemas ?? {})) {
      const existing = merged.components!.schemas![name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
        throw new Error(`schema ${name} is described one way by ${schemaOwners.get(name)} and another by ${upstream.service}`);
      }
      merged.components!.schemas![name] = schema;
      schemaOwners.set(name, schemaOwners.get(name) ?? upstream.service);
    }
    for (const tag of upstream.document.tags ?? []) {
      if (!merged.tags!.some((known) => known.name === tag.name)) merged.tags!.push(tag);
    }
  }
  return merged;
}

function markServedBy(paths: OpenAPIObject['paths'], service: string): OpenAPIObject['paths'] {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => [
          method,
          isOperation(method, operation) ? { ...operation, [SERVED_BY]: service } : operation,
        ]),
      ),
    ]),
  );
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function isOperation(method: string, value: unknown): value is object {
  return HTTP_METHODS.has(method) && typeof value === 'object' && value !== null;
}

/**
 * A merged document split back into the shares of the services that answer
 * it (by SERVED_BY), leaving one out: the edge re-describes its own routes
 * live and takes the others' from the document the build wrote.
 */
export function upstreamSharesOf(document: OpenAPIObject, except: string): DescribedApi[] {
  const byService = new Map<string, OpenAPIObject['paths']>();
  for (const [path, item] of Object.entries(document.paths)) {
    const service = Object.values(item).find((operation): operation is Record<string, unknown> => isServedBy(operation))?.[SERVED_BY];
    if (typeof service !== 'string' || service === except) continue;
    byService.set(service, { ...byService.get(service), [path]: item });
  }
  return [...byService].map(([service, paths]) => ({ service, document: { ...document, paths } }));
}

function isServedBy(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && SERVED_BY in value;
}
