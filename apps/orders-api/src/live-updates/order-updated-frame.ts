import { ORDER_UPDATED_PREFIX, ORDER_UPDATED_SUFFIX } from './protocol.js';

const PREFIX = Buffer.from(ORDER_UPDATED_PREFIX);
const SUFFIX = Buffer.from(ORDER_UPDATED_SUFFIX);

/**
 * The order-updated event around an order's view, given as JSON text: the
 * bucket's value as the relay put it (the view GET /api/v1/orders/{id}
 * returns, JSON.stringify'd), so the view is never parsed or re-encoded on
 * its way to the sockets, and one Buffer goes to every subscriber.
 */
export function orderUpdatedFrame(viewJson: Uint8Array | string): Buffer {
  const view = typeof viewJson === 'string' ? Buffer.from(viewJson) : Buffer.from(viewJson.buffer, viewJson.byteOffset, viewJson.byteLength);
  return Buffer.concat([PREFIX, view, SUFFIX], PREFIX.length + view.length + SUFFIX.length);
}
