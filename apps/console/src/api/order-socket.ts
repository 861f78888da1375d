import type { OrderView } from './client';

/**
 * Live order updates over orders-api's WebSocket API (/ws). The protocol:
 * `{type:"auth", apiKey}` first, then `{type:"command", id, action:
 * "subscribe", orderId, sinceVersion}`; the server sends `{type:"event",
 * action:"order-updated", order}` for every state change as it commits.
 *
 * The connection is kept: on a drop it reconnects with backoff (0.5 s
 * doubling to 10 s) and subscribes again from the last version it saw, so
 * no change is missed and none is shown twice. Until the socket is up (or
 * if the server has no /ws), `onStatus` says so and the page polls.
 */
export type SocketStatus = 'connecting' | 'live' | 'offline';

export interface OrderSubscription {
  close(): void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;
const PING_EVERY_MS = 20_000;

export function subscribeToOrder(
  apiKey: string,
  orderId: string,
  sinceVersion: () => number,
  onOrder: (order: OrderView) => void,
  onStatus: (status: SocketStatus) => void,
): OrderSubscription {
  let socket: WebSocket | undefined;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer: number | undefined;
  let pingTimer: number | undefined;
  let commandId = 0;

  const send = (message: object): void => socket?.send(JSON.stringify(message));

  const connect = (): void => {
    onStatus('connecting');
    const url = new URL('/ws', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => send({ type: 'auth', apiKey });
    socket.onmessage = (message) => {
      const data = parse(message.data);
      if (!data) return;
      if (data['type'] === 'auth' && data['ok'] === true) {
        retryMs = FIRST_RETRY_MS;
        send({ type: 'command', id: `sub-${++commandId}`, action: 'subscribe', orderId, sinceVersion: sinceVersion() });
        pingTimer = window.setInterval(() => send({ type: 'ping' }), PING_EVERY_MS);
        onStatus('live');
      } else if (data['type'] === 'event' && data['action'] === 'order-updated') {
        const order = data['order'] as OrderView | undefined;
        if (order?.id === orderId) onOrder(order);
      } else if (data['type'] === 'reply' && data['action'] === 'subscribe' && isOrder(data['body'], orderId)) {
        onOrder(data['body']); // the state as of the subscription
      }
    };
    socket.onclose = () => {
      window.clearInterval(pingTimer);
      if (closed) return;
      onStatus('offline');
      retryTimer = window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    };
  };

  connect();
  return {
    close() {
      closed = true;
      window.clearTimeout(retryTimer);
      window.clearInterval(pingTimer);
      socket?.close();
    },
  };
}

function parse(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isOrder(value: unknown, orderId: string): value is OrderView {
  return !!value && typeof value === 'object' && (value as { id?: unknown }).id === orderId && 'state' in value;
}
