/** Something a test or the demo starts and must stop (a server, a database). */
export interface Stoppable {
  stop(): Promise<unknown>;
}

/**
 * Starts several servers at once, like Promise.all, but when one fails to
 * start the others are stopped before the error is thrown: the caller never
 * received them, so nothing else could stop them, and a NATS server or
 * PostgreSQL left behind would outlive the test run.
 */
export async function startTogether<T extends readonly Stoppable[]>(...starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failed) return settled.map((result) => (result as PromiseFulfilledResult<Stoppable>).value) as unknown as T;
  await Promise.allSettled(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw failed.reason;
}
