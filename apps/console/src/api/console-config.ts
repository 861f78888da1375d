/**
 * Settings orders-api gives the console at /console/config.json (no key
 * needed: nothing secret). jaegerUrl is the Jaeger UI's base URL when the
 * deployment has one (JAEGER_UI_URL); the tracking page then links the
 * order's trace. A missing file means no such settings.
 */
export interface ConsoleConfig {
  jaegerUrl: string | null;
}

let loaded: Promise<ConsoleConfig> | undefined;

export function consoleConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch(`${import.meta.env.BASE_URL}config.json`)
    .then(async (response): Promise<Partial<ConsoleConfig>> => (response.ok ? ((await response.json()) as Partial<ConsoleConfig>) : {}))
    .catch((): Partial<ConsoleConfig> => ({}))
    .then((config) => ({ jaegerUrl: typeof config.jaegerUrl === 'string' && config.jaegerUrl ? config.jaegerUrl.replace(/\/$/, '') : null }));
  return loaded;
}
