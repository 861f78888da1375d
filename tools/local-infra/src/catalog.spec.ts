import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_SKUS } from './catalog.js';

describe('CATALOG_SKUS', () => {
  it('lists exactly the SKUs the inventory catalog migration seeds', () => {
    const migrations = path.join(process.cwd(), 'prisma', 'migrations');
    const dir = readdirSync(migrations).find((name) => name.endsWith('_inventory_catalog'))!;
    const sql = readFileSync(path.join(migrations, dir, 'migration.sql'), 'utf8');
    const seeded = [...sql.matchAll(/^\s*\('([A-Z0-9-]+)',/gm)].map((m) => m[1]);
    expect([...CATALOG_SKUS].sort()).toEqual(seeded.sort());
  });
});
