import { KvWatchInclude, type KV, type KvEntry } from '@nats-io/kv';

/** What the comparison of the order-state mirror looks at in an entry: the order's state and version. */
export interface MirrorEntry {
  state: string | null;
  version: number;
}

/** An entry of a bucket as read: also its revision, for a compare-and-set over it. */
export interface BucketEntry extends MirrorEntry {
  revision: number;
}

/** The state and version of a mirrored order view; an entry that is not one reads as version -1 (older than any). */
export function mirrorEntryOf(entry: Pick<KvEntry, 'json'>): MirrorEntry {
  try {
    const { state, version } = entry.json<{ state?: unknown; version?: unknown }>();
    return { state: typeof state === 'string' ? state : null, version: typeof version === 'number' ? version : -1 };
  } catch {
    return { state: null, version: -1 };
  }
}

/** A key's live entry, if it holds a value (a deleted or purged key holds none). */
export function liveEntryOf(entry: KvEntry | null): BucketEntry | undefined {
  return entry && entry.operation === 'PUT' ? { ...mirrorEntryOf(entry), revision: entry.revision } : undefined;
}

/** Every key of a bucket that holds a value, with its latest entry: one pass over the bucket's stream (a watch of the last values). */
export async function bucketEntries(kv: KV): Promise<Map<string, BucketEntry>> {
  const entries = new Map<string, BucketEntry>();
  if ((await kv.status()).values === 0) return entries;
  const watch = await kv.watch({ include: KvWatchInclude.LastValue });
  for await (const entry of watch) {
    const live = liveEntryOf(entry);
    if (live) entries.set(entry.key, live);
    else entries.delete(entry.key);
    if (!entry.delta) break; // the last of the values stored when the watch began
  }
  watch.stop();
  return entries;
}

const same = (a: MirrorEntry, b: MirrorEntry): boolean => a.state === b.state && a.version === b.version;

/** Keys whose entry (state and version) is in only one of the two: missing, or different, on the other side. */
export function compareMirrors(rebuilt: ReadonlyMap<string, MirrorEntry>, live: ReadonlyMap<string, MirrorEntry>): { onlyRebuilt: string[]; onlyLive: string[] } {
  const missingIn = (a: ReadonlyMap<string, MirrorEntry>, b: ReadonlyMap<string, MirrorEntry>): string[] =>
    [...a].filter(([key, entry]) => { const other = b.get(key); return !other || !same(entry, other); }).map(([key]) => key);
  return { onlyRebuilt: missingIn(rebuilt, live), onlyLive: missingIn(live, rebuilt) };
}

/**
 * What --replace does to one live key: `put` the rebuilt entry where the
 * live one is missing, older, or of the same version but another state;
 * `keep` a live entry that equals the rebuilt one or is newer (the order
 * moved on after the rebuild read it: an older version never overwrites a
 * newer one); `delete` a live key whose order the rebuild did not find
 * (the caller makes sure the order does not exist now).
 */
export function repairOf(rebuilt: MirrorEntry | undefined, live: MirrorEntry | undefined): 'put' | 'keep' | 'delete' {
  if (!rebuilt) return live ? 'delete' : 'keep';
  if (!live) return 'put';
  if (same(rebuilt, live) || live.version > rebuilt.version) return 'keep';
  return 'put';
}
