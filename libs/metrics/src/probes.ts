/**
 * What the scrape-time gauges read. A service registers its probes when it
 * starts (see libs/bootstrap) and removes them when it stops, so the gauges
 * in this leaf library need no database or NATS of their own.
 */

/** Unpublished rows of one service's outbox. */
export interface OutboxBacklogSample {
  schema: string;
  unpublished: number;
  /** Age of the oldest unpublished row in seconds; 0 when there is none. */
  oldestAgeSeconds: number;
}

/** One durable consumer as the server sees it. */
export interface ConsumerBacklog {
  stream: string;
  durable: string;
  /** Messages matching the filter not yet delivered to anyone. */
  numPending: number;
  /** Messages delivered and not yet acknowledged. */
  numAckPending: number;
}

export interface MetricsProbes {
  outbox(): Promise<OutboxBacklogSample>;
  consumers(): Promise<ConsumerBacklog[]>;
}

const registered = new Set<MetricsProbes>();

/** Adds a service's probes; returns the function that removes them again. */
export function registerProbes(probes: MetricsProbes): () => void {
  registered.add(probes);
  return () => registered.delete(probes);
}

/** The probes of every service running in this process (one, outside of tests). */
export function registeredProbes(): MetricsProbes[] {
  return [...registered];
}
