import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * The OpenAPI 3.0 schema of an input, from the same zod schema the server
 * validates with, so the document cannot promise what the server does not
 * check. `io: 'input'` for bodies (what the client sends); `'output'` for
 * query, path and header values, whose wire form is always text and whose
 * documented type is what the text must spell (an integer, a UUID).
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return json as SchemaObject;
}
