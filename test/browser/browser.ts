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

/**
 * Open a local file, recording console errors, page errors, dialogs and every request (only file: ones are allowed).
 * The viewport is set before the page loads: plotly's responsive figures redraw on a later resize, which would
 * move every drawn line while a test compares them.
 */
export async function openFile(browser: Browser, file: string, viewport = { width: 1200, height: 1000 }): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport });
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

/**
 * The lines a plotly plot draws now in its first (top) subplot: the `d` of each trace's line that is
 * on the page and not transparent, joined. Changes when a slider or menu changes the plotted data.
 */
export async function drawnLines(page: Page, plot: string): Promise<string> {
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(`${plot} .subplot.xy .scatterlayer g.trace`)})]
    .filter((t) => getComputedStyle(t).opacity !== '0' && t.style.display !== 'none')
    .map((t) => { const l = t.querySelector('path.js-line'); return l ? l.getAttribute('d') : ''; }).join('|')`) as Promise<string>;
}

/** The text of a plotly slider's current-value label, e.g. "λ = 0.1". */
export async function sliderValue(page: Page, plot: string): Promise<string> {
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(`${plot} text.slider-label`)})]
    .filter((t) => !t.closest('.slider-label-group')).map((t) => t.textContent).join('')`) as Promise<string>;
}

/** The slider's current-value label once it reads `want` (plotly redraws it after the step's transition), or what it reads after `ms`. */
export async function sliderValueSettled(page: Page, plot: string, want: string, ms = 5000): Promise<string> {
  const t0 = Date.now();
  let v = await sliderValue(page, plot);
  while (v !== want && Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 50));
    v = await sliderValue(page, plot);
  }
  return v;
}

/**
 * Click the slider step labelled `label` until the slider shows it (`λ = label`), at most 4 clicks: on a
 * busy machine plotly can still be laying the figure out when the first click lands.
 */
export async function selectSliderStep(page: Page, plot: string, label: string): Promise<string> {
  let v = '';
  for (let k = 0; k < 4; k++) {
    await clickSliderStep(page, plot, label);
    v = await sliderValueSettled(page, plot, `λ = ${label}`, 3000);
    if (v === `λ = ${label}`) break;
  }
  return v;
}

/**
 * Click a plotly slider at the step labelled `label`, as a user does: on the slider's rail, straight
 * below the step's label (plotly moves to the step nearest to the click).
 */
export async function clickSliderStep(page: Page, plot: string, label: string): Promise<void> {
  const at = (await page.evaluate(`(() => {
    const labels = [...document.querySelectorAll(${JSON.stringify(`${plot} .slider-label-group text`)})];
    const step = labels.find((t) => t.textContent === ${JSON.stringify(label)});
    const rail = document.querySelector(${JSON.stringify(`${plot} .slider-rail-touch-rect`)});
    if (!step || !rail) return null;
    const s = step.getBoundingClientRect(), r = rail.getBoundingClientRect();
    return { x: s.x + s.width / 2, y: r.y + r.height / 2 };
  })()`)) as { x: number; y: number } | null;
  if (!at) throw new Error(`no slider step labelled ${label} in ${plot}`);
  await page.mouse.click(at.x, at.y);
}

/** Open a plotly dropdown menu and click its item whose text is `label`. */
export async function pickMenuItem(page: Page, plot: string, label: string): Promise<void> {
  await page.click(`${plot} .updatemenu-header`);
  const items = page.locator(`${plot} .updatemenu-dropdown-button-group .updatemenu-dropdown-button`);
  const n = await items.count();
  for (let i = 0; i < n; i++) {
    if ((await items.nth(i).textContent()) === label) {
      await items.nth(i).click();
      return;
    }
  }
  throw new Error(`no menu item ${label} in ${plot}`);
}
