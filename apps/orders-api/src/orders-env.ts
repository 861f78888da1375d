import { z } from 'zod';
import { commonEnvSchema } from '#config';

export const ordersEnvSchema = commonEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
});
