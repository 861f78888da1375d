import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import { ALL_EVENTS } from './registry.js';

/**
 * JSON Schema (draft 2020-12) for every event, envelope included, so services
 * written in other languages can validate what they read. As the input side
 * (`io: 'input'`): objects stay open, without `additionalProperties: false`,
 * because consumers ignore fields they do not know and a version may gain
 * optional ones (VERSIONING.md rule 1); a reader holding an older printout
 * must still accept the newer events.
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
        { io: 'input' },
      ),
    ]),
  );
}
