/** The routes outside /api/v1 that probes and scrapers call (no API key, no prefix): the same in every service with an API. */
export { OPERATIONAL_PATHS, OPERATIONAL_ROUTES } from '#http-api';
