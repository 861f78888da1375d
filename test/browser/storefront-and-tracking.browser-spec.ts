import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { ApiEndpoint, Pipeline } from '#local-infra';
import { eventually } from '../e2e/support/eventually.js';
import { expectAccessible, expectFitsPhoneWidth, markDocument, PHONE, screenshot, type ConsoleBrowser } from './support/browser.js';
import type { ConsoleServer } from './support/console-server.js';
import { startConsoleStack, type ConsoleStack } from './support/console-stack.js';
import { getOrder, placeOrder } from './support/orders.js';

/**
 * The customer's side of the console in a real browser, on the built
 * services: an order placed through the storefront (catalog, cart,
 * checkout, confirmation) whose tracking page fills in live up to SHIPPED
 * without a reload; an order cancelled from its tracking page; the analytics
 * page moving as orders come in; and every page passing axe and fitting a
 * 375 px phone.
 *
 * A payment takes 3 s (PAYMENT_LATENCY_MS), so the tracking page is seen
 * before the order ships, and an order stays cancellable long enough for a
 * person (and this test) to press the button.
 */
const PAYMENT_LATENCY_MS = 3_000;
const STATE = '[data-testid="order-state"]';

describe('console: storefront, tracking and analytics (headless Chromium, built services, real NATS and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  let pipeline: Pipeline;
  let server: ConsoleServer;
  let chromium: ConsoleBrowser;
  let storefrontApi: ApiEndpoint;
  let stack: ConsoleStack | undefined;

  beforeAll(async () => {
    stack = await startConsoleStack({
      databaseName: `browser_storefront_${run}`,
      paymentSuccessRate: 1,
      paymentLatencyMs: PAYMENT_LATENCY_MS,
    });
    ({ pipeline, server, chromium } = stack);
    storefrontApi = { url: pipeline.apiUrl, key: pipeline.apiKeys.storefront };
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const open = (route: string, viewport?: { width: number; height: number }): Promise<Page> =>
    chromium.open(server.origin, route, pipeline.apiKeys.storefront, viewport);

  it('asks for a key first, accessibly', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.origin}/console/`);
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
    await context.close();
  });

  it('places an order through the storefront and watches its tracking page reach SHIPPED without a reload', async () => {
    const page = await open('/');
    // A customer's key: no operator pages.
    expect(await page.getByRole('link', { name: 'Operations' }).count()).toBe(0);
    const aeropress = page.locator('li.product', { hasText: 'AEROPRESS' });
    await aeropress.getByText('in stock').waitFor();
    const filters = page.locator('li.product', { hasText: 'FILTER-PAPER-100' });
    await aeropress.getByRole('button', { name: /Add to cart/ }).click();
    await filters.getByRole('button', { name: /Add to cart/ }).click();
    await filters.getByRole('button', { name: /Add to cart/ }).click();
    await expectAccessible(page);
    await screenshot(page, 'storefront');

    const email = `ann.${run}@example.com`;
    await page.getByLabel('Name').fill('Ann Example');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Street and number').fill('1 Harbour Road');
    await page.getByLabel('Postal code').fill('3011 AB');
    await page.getByLabel('City').fill('Rotterdam');
    await page.getByLabel('Country code').fill('nl');
    const posted = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/orders');
    await page.getByRole('button', { name: 'Place order' }).click();
    // The body as the console sent it: the customer is the e-mail; name, e-mail and address are the order's
    // shipping (trimmed, the country in capitals, no empty second line).
    const shipping = { name: 'Ann Example', email, address: { line1: '1 Harbour Road', city: 'Rotterdam', postalCode: '3011 AB', country: 'NL' } };
    expect((await posted).postDataJSON()).toMatchObject({ customerId: email, shipping });

    const orderId = (await page.getByTestId('order-number').textContent())!;
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
    // Straight to tracking (the payment alone takes 3 s); the confirmation's axe check is the phone test's.
    await page.getByRole('link', { name: 'Track your order' }).click();
    const notReloaded = await markDocument(page);
    const firstSeen = await page.locator(STATE).getAttribute('data-state');
    expect(firstSeen).not.toBe('SHIPPED');
    const placed = await getOrder(storefrontApi, orderId);
    expect(placed).toMatchObject({ customerId: email, currency: 'EUR', totalCents: 3990 + 2 * 450 });
    expect(placed.shipping).toEqual(shipping);
    const shipTo = (await page.getByTestId('ship-to').innerText()).split('\n');
    expect(shipTo.slice(0, 3)).toEqual(['Ann Example', '1 Harbour Road', '3011 AB Rotterdam']);
    expect(placed.lines).toEqual([
      expect.objectContaining({ sku: 'AEROPRESS', quantity: 1, unitPriceCents: 3990 }),
      expect.objectContaining({ sku: 'FILTER-PAPER-100', quantity: 2, unitPriceCents: 450 }),
    ]);
    await page.locator(`${STATE}[data-state="SHIPPED"]`).waitFor({ timeout: 30_000 });
    expect(await notReloaded()).toBe(true);

    // Every step is filled in with its time; carrier and tracking number as the API has them.
    const shipped = await getOrder(storefrontApi, orderId);
    for (const step of ['CREATED', 'RESERVED', 'PAID', 'SHIPMENT_PREPARED', 'SHIPPED']) {
      const item = page.locator(`.status-bar li[data-step="${step}"]`);
      expect(await item.getAttribute('class')).toContain('done');
      expect((await item.locator('.step-time').textContent())?.trim()).not.toBe('');
    }
    expect(await page.getByTestId('tracking-number').textContent()).toBe(shipped.trackingNumber);
    expect(await page.getByTestId('carrier').textContent()).toBe(shipped.carrier);
    await page.getByTestId('timeline').getByText('shipments.dispatched').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'tracking');

    const phone = await open(`/orders/${orderId}`, PHONE);
    await phone.locator(`${STATE}[data-state="SHIPPED"]`).waitFor();
    await expectFitsPhoneWidth(phone);
    await expectAccessible(phone);
    await screenshot(phone, 'tracking-phone');
  });

  it('cancels an order from its tracking page, after asking', async () => {
    const order = await placeOrder(storefrontApi, `cancel.${run}@example.com`, { sku: 'MUG-CERAMIC', unitPriceCents: 1200 });
    const page = await open(`/orders/${order.id}`);
    const notReloaded = await markDocument(page);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    // Backing out leaves the order alone.
    await page.getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.getByLabel('Reason (optional)').fill('ordered the wrong size');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.locator(`${STATE}[data-state="CANCELLED"]`).waitFor({ timeout: 30_000 });
    expect(await notReloaded()).toBe(true);
    expect(await page.getByTestId('outcome-reason').textContent()).toContain('ordered the wrong size');
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect((await getOrder(storefrontApi, order.id)).state).toBe('CANCELLED');
    await expectAccessible(page);
    await screenshot(page, 'tracking-cancelled');
  });

  it('shows the analytics moving as orders are paid, live', async () => {
    const page = await open('/analytics');
    await page.locator('[data-testid="feed-status"][data-live="true"]').waitFor({ timeout: 15_000 });
    const created = async (): Promise<number> => Number(await page.getByTestId('orders-created').textContent());
    const before = await created();
    const notReloaded = await markDocument(page);
    const customer = `analytics.${run}@example.com`;
    await placeOrder(storefrontApi, customer, { sku: 'MUG-CERAMIC', unitPriceCents: 1200 });
    await eventually('the analytics page to count the new order', async () => ((await created()) > before ? true : undefined), { timeoutMs: 30_000 });
    // Once it is paid, its customer is among the top customers.
    await page.getByRole('cell', { name: customer }).waitFor({ timeout: 30_000 });
    expect(await notReloaded()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'analytics');
  });

  it('checks out at phone width, and the confirmation passes axe', async () => {
    const page = await open('/', PHONE);
    await page.locator('li.product', { hasText: 'MUG-TRAVEL' }).getByRole('button', { name: /Add to cart/ }).click();
    await page.getByLabel('Name').fill('Bo Phone');
    await page.getByLabel('E-mail').fill(`bo.${run}@example.com`);
    await page.getByLabel('Street and number').fill('2 Quay Street');
    await page.getByLabel('Apartment, floor (optional)').fill('Flat 3');
    await page.getByLabel('Postal code').fill('H91 X2Y3');
    await page.getByLabel('City').fill('Galway');
    await page.getByLabel('Country code').fill('IE');
    await expectFitsPhoneWidth(page);
    await screenshot(page, 'checkout-phone');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByTestId('order-number').waitFor();
    await expectFitsPhoneWidth(page);
    await expectAccessible(page);
    await screenshot(page, 'confirmation-phone');
  });

  // Each page once its content is in (not "network idle": the analytics feed never idles).
  it.each([
    ['storefront', '/', 'li.product'],
    ['analytics', '/analytics', '[data-testid="orders-created"]'],
    ['track', '/orders', 'form'],
  ])('fits a 375 px phone and passes axe: %s', async (name, route, ready) => {
    const page = await open(route, PHONE);
    await page.locator(`main ${ready}`).first().waitFor();
    await expectFitsPhoneWidth(page);
    await expectAccessible(page);
    await screenshot(page, `${name}-phone`);
  });
});
