import { VersionConflictError } from './version-conflict.error.js';

/**
 * Checks the count of `updateMany({ where: { id, version }, ... })`. Prisma's
 * `update` would throw a generic "record not found" on a stale version; with
 * updateMany a lost race is simply 0 rows, which this turns into a
 * VersionConflictError so the caller can retry the whole unit of work.
 */
export function assertOneRowUpdated(updated: number | { count: number }, what: string): void {
  const count = typeof updated === 'number' ? updated : updated.count;
  if (count === 0) throw new VersionConflictError(what);
  // The where clause names a primary key, so more than one row is a bug in the caller.
  if (count !== 1) throw new Error(`Expected to update one row of ${what}, updated ${count}`);
}
