import type { Pipeline } from '#local-infra';

/**
 * What `npm run demo -- --console` prints once the checks are done: where the
 * console, the API and its Swagger UI are, and the keys the demo set up. The
 * console links carry the key in the URL's fragment, which the browser never
 * sends to the server; the console keeps it for the tab's session.
 */
export function consoleLines(pipeline: Pick<Pipeline, 'apiUrl' | 'apiKeys'>): string[] {
  const consoleUrl = `${pipeline.apiUrl}/console/`;
  return [
    '',
    'The whole stack keeps running for the web console (Ctrl-C stops everything):',
    `  console, as an operator:     ${consoleUrl}#key=${pipeline.apiKeys.operator}`,
    `  console, as a storefront:    ${consoleUrl}#key=${pipeline.apiKeys.storefront}`,
    `  REST API:                    ${pipeline.apiUrl}/api/v1`,
    `  Swagger UI (Authorize with a key): ${pipeline.apiUrl}/docs`,
    `  WebSocket:                   ${pipeline.apiUrl.replace(/^http/, 'ws')}/ws`,
    `  operator key (every scope):  ${pipeline.apiKeys.operator}`,
    `  storefront key (read, place, cancel): ${pipeline.apiKeys.storefront}`,
  ];
}
