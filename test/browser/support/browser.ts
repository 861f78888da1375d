import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureSystemBinary, repoRoot, type SystemBinary } from '#local-infra';

/**
 * Headless Chromium for the console tests: Debian's /usr/bin/chromium with
 * the flags of /work/shared/ENVIRONMENT.md (no sandbox as root, no GPU, no
 * background traffic, a fresh profile per launch), driven by playwright-core. Nothing
 * is downloaded.
 */
export const CHROMIUM: SystemBinary = {
  name: 'chromium',
  debianPackage: 'chromium',
  envVar: 'CHROMIUM_PATH',
  installHelp: ['Install Debian\'s Chromium, then run the tests again:', '  sudo apt-get install -y chromium'],
};
export const ARTIFACTS = path.join(repoRoot(), 'test-artifacts', 'browser');
export const DESKTOP = { width: 1280, height: 900 };
/** The narrowest phone the console must work at. */
export const PHONE = { width: 375, height: 740 };

export interface ConsoleBrowser {
  readonly browser: Browser;
  /** A fresh context (its own sessionStorage) with the console signed in with `apiKey` through the #key= link. */
  open(origin: string, route: string, apiKey: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<ConsoleBrowser> {
  const browser = await chromium.launch({
    // Found on the machine or, as for nats-server, installed from Debian on the spot (about 17 s).
    executablePath: await ensureSystemBinary(CHROMIUM),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // No --user-data-dir: Playwright gives every launch a fresh profile of its own, and refuses the flag.
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async open(origin, route, apiKey, viewport = DESKTOP) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${origin}/console/${route.replace(/^\//, '')}#key=${encodeURIComponent(apiKey)}`);
      // Signed in: the navigation shows once the key is checked.
      await page.getByRole('navigation', { name: 'Console' }).waitFor();
      expect(errors).toEqual([]);
      return page;
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await browser.close();
    },
  };
}

/** A full-page screenshot in test-artifacts/browser/<name>.png (kept by CI as an artifact). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** axe-core finds no WCAG 2.1 A/AA violation on the page as it stands. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(violations).toEqual([]);
}

/** At phone width nothing runs off the side: the page never scrolls sideways. */
export async function expectFitsPhoneWidth(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

/** Marks the page's document, so a test can tell that what it saw came without a reload. */
export async function markDocument(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
  return () => page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true);
}
