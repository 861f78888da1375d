import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { EnvelopeOf, EventDefinition, PayloadOf } from '#contracts';

/**
 * A valid envelope of `event`, its payload made up from the event's schema
 * (UUIDs, the shortest strings and smallest numbers allowed, one item per
 * array) with `overrides` on top: for tests of a service that consumes events
 * it does not produce. Written by the service-app schematic.
 *
 * Throws, with the schema's complaint, when the made-up payload is not valid
 * (a regex, a refinement): pass such fields in `overrides`.
 */
export function sampleEvent<D extends EventDefinition>(event: D, overrides: Partial<PayloadOf<D>> = {}): EnvelopeOf<D> {
  const jsonSchema = z.toJSONSchema(event.payload, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const candidate = { ...(samplePayload(jsonSchema) as object), ...overrides };
  const parsed = event.payload.safeParse(candidate);
  if (!parsed.success) {
    throw new Error(`sampleEvent(${event.type}) made up an invalid payload; pass these fields in overrides: ${parsed.error.message}`);
  }
  const id = uuidv7();
  const orderId = (candidate as { orderId?: unknown }).orderId;
  return {
    id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: new Date().toISOString(),
    aggregateId: typeof orderId === 'string' ? orderId : uuidv7(),
    correlationId: id,
    causationId: id,
    payload: parsed.data as PayloadOf<D>,
  };
}

interface JsonSchema {
  type?: string | string[];
  format?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

function samplePayload(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices?.length) return samplePayload(choices.find((choice) => choice.type !== 'null') ?? choices[0]!);
  if (schema.allOf?.length) return samplePayload(schema.allOf[0]!);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, samplePayload(value)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => samplePayload(schema.items ?? {}));
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return sampleNumber(schema);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function sampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return uuidv7();
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    default:
      return 'x'.repeat(Math.min(Math.max(schema.minLength ?? 1, 1), schema.maxLength ?? Number.MAX_SAFE_INTEGER));
  }
}

function sampleNumber(schema: JsonSchema): number {
  let value = 1;
  if (schema.minimum !== undefined && schema.minimum > value) value = schema.minimum;
  if (schema.exclusiveMinimum !== undefined && schema.exclusiveMinimum >= value) value = Math.floor(schema.exclusiveMinimum) + 1;
  if (schema.maximum !== undefined && schema.maximum < value) value = schema.maximum;
  return value;
}
