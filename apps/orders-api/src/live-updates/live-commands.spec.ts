import { describe, it, expect } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { Scope, WriteRateLimit, type ApiClient } from '#http-api';
import type { AdmissionInterceptor } from '../common/admission/admission.interceptor.js';
import type { CancelOrderService } from '../orders/cancel-order.service.js';
import type { CreateOrderService } from '../orders/create-order.service.js';
import type { OrderViews } from '../orders/order-views.js';
import { RetryLaterError } from './error-frames.js';
import { LiveCommands } from './live-commands.js';
import type { LiveSocket } from './live-socket.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import type { LiveUpdatesSettings } from './live-updates-settings.js';

const ORDER = '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c';
const view = { id: ORDER, state: 'CREATED', version: 3 };
const storefront: ApiClient = { name: 'storefront', scopes: new Set([Scope.ORDERS_READ, Scope.ORDERS_PLACE, Scope.ORDERS_CANCEL]) };
const body = { customerId: 'c', lines: [{ sku: 'A', quantity: 1, unitPriceCents: 100 }] };
const socket = {} as LiveSocket;

function commands(options: { writes?: number; admit?: boolean; found?: boolean } = {}) {
  let inFlight = 0;
  const admission = {
    admit: () =>
      options.admit === false
        ? { refused: new HttpException({ statusCode: 503, error: 'Service Unavailable', message: 'busy' }, 503), retryAfterMs: 250 }
        : (inFlight++, { release: () => inFlight-- }),
  } as unknown as AdmissionInterceptor;
  const create = { create: async () => ({ order: view, replayed: false }) } as unknown as CreateOrderService;
  const cancel = { cancel: async () => ({ order: view, accepted: true }) } as unknown as CancelOrderService;
  const views = { find: async () => (options.found === false ? null : view) } as unknown as OrderViews;
  const subscriptions = new LiveSubscriptions();
  const settings = { maxSubscriptions: 2 } as LiveUpdatesSettings;
  const rateLimit = new WriteRateLimit({ writes: options.writes ?? 0, windowMs: 60_000 });
  return { live: new LiveCommands(create, cancel, views, subscriptions, settings, admission, rateLimit), subscriptions, inFlight: () => inFlight };
}

const place = { type: 'command', id: 'c1', action: 'place-order', body } as const;

describe('LiveCommands', () => {
  it('counts writes against the client’s rate limit, then refuses with 429 and when to retry', async () => {
    const { live } = commands({ writes: 1 });
    expect((await live.run(socket, storefront, place)).reply).toMatchObject({ status: 201, body: view });
    const refused = await live.run(socket, storefront, place).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect((refused as RetryLaterError).http.getStatus()).toBe(429);
    expect((refused as RetryLaterError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });

  it('runs a write only when admission control admits it, and releases it after', async () => {
    const refusing = commands({ admit: false });
    await expect(refusing.live.run(socket, storefront, { type: 'command', id: 'c2', action: 'cancel-order', orderId: ORDER })).rejects.toBeInstanceOf(RetryLaterError);
    const admitting = commands();
    expect((await admitting.live.run(socket, storefront, { type: 'command', id: 'c3', action: 'cancel-order', orderId: ORDER })).reply.status).toBe(202);
    expect(admitting.inFlight()).toBe(0);
  });

  it('subscribes, sending the view only if newer than sinceVersion, and forgets an unknown order', async () => {
    const { live, subscriptions } = commands();
    const newer = await live.run(socket, storefront, { type: 'command', id: 'c4', action: 'subscribe', orderId: ORDER, sinceVersion: 2 });
    expect(newer.reply).toMatchObject({ status: 200, body: { subscribed: ORDER, version: 3 } });
    expect(JSON.parse(String(newer.then))).toEqual({ type: 'event', action: 'order-updated', order: view });
    const same = await live.run(socket, storefront, { type: 'command', id: 'c5', action: 'subscribe', orderId: ORDER, sinceVersion: 3 });
    expect(same.then).toBeUndefined();
    expect(subscriptions.follows(socket, ORDER)).toBe(true);

    const missing = commands({ found: false });
    await expect(missing.live.run(socket, storefront, { type: 'command', id: 'c6', action: 'subscribe', orderId: ORDER })).rejects.toThrow(`order ${ORDER} not found`);
    expect(missing.subscriptions.follows(socket, ORDER)).toBe(false);
  });
});
