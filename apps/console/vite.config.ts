import path from 'node:path';
import { defineConfig, type ProxyOptions } from 'vite';

/**
 * The console's build: bundled at build time into dist/console, which
 * orders-api serves at /console/ (same origin as the API, so no CORS and no
 * key in a cookie). No plugin: Vite's own transform compiles TSX with the
 * tsconfig's "jsx": "react-jsx".
 *
 * `vite` (dev) and `vite preview` proxy the API to a running stack:
 * CONSOLE_API_URL is orders-api; CONSOLE_INVENTORY_URL and
 * CONSOLE_ANALYTICS_URL, when set, take /api/v1/products and
 * /api/v1/analytics straight to those services (for a stack whose orders-api
 * does not proxy them yet).
 */
const root = import.meta.dirname;
const repoRoot = path.resolve(root, '../..');

function apiProxy(): Record<string, ProxyOptions> {
  const api = process.env['CONSOLE_API_URL'];
  if (!api) return {};
  const direct = (target: string | undefined): ProxyOptions | undefined => (target ? { target, changeOrigin: true } : undefined);
  const routes: Record<string, ProxyOptions | undefined> = {
    '/api/v1/products': direct(process.env['CONSOLE_INVENTORY_URL']),
    '/api/v1/analytics': direct(process.env['CONSOLE_ANALYTICS_URL']),
    '/api': { target: api, changeOrigin: true },
    '/ws': { target: api.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
  };
  return Object.fromEntries(Object.entries(routes).filter((entry): entry is [string, ProxyOptions] => entry[1] !== undefined));
}

export default defineConfig({
  root,
  base: '/console/',
  publicDir: false,
  build: {
    outDir: path.join(repoRoot, 'dist', 'console'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { proxy: apiProxy() },
  preview: { proxy: apiProxy() },
});
