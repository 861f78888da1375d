import { apiHeaders, type ApiEndpoint } from './api-keys.js';

/**
 * SKUs of the catalog that the inventory migration seeds
 * (prisma/migrations/*_inventory_catalog): what the demo, the bench and the
 * tests order, so their orders are reserved rather than rejected. A unit test
 * checks the list against the migration.
 */
export const CATALOG_SKUS = [
  'COFFEE-BEANS-1KG', 'COFFEE-BEANS-250G', 'COFFEE-DECAF-500G', 'COFFEE-GROUND-500G', 'COFFEE-CAPSULES-50', 'COLD-BREW-CONC-1L',
  'TEA-SENCHA-100G', 'TEA-ASSAM-250G', 'CHAI-SPICE-200G', 'COCOA-POWDER-500G', 'GRINDER-HAND', 'GRINDER-ELECTRIC',
  'ESPRESSO-MACHINE', 'MOKA-POT-6', 'FRENCH-PRESS-1L', 'AEROPRESS', 'POUR-OVER-DRIPPER', 'CHEMEX-6',
  'KETTLE-GOOSENECK', 'KETTLE-STOVETOP', 'SCALE-DIGITAL', 'FILTER-PAPER-100', 'FILTER-METAL', 'TAMPER-58MM',
  'MILK-JUG-600ML', 'MILK-FROTHER', 'MUG-CERAMIC', 'MUG-TRAVEL', 'CUP-ESPRESSO-SET', 'GLASS-DOUBLE-WALL',
  'CANISTER-VACUUM', 'DESCALER-500ML', 'CLEANING-TABLETS-100', 'KNOCK-BOX', 'SYRUP-VANILLA', 'GIFT-BOX-TASTING',
] as const;

/** A product as GET /api/v1/products shows it (the fields these tools read). */
export interface CatalogProduct {
  sku: string;
  name: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
}

/** Every product of the catalog, through inventory's API. */
export async function listCatalog(inventory: ApiEndpoint): Promise<CatalogProduct[]> {
  const products: CatalogProduct[] = [];
  for (let after: string | null = null; ; ) {
    const query: string = after ? `&after=${encodeURIComponent(after)}` : '';
    const response = await fetch(`${inventory.url}/api/v1/products?limit=500${query}`, { headers: apiHeaders(inventory) });
    if (!response.ok) throw new Error(`GET /api/v1/products: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { items: CatalogProduct[]; nextCursor: string | null };
    products.push(...page.items);
    if (!page.nextCursor) return products;
    after = page.nextCursor;
  }
}

/**
 * Restocks every product to at least `units` available, through the API as an
 * operator would (version-checked): for load runs that would otherwise sell
 * the seeded stock out and see their orders REJECTED.
 */
export async function stockUpCatalog(inventory: ApiEndpoint, units: number): Promise<void> {
  for (const product of await listCatalog(inventory)) {
    if (product.available >= units) continue;
    const response = await fetch(`${inventory.url}/api/v1/products/${encodeURIComponent(product.sku)}/restock`, {
      method: 'POST',
      headers: apiHeaders(inventory, { 'content-type': 'application/json' }),
      body: JSON.stringify({ quantity: units - product.available, version: product.version }),
    });
    if (!response.ok) throw new Error(`restock ${product.sku}: ${response.status} ${await response.text()}`);
  }
}
