/**
 * The event overtook the one before it for the same order (each arrives on its
 * own consumer and retries reorder them). Thrown so the transport naks it with
 * a delay; by the next delivery its predecessor has usually been applied.
 */
export class OutOfOrderEventError extends Error {
  override readonly name = 'OutOfOrderEventError';
}
