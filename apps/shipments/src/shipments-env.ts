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
});

export type ShipmentsEnv = z.infer<typeof shipmentsEnvSchema>;
