import { VersionConflictError } from './version-conflict.error.js';

export interface VersionRetryOptions {
  /** Total runs of the unit of work, the first included. */
  attempts?: number;
  /** Upper bound of the first backoff; it doubles per retry, up to MAX_BACKOFF_MS. */
  baseDelayMs?: number;
  /** Called before each retry, e.g. to count lost races. */
  onRetry?: (retry: { attempt: number; delayMs: number; error: VersionConflictError }) => void;
}

// Defaults sized for a handful of writers racing on one aggregate: each round
// has one winner, so the last of N writers needs up to N attempts.
export const DEFAULT_VERSION_RETRY_ATTEMPTS = 5;
export const DEFAULT_VERSION_RETRY_BASE_DELAY_MS = 10;
// A version conflict clears as soon as the winner commits; waiting longer
// than this only adds latency.
const MAX_BACKOFF_MS = 1_000;

/**
 * Runs `work` and, when it throws VersionConflictError, runs it again from the
 * start: the unit of work must re-read the row, since the version it read is
 * stale. Retrying only the failed update would write over the winner's change.
 * The wait before each retry is random (full jitter), so writers that lost
 * together do not collide again in lockstep. Any other error, or a conflict
 * on the last attempt, is rethrown.
 */
export async function withVersionRetry<T>(
  work: (attempt: number) => Promise<T>,
  options: VersionRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_VERSION_RETRY_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_VERSION_RETRY_BASE_DELAY_MS;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= attempts) throw error;
      const delayMs = backoffDelayMs(attempt, baseDelayMs);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Full jitter: uniform in [0, min(max, base * 2^(attempt - 1))). */
export function backoffDelayMs(attempt: number, baseDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
