import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PUBLIC_API_DOCUMENT_FILE } from '../../../apps/orders-api/src/public-edge.js';
import { buildPublicApiDocument } from './public-api-document.js';

// npm run build writes the public API's document where orders-api serves it from; --out elsewhere, --stdout to print it.
const { values } = parseArgs({ options: { out: { type: 'string' }, stdout: { type: 'boolean', default: false } } });
const json = `${JSON.stringify(await buildPublicApiDocument(), null, 2)}\n`;
if (values.stdout) {
  process.stdout.write(json);
} else {
  const file = values.out ?? PUBLIC_API_DOCUMENT_FILE;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, json);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
