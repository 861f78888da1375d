import cliProgress from 'cli-progress';

/**
 * A progress bar for one phase (placing orders, waiting for them), shown only
 * on a terminal: in CI logs and in the smoke test it would be noise.
 */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(18)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
