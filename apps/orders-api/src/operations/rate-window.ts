/** Counts of one moment: a subject's messages in its stream, when they were read. */
export interface CountSample {
  readonly atMs: number;
  readonly counts: ReadonlyMap<string, number>;
}

export interface SubjectRate {
  /** Messages per second over the window; 0 until two samples span some time. */
  perSecond: number;
  /** The newest count. */
  total: number;
}

/**
 * Rates from cumulative counts sampled over a sliding window: the change
 * between the oldest and the newest sample still inside the window, divided
 * by the time between them. Counting between two reads, not per message,
 * keeps the cost to one read per sample whatever the traffic; averaging over
 * the window smooths the batches in which the pipeline works (a count moves
 * by a whole pull batch at once). A count that went down (a stream purged,
 * messages aged out) counts as no progress, never as a negative rate.
 * Hand-written: it is a list of samples and a subtraction.
 */
export class RateWindow {
  private samples: CountSample[] = [];

  constructor(private readonly windowMs: number) {}

  add(sample: CountSample): void {
    this.samples.push(sample);
    // Keep the newest sample older than the window's start as well: it is
    // where the window begins, so a window always spans its full length once
    // the sampler has run that long.
    const start = sample.atMs - this.windowMs;
    while (this.samples.length > 2 && this.samples[1]!.atMs <= start) this.samples.shift();
  }

  /** Seconds between the oldest and the newest sample the rates are taken over. */
  spanSeconds(): number {
    if (this.samples.length < 2) return 0;
    return (this.samples.at(-1)!.atMs - this.samples[0]!.atMs) / 1_000;
  }

  /** When the newest sample was taken, or undefined before the first. */
  newestAtMs(): number | undefined {
    return this.samples.at(-1)?.atMs;
  }

  rate(subject: string): SubjectRate {
    const newest = this.samples.at(-1);
    const total = newest?.counts.get(subject) ?? 0;
    const span = this.spanSeconds();
    if (!newest || span <= 0) return { perSecond: 0, total };
    const oldest = this.samples[0]!.counts.get(subject) ?? 0;
    return { perSecond: Math.max(0, total - oldest) / span, total };
  }
}
