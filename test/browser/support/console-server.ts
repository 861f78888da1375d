import { existsSync } from 'node:fs';
import path from 'node:path';
import { findFreePorts, repoRoot, spawnService, type Pipeline } from '#local-infra';

/**
 * Where the browser opens the console. orders-api serves the built bundle at
 * /console/ and is the one public edge (it proxies products and analytics);
 * the tests use it whenever it does. A stack whose orders-api does not serve
 * the console yet gets `vite preview` of the same bundle instead, proxying
 * the API, /ws and the products and analytics routes to the services
 * (apps/console/vite.config.ts), so the page is still same-origin.
 */
export interface ConsoleServer {
  /** Origin the console is served from; the console itself is at `${origin}/console/`. */
  readonly origin: string;
  /** Whether that origin is orders-api itself (not the preview stand-in). */
  readonly servedByOrdersApi: boolean;
  stop(): Promise<void>;
}

export async function serveConsole(pipeline: Pipeline): Promise<ConsoleServer> {
  const root = repoRoot();
  if (!existsSync(path.join(root, 'dist', 'console', 'index.html'))) {
    throw new Error('The console is not built: dist/console/index.html is missing. Run `npm run build:console` first.');
  }
  if (await servesConsole(pipeline.apiUrl)) return { origin: pipeline.apiUrl, servedByOrdersApi: true, stop: async () => {} };

  const [port] = await findFreePorts(1, '127.0.0.1');
  const origin = `http://127.0.0.1:${port}`;
  const preview = spawnService({
    name: 'console-preview',
    command: process.execPath,
    args: [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--config', 'apps/console/vite.config.ts', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    cwd: root,
    env: {
      CONSOLE_API_URL: pipeline.apiUrl,
      CONSOLE_INVENTORY_URL: pipeline.serviceUrls.inventory,
      CONSOLE_ANALYTICS_URL: pipeline.serviceUrls.analytics,
    },
    readyUrl: `${origin}/console/`,
  });
  await preview.waitReady(20_000);
  return { origin, servedByOrdersApi: false, stop: () => preview.stop() };
}

async function servesConsole(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/console/`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && (response.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}
