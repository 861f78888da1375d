/**
 * The sum of a metric's samples whose labels include `labels` (0 when there
 * is none), read from a scrape in Prometheus' text format:
 * `metricValue(text, 'x_total', { outcome: 'acked' })`. The whole name must
 * match (`x_total` is not `x_total_created`). For the bench and the tests,
 * which read the services' GET /metrics; prom-client writes the format but
 * does not read it.
 */
export function metricValue(scrape: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of scrape.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) sum += Number(match[3]);
  }
  return sum;
}
