import { Counter, Gauge } from 'prom-client';

/**
 * What the live-updates API does, at GET /metrics. Counted per event or per
 * socket, never per send: a fan-out adds its number of sends at once.
 */

export const liveSockets = new Gauge({
  name: 'live_updates_sockets',
  help: 'WebSocket connections open on /ws in this process (authenticated or not yet)',
});

export const liveUpdatesReceived = new Counter({
  name: 'live_updates_bucket_updates_total',
  help: 'Order views put into the order_state bucket that this process’s watch received',
});

export const liveEventsSent = new Counter({
  name: 'live_updates_events_sent_total',
  help: 'order-updated events sent to sockets (one per subscribed socket and update)',
});

export const liveSocketsDropped = new Counter({
  name: 'live_updates_sockets_dropped_total',
  help: 'Sockets the server closed: unauthorized (4401), slow (4008, past WS_MAX_BUFFERED_BYTES), unresponsive (no answer to a ping)',
  labelNames: ['reason'] as const,
});
