import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { OrderCreated, type PayloadOf } from '#contracts';
import { SqlDatabase, isUniqueViolation } from '#database';
import { UnitsOfWork, causedByRequest, newEvent, type UnitOfWork } from '#messaging';
import { priceLines } from './domain/order-pricing.js';
import type { CreateOrderRequest, ShippingRequest } from './http/order-requests.js';
import type { OrderViewDto } from './http/order-view.dto.js';
import { findByIdempotencyKey, insertOrders } from './order-rows.js';
import { OrderViews, orderViewsById } from './order-views.js';
import { orderStatePut } from '../order-state-cache/order-state-cache.js';
import { recordInTimeline } from './timeline/order-timeline.js';

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

export interface CreateOrderResult {
  order: OrderViewDto;
  /** True when the Idempotency-Key matched an earlier identical request. */
  replayed: boolean;
}

const DEFAULT_CURRENCY = 'EUR';

/**
 * Accepts an order: the order, its lines, its first history entry, the
 * orders.created event and the order's entry in the KV mirror commit
 * together, as one unit of work: requests arriving together share a
 * transaction and its statements (group commit, see UnitsOfWork), each
 * answered after that commit. The same Idempotency-Key with the same body
 * returns the first order; with another body it is refused.
 */
@Injectable()
export class CreateOrderService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly unitsOfWork: UnitsOfWork,
    private readonly views: OrderViews,
  ) {}

  async create(request: CreateOrderRequest, idempotencyKey?: string, correlationId?: string): Promise<CreateOrderResult> {
    const requestHash = hashRequest(request);
    if (idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(idempotencyKey, requestHash);
      if (earlier) return { order: earlier, replayed: true };
    }
    try {
      const order = await this.unitsOfWork.run((uow) => this.insert(uow, request, requestHash, idempotencyKey, correlationId));
      return { order, replayed: false };
    } catch (error) {
      // Two requests with one key raced; the loser answers like a replay.
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKey(idempotencyKey, requestHash);
        if (earlier) return { order: earlier, replayed: true };
      }
      throw error;
    }
  }

  private async insert(
    uow: UnitOfWork,
    request: CreateOrderRequest,
    requestHash: string,
    idempotencyKey: string | undefined,
    correlationId: string | undefined,
  ): Promise<OrderViewDto> {
    const id = uuidv7();
    const cause = causedByRequest(correlationId);
    const currency = request.currency ?? DEFAULT_CURRENCY;
    const { lines, totalCents } = priceLines(request.lines);
    await uow.write(insertOrders, {
      id,
      customerId: request.customerId,
      currency,
      totalCents,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      correlationId: cause.correlationId,
      causationId: cause.causationId,
      lines,
      shipping: request.shipping ?? null,
    });
    // The view the client gets is the mirror's value too: one read for both.
    const view = (await uow.read(orderViewsById, id))!;
    const emitted = uow.emit(
      [newEvent(OrderCreated, id, createdPayload(id, request, currency, totalCents), cause)],
      [orderStatePut(view)],
    );
    await recordInTimeline(uow, emitted);
    return view;
  }

  private async findByIdempotencyKey(key: string, requestHash: string): Promise<OrderViewDto | null> {
    const earlier = await findByIdempotencyKey(this.db, key);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw new IdempotencyKeyReusedError(`Idempotency-Key ${key} was already used with a different request body`);
    }
    return this.views.find(earlier.id);
  }
}

/** orders.created as the request gave it: shipping only when the customer gave it (the field is optional in v1). */
function createdPayload(orderId: string, request: CreateOrderRequest, currency: string, totalCents: number): PayloadOf<typeof OrderCreated> {
  return {
    orderId,
    customerId: request.customerId,
    currency,
    lines: request.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
    totalCents,
    ...(request.shipping ? { shipping: request.shipping } : {}),
  };
}

/**
 * Hash of the request as the server understood it, so key order and
 * whitespace do not matter. A request without shipping hashes as it did
 * before the field existed, so a key first used then still replays.
 */
function hashRequest(request: CreateOrderRequest): string {
  const canonical = {
    customerId: request.customerId,
    currency: request.currency ?? DEFAULT_CURRENCY,
    lines: request.lines.map(({ sku, quantity, unitPriceCents }) => [sku, quantity, unitPriceCents]),
    ...(request.shipping ? { shipping: canonicalShipping(request.shipping) } : {}),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function canonicalShipping({ name, email, address }: ShippingRequest): Array<string | null> {
  return [name, email ?? null, address.line1, address.line2 ?? null, address.city, address.postalCode, address.country];
}
