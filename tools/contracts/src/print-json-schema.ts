/**
 * Prints the JSON Schema of every event at every version, keyed
 * `type@vN`, for services that do not share this TypeScript code.
 *   npm run contracts:json-schema > contracts.schema.json
 */
import { eventJsonSchemas } from '#contracts';

process.stdout.write(`${JSON.stringify(eventJsonSchemas(), null, 2)}\n`);
