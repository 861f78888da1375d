import { envelopeSchema, type EnvelopeHeader } from '#contracts';

/**
 * A quick check of the envelope for the common case, a valid one: a few type
 * checks and the schema's own patterns cost about half of what a zod object
 * parse does, on every message. It only ever says "valid" or "ask the
 * schema": whatever it does not accept goes through envelopeSchema, which
 * decides and names the issues, so nothing the schema refuses gets through
 * here. The payload is not looked at (it is validated against its contract).
 */

/** The fields checked below, in the schema's order; any other shape turns the quick check off. */
const FIELDS = ['id', 'type', 'schemaVersion', 'occurredAt', 'aggregateId', 'correlationId', 'causationId', 'payload'] as const;

interface Patterns {
  id: RegExp;
  occurredAt: RegExp;
  aggregateId: RegExp;
  correlationId: RegExp;
  causationId: RegExp;
}

/**
 * The patterns the schema's string formats test (`_zod.def.pattern`, what
 * zod itself runs), so the two cannot drift apart. Null, and every
 * envelope left to zod, if the schema's fields changed or zod stops exposing them.
 */
export const envelopePatterns: Patterns | null = readPatterns();

function readPatterns(): Patterns | null {
  const shape = envelopeSchema.shape as Record<string, unknown>;
  const keys = Object.keys(shape);
  if (keys.length !== FIELDS.length || keys.some((key, index) => key !== FIELDS[index])) return null;
  const patternOf = (field: keyof Patterns): RegExp | undefined => {
    const pattern = (shape[field] as { _zod?: { def?: { pattern?: unknown } } })._zod?.def?.pattern;
    // A global or sticky pattern would carry lastIndex from one test to the next.
    return pattern instanceof RegExp && !pattern.global && !pattern.sticky ? pattern : undefined;
  };
  const patterns = {
    id: patternOf('id'),
    occurredAt: patternOf('occurredAt'),
    aggregateId: patternOf('aggregateId'),
    correlationId: patternOf('correlationId'),
    causationId: patternOf('causationId'),
  };
  return Object.values(patterns).every(Boolean) ? (patterns as Patterns) : null;
}

type Json = Record<string, unknown>;

/**
 * The envelope's fields (and the payload as it came), when `json` is certainly
 * a valid envelope; undefined when the schema must decide.
 */
export function quickEnvelope(json: unknown, patterns: Patterns | null = envelopePatterns): (EnvelopeHeader & { payload: unknown }) | undefined {
  if (!patterns || typeof json !== 'object' || json === null) return undefined;
  const { id, type, schemaVersion, occurredAt, aggregateId, correlationId, causationId, payload } = json as Json;
  if (
    typeof id === 'string' &&
    patterns.id.test(id) &&
    typeof type === 'string' &&
    type.length > 0 &&
    typeof schemaVersion === 'number' &&
    Number.isSafeInteger(schemaVersion) &&
    schemaVersion > 0 &&
    typeof occurredAt === 'string' &&
    patterns.occurredAt.test(occurredAt) &&
    typeof aggregateId === 'string' &&
    patterns.aggregateId.test(aggregateId) &&
    typeof correlationId === 'string' &&
    patterns.correlationId.test(correlationId) &&
    typeof causationId === 'string' &&
    patterns.causationId.test(causationId) &&
    payload !== undefined
  ) {
    // A new object with the schema's fields only, as zod's parse returns.
    return { id, type, schemaVersion, occurredAt, aggregateId, correlationId, causationId, payload };
  }
  return undefined;
}
