import type { PipelineReport, TargetCheck, TransportReport } from './report.js';

/**
 * The performance targets of this machine class (2 cores, everything on it),
 * checked against a run. Only the targets a run's settings can speak to are
 * listed: latency targets need an offered rate, throughput a closed loop.
 */
export const TARGETS = {
  minOrdersPerSecond: 1_000,
  /** 1,000 orders/s on 2 cores leaves 2 ms of CPU per order for everything: services, NATS, PostgreSQL, the bench. */
  maxCpuMicrosecondsPerOrder: 2_000,
  /** The latency targets hold at this offered rate. */
  latencyAtRatePerSecond: 500,
  maxPostP99Ms: 25,
  maxPipelineP99Ms: 250,
  maxServiceRssMb: 200,
  /** A refusal under overload is worth something only if it is fast. */
  maxRefusalP99Ms: 50,
  minTransportRatio: 0.9,
} as const;

const SERVICES = new Set(['orders-api', 'inventory', 'payments', 'shipments', 'analytics']);

export function pipelineTargets(report: Omit<PipelineReport, 'targets' | 'passed'>): TargetCheck[] {
  const checks: TargetCheck[] = [
    {
      target: 'every order verified (none lost, final state consistent with payment)',
      actual: `${report.verification.verified}/${report.verification.placed}`,
      met: report.verification.passed,
    },
  ];
  if (report.settings.offeredRatePerSecond === null) {
    checks.push({
      target: `end-to-end >= ${TARGETS.minOrdersPerSecond} orders/s`,
      actual: `${report.throughput.ordersPerSecond} orders/s`,
      met: report.throughput.ordersPerSecond >= TARGETS.minOrdersPerSecond,
    });
  } else {
    const at = `at ${report.settings.offeredRatePerSecond} orders/s offered`;
    checks.push(
      { target: `POST p99 < ${TARGETS.maxPostP99Ms} ms ${at}`, actual: `${report.latencyMs.post.p99} ms`, met: report.latencyMs.post.p99 < TARGETS.maxPostP99Ms },
      {
        target: `pipeline p99 < ${TARGETS.maxPipelineP99Ms} ms ${at}`,
        actual: `${report.latencyMs.pipeline.p99} ms`,
        met: report.latencyMs.pipeline.p99 < TARGETS.maxPipelineP99Ms,
      },
    );
  }
  if (report.admission.shed > 0) {
    const p99 = report.admission.refusalLatencyMs?.p99 ?? Infinity;
    checks.push({ target: `every refusal a fast 503 (p99 < ${TARGETS.maxRefusalP99Ms} ms)`, actual: `${p99} ms`, met: p99 < TARGETS.maxRefusalP99Ms });
  }
  if (report.settings.offeredRatePerSecond !== null) {
    checks.push({
      target: 'no POST failed (no connection reset, no timeout): overload is refused, never dropped',
      actual: `${report.admission.failed} failed`,
      met: report.admission.failed === 0,
    });
  }
  if (report.costPerOrder) {
    checks.push({
      target: `total CPU <= ${TARGETS.maxCpuMicrosecondsPerOrder} µs per order`,
      actual: `${report.costPerOrder.cpuMicroseconds.total} µs`,
      met: report.costPerOrder.cpuMicroseconds.total <= TARGETS.maxCpuMicrosecondsPerOrder,
    });
  }
  const { postgres } = report.settings.durability;
  checks.push({
    target: 'figures on durable settings (PostgreSQL fsync and synchronous_commit on)',
    actual: `fsync ${postgres.fsync}, synchronous_commit ${postgres.synchronousCommit}`,
    met: postgres.durable,
  });
  const services = report.processes.filter((p) => SERVICES.has(p.name));
  if (services.length > 0) {
    const worst = services.reduce((a, b) => (b.peakRssMb > a.peakRssMb ? b : a));
    checks.push({
      target: `every service < ${TARGETS.maxServiceRssMb} MB RSS at peak`,
      actual: `${worst.name} ${worst.peakRssMb} MB`,
      met: worst.peakRssMb < TARGETS.maxServiceRssMb,
    });
  }
  return checks;
}

export function transportTargets(report: Omit<TransportReport, 'targets' | 'passed'>): TargetCheck[] {
  const { publishRatio, consumeAckRatio } = report.transport;
  return [
    { target: `transport publish >= ${TARGETS.minTransportRatio * 100}% of raw`, actual: percent(publishRatio), met: (publishRatio ?? 0) >= TARGETS.minTransportRatio },
    { target: `transport consume+ack >= ${TARGETS.minTransportRatio * 100}% of raw`, actual: percent(consumeAckRatio), met: (consumeAckRatio ?? 0) >= TARGETS.minTransportRatio },
  ];
}

function percent(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.round(value * 1_000) / 10}%`;
}
