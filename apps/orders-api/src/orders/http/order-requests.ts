import { z } from 'zod';
import { OrderState } from '#contracts';
import { fields } from '#http-api';

/**
 * What the order routes accept. These schemas are the validation and the
 * OpenAPI document alike (ValidBody, ValidQuery, ValidParam, ValidHeader).
 */

export const MAX_ORDER_LINES = 100;
/** Long enough for a UUID or a client's own scheme, short enough for its unique index. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const customerId = fields.text({ max: 64, example: 'cust-42', description: 'The customer placing the order' });

export const orderLineRequest = z.strictObject({
  sku: fields.sku({ description: 'Stock keeping unit: letters, digits, - and _. A SKU the catalog does not have rejects the order (REJECTED).' }),
  quantity: fields.integer({ min: 1, max: 10_000, example: 2 }),
  unitPriceCents: fields.integer({ min: 0, max: 10_000_000, example: 1599, description: 'Price of one unit, in cents' }),
});

/** Long enough for any postal address line we know of, short enough for a parcel label. */
export const MAX_ADDRESS_LINE_LENGTH = 100;

export const shippingAddressRequest = z.strictObject({
  line1: fields.text({ max: MAX_ADDRESS_LINE_LENGTH, example: '1 Harbour Road', description: 'Street and number' }),
  line2: fields.text({ max: MAX_ADDRESS_LINE_LENGTH, example: 'Unit 4', description: 'Flat, floor, building, care of' }).optional(),
  city: fields.text({ max: MAX_ADDRESS_LINE_LENGTH, example: 'Rotterdam' }),
  postalCode: fields.code({
    max: 16,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9 -]*[A-Za-z0-9])?$/,
    rule: 'may contain only letters, digits, spaces and -, and must start and end with a letter or digit',
    example: '3011 AB',
    description: 'As the country writes it: letters, digits, spaces and -',
  }),
  country: fields.code({
    max: 2,
    pattern: /^[A-Z]{2}$/,
    rule: 'must be an ISO 3166-1 alpha-2 code in capitals',
    example: 'NL',
    description: 'ISO 3166-1 alpha-2 code, in capitals',
  }),
});

/** Who receives the parcel and where: shown on the order and carried in orders.created. */
export const shippingRequest = z.strictObject({
  name: fields.text({ max: 100, example: 'Ann Example', description: 'The recipient, as on the parcel' }),
  email: fields.email({ example: 'ann@example.com', description: 'Where to send news of the delivery' }).optional(),
  address: shippingAddressRequest,
});
export type ShippingRequest = z.output<typeof shippingRequest>;

export const createOrderBody = z.strictObject({
  customerId,
  currency: fields
    .code({ max: 3, pattern: /^[A-Z]{3}$/, rule: 'must be a three-letter ISO 4217 code', example: 'EUR', description: 'ISO 4217 code' })
    .optional()
    .meta({ default: 'EUR' }),
  lines: z.array(orderLineRequest).min(1).max(MAX_ORDER_LINES),
  shipping: shippingRequest.optional().meta({ description: 'Who receives the parcel and where; the order shows null when not given' }),
});
export type CreateOrderRequest = z.output<typeof createOrderBody>;

export const cancelOrderBody = z.strictObject({ reason: fields.text({ max: 200, example: 'changed my mind' }).optional() }).optional();

export const listOrdersQuery = z.strictObject({
  state: fields.oneOf(Object.values(OrderState) as [OrderState, ...OrderState[]], { example: OrderState.SHIPPED }).optional(),
  customerId: customerId.optional(),
  limit: fields.queryInteger({ min: 1, max: 100, default: 20 }).optional(),
  cursor: fields.uuid({ description: 'The `nextCursor` of the previous page (orders come newest first)' }).optional(),
});

export const getOrderQuery = z.strictObject({
  consistency: fields
    .oneOf(['strong', 'eventual'], {
      description:
        'strong (the default): read from PostgreSQL. eventual: from the order_state KV bucket, falling back to PostgreSQL ' +
        'when the bucket does not have the order yet; the X-Read-Source header says which.',
    })
    .optional(),
});

export const orderId = fields.uuid({ example: '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c', description: 'The order id' });

export const idempotencyKey = fields
  .code({
    max: MAX_IDEMPOTENCY_KEY_LENGTH,
    pattern: /^[\x21-\x7e]+$/,
    rule: 'may contain only visible ASCII characters',
    description:
      `At most ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (a UUID is a good choice). Same key and body: the first ` +
      'order is returned again. Same key, other body: 409.',
  })
  .optional();

export const correlationId = fields
  .uuid({ description: 'UUID that ties this request to the events it causes; generated when absent' })
  .optional();

export const shipOrderBody = z.strictObject({
  trackingNumber: fields.code({
    max: 64,
    pattern: /^[A-Za-z0-9-]+$/,
    rule: 'may contain only letters, digits and -',
    example: 'JD014600003828744567',
    description: 'The tracking number the carrier gave for the parcel',
  }),
  carrier: fields.text({ max: 64, example: 'DHL', description: 'Who carries it; MANUAL when not given' }).optional(),
});
