import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import { ALL_EVENTS } from './registry.js';

/**
 * JSON Schema (draft 2020-12) for every event, envelope included, so services
 * written in other languages can validate what they read.
 */
export function eventJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    ALL_EVENTS.map((event) => [
      `${event.type}@v${event.schemaVersion}`,
      z.toJSONSchema(
        envelopeSchema.extend({
          type: z.literal(event.type),
          schemaVersion: z.literal(event.schemaVersion),
          payload: event.payload,
        }),
      ),
    ]),
  );
}
