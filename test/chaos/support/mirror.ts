import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ORDER_STATE_BUCKET } from '#contracts';
import type { PipelineFacts } from './facts.js';

/**
 * Orders whose entry in the order_state KV bucket is not the order as it
 * ended (missing, or at another version than PostgreSQL's): must be none once
 * the pipeline settled, whatever crashed on the way.
 */
export async function mirrorBehind(nc: NatsConnection, facts: PipelineFacts): Promise<string[]> {
  const kv = await new Kvm(nc).open(ORDER_STATE_BUCKET);
  const behind: string[] = [];
  for (const order of facts.orders.values()) {
    const entry = await kv.get(order.id);
    const mirrored = entry && entry.length > 0 ? entry.json<{ version: number; state: string }>() : null;
    if (mirrored?.version !== order.version || mirrored.state !== order.state) {
      behind.push(`${order.id}: ${order.state} v${order.version} in PostgreSQL, ${mirrored ? `${mirrored.state} v${mirrored.version}` : 'nothing'} in ${ORDER_STATE_BUCKET}`);
    }
  }
  return behind;
}
