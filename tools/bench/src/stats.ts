/**
 * Latency and rate arithmetic for the benchmark. Pure functions, so the
 * numbers the report prints are tested on their own.
 */

export interface LatencySummary {
  /** How many samples the percentiles were taken from. */
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The p-th percentile (0..100) of samples sorted ascending, by the
 * nearest-rank method: the smallest sample that at least p% of the samples
 * do not exceed. No interpolation, so a reported p99 is a latency that was
 * actually observed.
 */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  if (p <= 0) return sortedAscending[0]!;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1]!;
}

/** p50/p90/p99/max/mean of the samples (any order; the input is not modified). */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    count: values.length,
    p50: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(values.length > 0 ? values[values.length - 1]! : Number.NaN),
    mean: round(values.length > 0 ? sum / values.length : Number.NaN),
  };
}

/** Events per second over a span in milliseconds; 0 when the span is empty. */
export function ratePerSecond(count: number, spanMs: number): number {
  if (count <= 0 || !(spanMs > 0)) return 0;
  return round((count * 1_000) / spanMs);
}

/**
 * The rate of `count` messages timed from the first to the last: the span
 * holds the count minus one intervals between them (the first message's own
 * handling is before the clock starts).
 */
export function firstToLastRate(count: number, spanMs: number): number {
  return ratePerSecond(count - 1, spanMs);
}

/** The median of a few repeated measurements (the middle one, or the mean of the two middle ones). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A ratio rounded to three decimals; undefined when the denominator is not positive. */
export function ratio(numerator: number, denominator: number): number | undefined {
  if (!(denominator > 0)) return undefined;
  return Math.round((numerator / denominator) * 1_000) / 1_000;
}

/** The median of per-pair ratios (numerator, denominator); undefined when no pair has a denominator. */
export function pairedRatio(pairs: ReadonlyArray<readonly [number, number]>): number | undefined {
  const ratios = pairs.map(([numerator, denominator]) => ratio(numerator, denominator)).filter((r): r is number => r !== undefined);
  return ratios.length > 0 ? Math.round(median(ratios) * 1_000) / 1_000 : undefined;
}

/** Two decimals: enough for milliseconds and rates, short in JSON. */
export function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : value;
}
