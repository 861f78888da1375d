import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OrderDispatchRequested, OrderState } from '#contracts';
import { startPipeline, type Pipeline } from '#local-infra';
import { PipelineDatabase } from './support/database.js';
import { eventually } from './support/eventually.js';
import { apiClient, type ApiClient } from './support/http.js';
import { orderRequest, placeOrder, type OrderView } from './support/orders.js';

/**
 * Shipping by hand: shipments runs with SHIPMENT_DISPATCH=manual, so a paid
 * order waits SHIPMENT_PREPARED until an operator POSTs its tracking number
 * to /orders/{id}/ship. The request travels through orders-api's outbox as
 * orders.dispatch-requested; shipments dispatches with that tracking number,
 * and the order ends SHIPPED showing carrier, tracking number and time. A
 * repeat is answered as it stands, another tracking number or an order that
 * is not prepared is refused (409), an unknown one 404; and only an operator
 * key may ship.
 */
describe('manual dispatch (built services, real NATS JetStream and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  let pipeline: Pipeline;
  let api: ApiClient;
  let storefront: ApiClient;
  let db: PipelineDatabase;

  const prepared = async (n: number): Promise<OrderView> => {
    const order = await placeOrder(api, orderRequest(`e2e-manual-${run}`, n));
    return eventually(`order ${order.id} to be SHIPMENT_PREPARED`, async () => {
      const current = (await api.get<OrderView>(`/orders/${order.id}`)).body;
      return current.state === OrderState.SHIPMENT_PREPARED ? current : undefined;
    });
  };

  beforeAll(async () => {
    pipeline = await startPipeline({
      databaseName: `e2e_manual_dispatch_${run}`,
      paymentSuccessRate: 1,
      paymentLatencyMs: 5,
      env: { shipments: { SHIPMENT_DISPATCH: 'manual' } },
      logDir: process.env['E2E_LOG_DIR'],
    });
    api = apiClient(pipeline.api);
    storefront = apiClient({ url: pipeline.apiUrl, key: pipeline.apiKeys.storefront });
    db = new PipelineDatabase(pipeline.databaseUrl);
  });

  afterAll(async () => {
    await db?.close();
    await pipeline?.stop();
  });

  it('keeps a paid order SHIPMENT_PREPARED until an operator ships it, then ships it with that tracking number', async () => {
    const order = await prepared(1);
    // Nothing moves by itself: the shipment waits for the hand-off.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await api.get<OrderView>(`/orders/${order.id}`)).body.state).toBe(OrderState.SHIPMENT_PREPARED);
    expect(await db.shipmentsOf(order.id)).toEqual([expect.objectContaining({ status: 'PREPARED', trackingNumber: null })]);

    const body = { trackingNumber: `TRK-${run}-1`, carrier: 'DHL' };
    expect((await storefront.post(`/orders/${order.id}/ship`, body)).status).toBe(403);
    const accepted = await api.post<OrderView>(`/orders/${order.id}/ship`, body);
    expect(accepted.status).toBe(202);
    const again = await api.post<OrderView>(`/orders/${order.id}/ship`, body);
    expect(again.status).toBe(200);
    const other = await api.post<{ message: string }>(`/orders/${order.id}/ship`, { trackingNumber: 'TRK-OTHER' });
    expect(other.status).toBe(409);
    expect(other.body.message).toContain(body.trackingNumber);

    const shipped = await eventually(`order ${order.id} to be SHIPPED`, async () => {
      const current = (await api.get<OrderView>(`/orders/${order.id}`)).body;
      return current.state === OrderState.SHIPPED ? current : undefined;
    });
    expect({ carrier: shipped.carrier, trackingNumber: shipped.trackingNumber }).toEqual(body);
    expect(Date.parse(shipped.shippedAt!)).toBeGreaterThan(Date.parse(accepted.body.updatedAt) - 1_000);
    expect(await db.shipmentsOf(order.id)).toEqual([expect.objectContaining({ status: 'DISPATCHED', ...body })]);
    // The request went through the outbox as exactly one event, which shipments applied once.
    const [{ sent, applied }] = await db.query<{ sent: number; applied: number }>(
      `SELECT (SELECT count(*)::int FROM orders.outbox_events WHERE type = $1 AND aggregate_id = $2::uuid) AS sent,
              (SELECT count(*)::int FROM shipments.inbox_events i JOIN orders.outbox_events o ON o.id = i.event_id
                WHERE o.type = $1 AND o.aggregate_id = $2::uuid) AS applied`,
      [OrderDispatchRequested.type, order.id],
    ) as [{ sent: number; applied: number }];
    expect({ sent, applied }).toEqual({ sent: 1, applied: 1 });

    // Once shipped: the same tracking number is answered as it stands, another refused.
    expect((await api.post(`/orders/${order.id}/ship`, body)).status).toBe(200);
    expect((await api.post(`/orders/${order.id}/ship`, { trackingNumber: 'TRK-LATE' })).status).toBe(409);
  });

  it('records MANUAL as the carrier when the operator names none', async () => {
    const order = await prepared(2);
    expect((await api.post(`/orders/${order.id}/ship`, { trackingNumber: `TRK-${run}-2` })).status).toBe(202);
    const shipped = await eventually(`order ${order.id} to be SHIPPED`, async () => {
      const current = (await api.get<OrderView>(`/orders/${order.id}`)).body;
      return current.state === OrderState.SHIPPED ? current : undefined;
    });
    expect([shipped.carrier, shipped.trackingNumber]).toEqual(['MANUAL', `TRK-${run}-2`]);
  });

  it('refuses to ship an order that is not prepared (409), an unknown one (404), and a bad tracking number (400)', async () => {
    const cancelled = await placeOrder(api, orderRequest(`e2e-manual-${run}`, 3));
    await api.post(`/orders/${cancelled.id}/cancel`, { reason: 'test' });
    await eventually(`order ${cancelled.id} to be CANCELLED`, async () =>
      (await api.get<OrderView>(`/orders/${cancelled.id}`)).body.state === OrderState.CANCELLED ? true : undefined,
    );
    const refused = await api.post<{ message: string }>(`/orders/${cancelled.id}/ship`, { trackingNumber: 'TRK-X' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('CANCELLED');
    expect((await api.post(`/orders/${randomUUID()}/ship`, { trackingNumber: 'TRK-X' })).status).toBe(404);
    const bad = await api.post<{ errors: unknown[] }>(`/orders/${cancelled.id}/ship`, { trackingNumber: 'no spaces allowed' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'trackingNumber', rule: 'format' })]);
  });
});
