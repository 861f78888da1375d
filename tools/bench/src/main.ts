import { startNatsServer } from '#local-infra';
import { elapsedPrefix, parseOrExit } from '../../cli/src/command-line.js';
import { USAGE, parseBenchArgs, type BenchArgs } from './args.js';
import { runPipelineBench } from './pipeline-bench.js';
import { ProcessSampler, canSampleProcesses } from './process-sampler.js';
import { REPORT_FORMAT_VERSION, describeMachine, markdownTable, writeReport, type BenchReport } from './report.js';
import { pipelineTargets, transportTargets } from './targets.js';
import { runTransportBench } from './transport-bench.js';

/**
 * `npm run bench`: see args.ts for the options and README.md ("Performance")
 * for what each figure means. Exit code 0 when every order was verified (or
 * the transport rounds completed); missed performance targets are reported,
 * not failed on, since the figures depend on the machine.
 */

const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;

const startedAt = Date.now();
const log = (line: string): void => {
  process.stdout.write(`${elapsedPrefix(startedAt)} ${line}\n`);
};

async function run(args: BenchArgs): Promise<BenchReport> {
  const common = {
    formatVersion: REPORT_FORMAT_VERSION,
    startedAt: new Date(startedAt).toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: describeMachine(),
  };
  if (args.mode === 'pipeline') {
    const result = await runPipelineBench(args, log);
    const partial = { ...common, ...result, finishedAt: new Date().toISOString() };
    const targets = pipelineTargets(partial);
    return { ...partial, targets, passed: result.verification.passed };
  }

  const nats = args.natsUrl ? undefined : await startNatsServer();
  try {
    const natsUrl = args.natsUrl ?? nats!.url;
    log(`transport benchmark on ${natsUrl}: ${args.count} messages, ${args.rounds} round(s)...`);
    // The transport runs in this process, so this process is what it costs.
    const sampler = new ProcessSampler(
      canSampleProcesses() ? [{ name: 'bench (transport and raw client)', pid: process.pid }, ...(nats?.pid ? [{ name: 'nats-server', pid: nats.pid }] : [])] : [],
    );
    sampler.start();
    const transport = await runTransportBench(natsUrl, {
      messages: args.count,
      rounds: args.rounds,
      onRound: (round, figures) =>
        log(
          `round ${round}: publish ${figures.transportPublishPerSecond} vs raw ${figures.raw.publishPerSecond} msg/s; ` +
            `consume+ack ${figures.transportConsumeAckPerSecond} vs raw ${figures.raw.consumeAckPerSecond} msg/s`,
        ),
    });
    // Four passes over the messages per round: raw and transport, publish and consume.
    const processes = sampler.finish(args.count * args.rounds * 4);
    const partial = {
      ...common,
      mode: 'transport' as const,
      finishedAt: new Date().toISOString(),
      settings: { messages: args.count, rounds: args.rounds },
      transport,
      processes,
    };
    return { ...partial, targets: transportTargets(partial), passed: true };
  } finally {
    await nats?.stop();
  }
}

async function main(): Promise<number> {
  const args = parseOrExit(parseBenchArgs, USAGE);
  process.once('SIGINT', () => process.exit(EXIT_INTERRUPTED));
  try {
    const report = await run(args);
    const file = writeReport(report, args.outDir);
    process.stdout.write(`\n${markdownTable(report)}\n\n`);
    log(`report written to ${file}`);
    if (!report.passed) log('FAILED: not every order was verified (see "verification" in the report)');
    return report.passed ? 0 : EXIT_FAILED;
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_FAILED;
  }
}

// An explicit exit: an open keep-alive socket must not keep a finished bench alive.
process.exit(await main());
