/**
 * Thrown when a version-checked update finds the row no longer at the version
 * the unit of work read: someone else changed it in between. Every aggregate
 * update names the version it read (optimistic locking), so a lost race is a
 * normal outcome to retry (see withVersionRetry), never a silent overwrite.
 */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';

  constructor(readonly what: string) {
    super(`${what} was changed concurrently (version conflict)`);
  }
}
