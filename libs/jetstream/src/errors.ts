/**
 * A message that can never be processed: not JSON, not an envelope, an unknown
 * type or version, or a payload that fails its schema. Retrying cannot help,
 * so the transport terminates it at once.
 */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
  constructor(
    readonly reason: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${reason}: ${issues.join('; ')}` : reason);
  }
}

/**
 * A handler's way to say "this event can never succeed" (as opposed to a
 * transient failure, which is retried with backoff).
 */
export class PermanentHandlerError extends Error {
  override readonly name = 'PermanentHandlerError';
}

/** True when retrying the message cannot change the outcome. */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof InvalidMessageError || error instanceof PermanentHandlerError;
}
