/** Where in a request (or a WebSocket command) a value came from. */
export type InputLocation = 'body' | 'query' | 'path' | 'header' | 'command';
