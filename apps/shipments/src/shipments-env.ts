import { z } from 'zod';
import { commonEnvSchema } from '#config';

export const shipmentsEnvSchema = commonEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** Warehouses a shipment can be packed in; one is picked per order. */
  SHIPMENT_WAREHOUSES: z
    .string()
    .default('AMS-1,FRA-2,WAW-1')
    .transform((v) => v.split(',').map((w) => w.trim()).filter(Boolean)),
  /**
   * How long packing a paid order takes before its shipment is prepared (and
   * then handed to the carrier): a cancellation arriving meanwhile still stops
   * the parcel. 0 packs at once.
   */
  SHIPMENT_PACKING_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * automatic: a prepared shipment goes to the carrier at once (the mock
   * carrier books it). manual: it waits for an operator to hand it over
   * (POST /api/v1/orders/{id}/ship on orders-api, which sends
   * orders.dispatch-requested with the tracking number).
   */
  SHIPMENT_DISPATCH: z.enum(['automatic', 'manual']).default('automatic'),
  /** Seed of the mock carrier: the same seed and shipment, the same carrier and tracking number. */
  SHIPMENT_CARRIER_SEED: z.string().min(1).default('order-pipeline'),
});

export type ShipmentsEnv = z.infer<typeof shipmentsEnvSchema>;
