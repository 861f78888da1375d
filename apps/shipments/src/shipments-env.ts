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
   * How long a prepared parcel waits for the carrier before it is dispatched:
   * the window in which a cancellation still stops it. 0 hands it over at once.
   */
  SHIPMENT_DISPATCH_DELAY_MS: z.coerce.number().int().min(0).default(0),
});

export type ShipmentsEnv = z.infer<typeof shipmentsEnvSchema>;
