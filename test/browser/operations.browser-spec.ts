import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Page } from 'playwright-core';
import { apiHeaders, type ApiEndpoint, type Pipeline } from '#local-infra';
import { eventually } from '../e2e/support/eventually.js';
import { expectAccessible, expectFitsPhoneWidth, markDocument, PHONE, screenshot, type ConsoleBrowser } from './support/browser.js';
import type { ConsoleServer } from './support/console-server.js';
import { startConsoleStack, type ConsoleStack } from './support/console-stack.js';
import { getOrder, placeOrder } from './support/orders.js';

/**
 * The operator's side of the console in a real browser: dead letters appear
 * in Operations as they happen, and an operator replays one there (after
 * confirming) once the cause is fixed, and its order completes; another is
 * discarded with a reason. The page passes axe and fits a 375 px phone, and
 * a customer's key sees no operator page.
 *
 * The cause, as in the fix-and-replay chaos scenario: every charge attempt
 * meets a gateway error (PAYMENT_GATEWAY_ERROR_RATE=1) and the last one
 * hangs (FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT), so after ack-wait (2 s) the
 * inventory.reserved message is dead-lettered and the order waits
 * PAYMENT_PENDING. The fix: payments is killed, and its supervisor starts it
 * without the fault and with a healthy gateway.
 */
describe('console: operations and dead letters (headless Chromium, built services, real NATS and PostgreSQL)', () => {
  const run = randomBytes(4).toString('hex');
  let pipeline: Pipeline;
  let server: ConsoleServer;
  let chromium: ConsoleBrowser;
  let operator: ApiEndpoint;
  let stack: ConsoleStack | undefined;

  beforeAll(async () => {
    stack = await startConsoleStack({
      databaseName: `browser_operations_${run}`,
      paymentSuccessRate: 1,
      paymentLatencyMs: 5,
      paymentGatewayErrorRate: 1,
      env: { payments: { FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'true', CONSUMER_ACK_WAIT_MS: '2000' } },
      autoRestart: ['payments'],
      autoRestartEnv: { FAULT_PAYMENTS_HANG_ON_LAST_ATTEMPT: 'false', PAYMENT_GATEWAY_ERROR_RATE: '0' },
    });
    ({ pipeline, server, chromium } = stack);
    operator = pipeline.api;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const open = (route: string, viewport?: { width: number; height: number }): Promise<Page> =>
    chromium.open(server.origin, route, pipeline.apiKeys.operator, viewport);

  it('shows a customer key no operator page', async () => {
    const page = await chromium.open(server.origin, '/operations', pipeline.apiKeys.storefront);
    expect(await page.getByRole('link', { name: 'Operations' }).count()).toBe(0);
    // The route is not there for it: the console sends it to the shop.
    await page.getByRole('heading', { name: 'Shop' }).waitFor();
  });

  it('shows dead letters as they appear, replays one after the fix until its order ships, and discards another', async () => {
    const page = await open('/operations');
    const notReloaded = await markDocument(page);
    await page.getByText('No dead letters are waiting.').waitFor();
    const replayed = await placeOrder(operator, `replay.${run}@example.com`, { sku: 'KETTLE-STOVETOP', unitPriceCents: 3990 });
    const discarded = await placeOrder(operator, `discard.${run}@example.com`, { sku: 'KETTLE-STOVETOP', unitPriceCents: 3990 });

    const letters = page.getByTestId('dead-letter');
    await eventually('two dead letters on the Operations page', async () => ((await letters.count()) === 2 ? true : undefined), { timeoutMs: 45_000 });
    expect(await notReloaded()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'operations');

    // Inspect shows the message: find which letter is which order's.
    const letterOf = async (orderId: string) => {
      for (let i = 0; i < (await letters.count()); i++) {
        const letter = letters.nth(i);
        await letter.getByRole('button', { name: /^Inspect/ }).click();
        const body = await letter.getByLabel('Message body').textContent();
        await letter.getByRole('button', { name: 'Close' }).click();
        if (body?.includes(orderId)) return letter;
      }
      throw new Error(`no dead letter shows order ${orderId}`);
    };
    const toReplay = await letterOf(replayed.id);
    await toReplay.getByRole('button', { name: /^Inspect/ }).click();
    await screenshot(page, 'operations-inspect');
    expect((await getOrder(operator, replayed.id)).state).toBe('PAYMENT_PENDING');

    // The fix is deployed: payments restarted by its supervisor without the fault.
    const restartsBefore = pipeline.services.payments.autoRestarts;
    process.kill(pipeline.services.payments.pid!, 'SIGKILL');
    await eventually('payments started again', async () => (pipeline.services.payments.autoRestarts > restartsBefore ? true : undefined), { timeoutMs: 30_000 });
    await pipeline.services.payments.waitReady();

    await toReplay.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('button', { name: 'Yes, replay' }).click();
    await page.getByRole('status').filter({ hasText: 'Replayed' }).waitFor();
    await eventually('the replayed order to ship', async () => ((await getOrder(operator, replayed.id)).state === 'SHIPPED' ? true : undefined), {
      timeoutMs: 30_000,
    });

    const toDiscard = await letterOf(discarded.id);
    await toDiscard.getByRole('button', { name: 'Discard' }).click();
    await toDiscard.getByLabel('Reason').fill('customer asked by phone; refunded by hand');
    await toDiscard.getByRole('button', { name: 'Yes, discard' }).click();
    await page.getByText('No dead letters are waiting.').waitFor({ timeout: 10_000 });
    const statuses = await deadLetterStatuses(operator);
    expect(statuses.sort()).toEqual(['DISCARDED', 'REPLAYED']);
    expect(await notReloaded()).toBe(true);
  });

  it('fits a 375 px phone and passes axe', async () => {
    const page = await open('/operations', PHONE);
    await page.getByRole('heading', { name: /Dead letters/ }).waitFor();
    await expectFitsPhoneWidth(page);
    await expectAccessible(page);
    await screenshot(page, 'operations-phone');
  });
});

async function deadLetterStatuses(api: ApiEndpoint): Promise<string[]> {
  const response = await fetch(`${api.url}/api/v1/dead-letters?limit=100`, { headers: apiHeaders(api) });
  if (!response.ok) throw new Error(`GET /dead-letters answered ${response.status}`);
  return ((await response.json()) as { items: Array<{ status: string }> }).items.map((item) => item.status);
}
