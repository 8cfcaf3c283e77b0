/** Shared helpers of the browser tests: Debian's Chromium through playwright-core, no network. */
import { existsSync } from 'fs';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Skip reason, or false. Browser tests are skipped only when Chromium is absent outside CI; in CI they must run. */
export function skipBrowser(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) return false; // fail loudly in CI rather than skip
  return `${CHROMIUM} not found (set CI=1 to make this a failure)`;
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What a page did while it loaded. */
export interface PageLog {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

/** Open a local file, recording console errors, page errors, dialogs and every request (only file: ones are allowed). */
export async function openFile(browser: Browser, file: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  const log: PageLog = { errors: [], dialogs: [], requests: [] };
  page.on('console', (msg) => { if (msg.type() === 'error') log.errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => log.errors.push(`pageerror: ${err.message}`));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); void d.dismiss(); });
  page.on('request', (r) => { log.requests.push(r.url()); });
  await page.route(/^(?!file:|data:|about:)/, (route) => route.abort());
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, log };
}

/** Wait until at least `count` plotly plots have drawn (an `svg.main-svg` inside `.otf-plot`). */
export async function waitForPlots(page: Page, count: number, timeout = 30_000): Promise<number> {
  // Page code as strings: the test build has no DOM types.
  const drawn = "[...document.querySelectorAll('.otf-plot')].filter((el) => el.querySelector('svg.main-svg')).length";
  await page.waitForFunction(`document.querySelectorAll('.otf-plot').length >= ${count} && ${drawn} === document.querySelectorAll('.otf-plot').length`, undefined, { timeout });
  return page.evaluate(drawn) as Promise<number>;
}
