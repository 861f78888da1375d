/**
 * The routes outside /api/v1 that probes and scrapers call: no API key, no
 * prefix. Everything else needs a key with the route's scopes.
 */
export const OPERATIONAL_ROUTES = ['health', 'health/live', 'health/ready', 'metrics'] as const;

export const OPERATIONAL_PATHS = OPERATIONAL_ROUTES.map((route) => `/${route}`);
