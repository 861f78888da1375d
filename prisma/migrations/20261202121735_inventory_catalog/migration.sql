-- The catalog the pipeline starts with: three dozen products of a coffee shop,
-- with their stock. Ids are derived from the SKU, so every database seeded by
-- this migration names a product the same way. Restock through
-- POST /api/v1/products/{sku}/restock (operator scope).
INSERT INTO "inventory"."products" ("id", "sku", "name", "price_cents", "currency", "on_hand", "low_stock_threshold")
SELECT md5('product:' || p.sku)::uuid, p.sku, p.name, p.price_cents, 'EUR', p.on_hand, p.low_stock_threshold
  FROM (VALUES
    ('COFFEE-BEANS-1KG',      'Espresso roast beans, 1 kg',            2490, 400, 40),
    ('COFFEE-BEANS-250G',     'Single-origin beans, 250 g',             990, 600, 60),
    ('COFFEE-DECAF-500G',     'Decaf beans, 500 g',                    1450, 150, 15),
    ('COFFEE-GROUND-500G',    'Filter grind, 500 g',                   1190, 300, 30),
    ('COFFEE-CAPSULES-50',    'Compostable capsules, 50',              1790, 250, 25),
    ('COLD-BREW-CONC-1L',     'Cold brew concentrate, 1 l',            1390, 120, 12),
    ('TEA-SENCHA-100G',       'Sencha green tea, 100 g',                890, 200, 20),
    ('TEA-ASSAM-250G',        'Assam black tea, 250 g',                1090, 160, 16),
    ('CHAI-SPICE-200G',       'Chai spice blend, 200 g',                790, 140, 14),
    ('COCOA-POWDER-500G',     'Drinking cocoa, 500 g',                  990, 110, 11),
    ('GRINDER-HAND',          'Hand grinder, ceramic burrs',           5900,  80,  8),
    ('GRINDER-ELECTRIC',      'Electric burr grinder',                14900,  40,  5),
    ('ESPRESSO-MACHINE',      'Dual-boiler espresso machine',         89900,  12,  3),
    ('MOKA-POT-6',            'Moka pot, 6 cups',                      3490,  90,  9),
    ('FRENCH-PRESS-1L',       'French press, 1 l',                     2990, 100, 10),
    ('AEROPRESS',             'Immersion brewer with filters',         3990,  70,  7),
    ('POUR-OVER-DRIPPER',     'Ceramic pour-over dripper',             2490, 110, 11),
    ('CHEMEX-6',              'Glass carafe brewer, 6 cups',           4990,  45,  5),
    ('KETTLE-GOOSENECK',      'Gooseneck kettle, temperature control', 7990,  60,  6),
    ('KETTLE-STOVETOP',       'Stovetop kettle, 1.2 l',                3990,  50,  5),
    ('SCALE-DIGITAL',         'Brewing scale with timer',              2990, 130, 13),
    ('FILTER-PAPER-100',      'Paper filters, 100',                     450, 900, 90),
    ('FILTER-METAL',          'Stainless steel filter',                1490, 140, 14),
    ('TAMPER-58MM',           'Espresso tamper, 58 mm',                2990,  60,  6),
    ('MILK-JUG-600ML',        'Milk frothing jug, 600 ml',             1990,  90,  9),
    ('MILK-FROTHER',          'Electric milk frother',                 4490,  55,  6),
    ('MUG-CERAMIC',           'Ceramic mug, 350 ml',                   1200, 500, 50),
    ('MUG-TRAVEL',            'Insulated travel mug, 450 ml',          2490, 220, 22),
    ('CUP-ESPRESSO-SET',      'Espresso cups, set of 4',               2290,  80,  8),
    ('GLASS-DOUBLE-WALL',     'Double-walled glasses, set of 2',       1890, 120, 12),
    ('CANISTER-VACUUM',       'Vacuum coffee canister',                2190, 100, 10),
    ('DESCALER-500ML',        'Machine descaler, 500 ml',               990, 260, 26),
    ('CLEANING-TABLETS-100',  'Group head cleaning tablets, 100',      1290, 180, 18),
    ('KNOCK-BOX',             'Espresso knock box',                    2490,  50,  5),
    ('SYRUP-VANILLA',         'Vanilla syrup, 700 ml',                  890, 150, 15),
    ('GIFT-BOX-TASTING',      'Tasting gift box, 4 coffees',           3990,  30,  5)
  ) AS p (sku, name, price_cents, on_hand, low_stock_threshold);
