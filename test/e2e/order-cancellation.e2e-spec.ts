import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OrderState, PaymentRefunded, Streams } from '#contracts';
import { startPipeline, type Pipeline } from '#local-infra';
import { PipelineDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { readEventOf } from './support/order-events.js';
import { orderRequest, placeOrder, waitUntilTerminal, type OrderView } from './support/orders.js';

/**
 * Cancelling, through the built services on a real NATS JetStream and
 * PostgreSQL (`npm run build` first). Every charge is captured, after
 * PAYMENT_LATENCY_MS (so an order can be cancelled while its charge is in
 * flight), and packing a paid order takes SHIPMENT_PACKING_DELAY_MS (so a
 * paid order can be cancelled before it ships).
 */
const PAYMENT_LATENCY_MS = 1_500;
const PACKING_DELAY_MS = 5_000;

describe('order cancellation (built services, real NATS JetStream and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  const customer = `e2e-cancel-${run}`;
  let pipeline: Pipeline;
  let api: ApiClient;
  let db: PipelineDatabase;
  let nc: NatsConnection;
  let n = 0;

  beforeAll(async () => {
    pipeline = await startPipeline({
      databaseName: `e2e_order_cancellation_${run}`,
      paymentSuccessRate: 1,
      paymentSeed: `e2e-cancel-${run}`,
      paymentLatencyMs: PAYMENT_LATENCY_MS,
      env: { shipments: { SHIPMENT_PACKING_DELAY_MS: String(PACKING_DELAY_MS) } },
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    db = new PipelineDatabase(pipeline.databaseUrl);
    nc = await connect({ servers: pipeline.natsUrl, name: 'e2e-order-cancellation' });
  });

  afterAll(async () => {
    await nc?.close();
    await db?.close();
    await pipeline?.stop();
  });

  const place = () => placeOrder(api, orderRequest(customer, n++));

  async function waitForState(id: string, states: readonly OrderState[]): Promise<OrderView> {
    return eventually(`order ${id} to be ${states.join(' or ')}`, async () => {
      const { body } = await api.get<OrderView>(`/orders/${id}`);
      return states.includes(body.state) ? body : undefined;
    }, { timeoutMs: 60_000, intervalMs: 50 });
  }

  /** The payments.refunded event of one order, read back from the PAYMENTS stream. */
  const refundedEventOf = async (orderId: string) => (await readEventOf(nc, Streams.PAYMENTS.name, PaymentRefunded, orderId)).envelope;

  const path = (order: OrderView) => order.history.map((entry) => entry.to);

  it('cancels a paid order before it ships: 202 CANCELLING, payments.refunded, then CANCELLED with its history', async () => {
    const placed = await place();
    await waitForState(placed.id, [OrderState.PAID]);

    const response = await api.post<OrderView>(`/orders/${placed.id}/cancel`, { reason: 'changed my mind' });
    expect(response.status).toBe(202);
    expect(response.body.state).toBe(OrderState.CANCELLING);

    const refunded = await refundedEventOf(placed.id);
    expect(refunded.payload).toMatchObject({ orderId: placed.id, amountCents: placed.totalCents });
    const [order] = await waitUntilTerminal(api, [placed.id]);
    expect(order!.state).toBe(OrderState.CANCELLED);
    expect(path(order!).slice(0, 4)).toEqual([OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.PAID]);
    expect(path(order!).slice(-2)).toEqual([OrderState.CANCELLING, OrderState.CANCELLED]);
    expect(order!.history.at(-2)!.reason).toBe('changed my mind');
    expect(order!.history.at(-1)!.reason).toBe(`refunded: ${refunded.payload.refundReference}`);
    expect(await db.paymentsOf(placed.id)).toEqual([expect.objectContaining({ status: 'REFUNDED' })]);
    expect(await db.shipmentsOf(placed.id)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);

    // Asking again changes nothing and is not an error.
    const again = await api.post<OrderView>(`/orders/${placed.id}/cancel`, {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ state: OrderState.CANCELLED, version: order!.version });
  });

  it('refunds an order cancelled while its charge was in flight: CANCELLED, never PAID or SHIPPED', async () => {
    const placed = await place();
    await waitForState(placed.id, [OrderState.PAYMENT_PENDING]);
    const response = await api.post<OrderView>(`/orders/${placed.id}/cancel`, {});
    expect(response.status).toBe(202);

    const [order] = await waitUntilTerminal(api, [placed.id]);
    expect(order!.state).toBe(OrderState.CANCELLED);
    expect(path(order!)).toEqual([OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.CANCELLING, OrderState.CANCELLED]);
    // The charge was captured after all (every charge is): the money went back.
    expect(await db.paymentsOf(placed.id)).toEqual([expect.objectContaining({ status: 'REFUNDED' })]);
    expect((await refundedEventOf(placed.id)).payload.orderId).toBe(placed.id);
    expect(await db.shipmentsOf(placed.id)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
  });

  it('ends an order cancelled right after it was placed CANCELLED, charged for nothing or refunded', async () => {
    const placed = await place();
    const response = await api.post<OrderView>(`/orders/${placed.id}/cancel`, {});
    expect(response.status).toBe(202);
    const [order] = await waitUntilTerminal(api, [placed.id]);
    expect(order!.state).toBe(OrderState.CANCELLED);
    expect(path(order!)).not.toContain(OrderState.PAID);
    const [payment] = await db.paymentsOf(placed.id);
    expect(['CANCELLED', 'REFUNDED']).toContain(payment!.status);
    expect(await db.shipmentsOf(placed.id)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
  });

  it('refuses to cancel a shipped order with 409, and an unknown one with 404', async () => {
    const placed = await place();
    const [shipped] = await waitUntilTerminal(api, [placed.id]);
    expect(shipped!.state).toBe(OrderState.SHIPPED);
    const response = await api.post(`/orders/${placed.id}/cancel`, { reason: 'too late' });
    expect(response.status).toBe(409);
    const after = await api.get<OrderView>(`/orders/${placed.id}`);
    expect(after.body).toMatchObject({ state: OrderState.SHIPPED, version: shipped!.version });
    expect(await db.paymentsOf(placed.id)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);

    expect((await api.post(`/orders/${randomUUID()}/cancel`, {})).status).toBe(404);
  });
});
