/**
 * A figure measured in the background and read without waiting: a request
 * never spends its own time on a measurement, it uses the last value and, if
 * that is older than `maxAgeMs`, starts a new one. A failed measurement keeps
 * the last value (the request will meet the failing dependency itself).
 * Hand-written: it is a value, a timestamp and a flag.
 */
export class BackgroundFigure {
  private value = 0;
  private measuredAt = 0;
  private measuring = false;

  constructor(
    private readonly measure: () => Promise<number>,
    private readonly maxAgeMs: number,
  ) {}

  /** The last measurement (0 before the first), refreshed in the background when stale. */
  read(): number {
    if (!this.measuring && Date.now() - this.measuredAt >= this.maxAgeMs) {
      this.measuring = true;
      this.measure()
        .then((value) => (this.value = value))
        .catch(() => undefined)
        .finally(() => {
          this.measuredAt = Date.now();
          this.measuring = false;
        });
    }
    return this.value;
  }
}
