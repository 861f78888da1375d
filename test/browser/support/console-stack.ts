import { startPipeline, type Pipeline, type PipelineOptions } from '#local-infra';
import { launchBrowser, type ConsoleBrowser } from './browser.js';
import { serveConsole, type ConsoleServer } from './console-server.js';

/** What every browser spec runs on: the pipeline, the console served for it, and a browser. */
export interface ConsoleStack {
  readonly pipeline: Pipeline;
  readonly server: ConsoleServer;
  readonly chromium: ConsoleBrowser;
  /** Closes the browser, the console and the pipeline, in that order (each if it was started). */
  stop(): Promise<void>;
}

/** Starts the three in order; if one fails, what was started is stopped before the error is thrown. */
export async function startConsoleStack(options: PipelineOptions): Promise<ConsoleStack> {
  const started: { pipeline?: Pipeline; server?: ConsoleServer; chromium?: ConsoleBrowser } = {};
  const stop = async (): Promise<void> => {
    await started.chromium?.close();
    await started.server?.stop();
    await started.pipeline?.stop();
  };
  try {
    started.pipeline = await startPipeline({ logDir: process.env['E2E_LOG_DIR'], ...options });
    started.server = await serveConsole(started.pipeline);
    started.chromium = await launchBrowser();
    return { pipeline: started.pipeline, server: started.server, chromium: started.chromium, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
