import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALL_SCOPES, type Scope } from './scopes.js';

/** The header clients send their key in. */
export const API_KEY_HEADER = 'X-API-Key';

/** Shorter keys are refused at start-up: a key is a secret, not a password someone types. */
export const MIN_API_KEY_LENGTH = 32;
/** Longer presented keys are refused without hashing them. */
export const MAX_API_KEY_LENGTH = 256;

export interface ApiClient {
  /** Who the key belongs to: in logs, metrics and rate limits instead of the key. */
  name: string;
  scopes: ReadonlySet<Scope>;
}

const apiKeyEntry = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a name: lower-case letters, digits, ".", "_" and "-"'),
  key: z.string().min(MIN_API_KEY_LENGTH).max(MAX_API_KEY_LENGTH).regex(/^[\x21-\x7e]+$/, 'visible ASCII characters'),
  scopes: z.array(z.enum(ALL_SCOPES)).min(1),
});

export type ApiKeyEntry = z.infer<typeof apiKeyEntry>;

/**
 * API_KEYS: a JSON array of `{ "name", "key", "scopes": [...] }`. Required:
 * a service that serves the API refuses to start without keys rather than
 * serving it open. Names and keys must be unique.
 */
export const apiKeysEnv = z
  .string({ error: 'API_KEYS is required: a JSON array of {"name","key","scopes"} (see docs/configuration.md)' })
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'API_KEYS is not valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(apiKeyEntry)
      .min(1)
      .refine((entries) => new Set(entries.map((e) => e.name)).size === entries.length, 'API key names must be unique')
      .refine((entries) => new Set(entries.map((e) => e.key)).size === entries.length, 'API keys must be unique'),
  );

/**
 * The configured keys, looked up by their SHA-256: the lookup takes the same
 * time whichever characters of a guess are right, and the keys themselves are
 * not kept once hashed.
 */
export class ApiKeyRegistry {
  private readonly clients = new Map<string, ApiClient>();

  constructor(entries: readonly ApiKeyEntry[]) {
    for (const entry of entries) this.clients.set(digest(entry.key), { name: entry.name, scopes: new Set(entry.scopes) });
  }

  /** The client a presented key belongs to, or undefined. */
  identify(presented: string): ApiClient | undefined {
    if (presented.length > MAX_API_KEY_LENGTH) return undefined;
    return this.clients.get(digest(presented));
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}
