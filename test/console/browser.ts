import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it, no browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the console tests leave their screenshots (git-ignored). */
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/console');

/** One headless Chromium for a test file. */
export function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** What a page did that a test checks afterwards: every URL it requested, its errors and CSP violations. */
export interface PageLog {
  readonly requests: string[];
  readonly errors: string[];
}

/** A page of the console at a size where the graph and the timeline sit side by side. */
export async function openConsole(browser: Browser, url: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const log: PageLog = { requests: [], errors: [] };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  await page.goto(`${url}/console`);
  return { page, log };
}

/** A full-page screenshot under test-artifacts/console/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The DOM as the tests' page-side functions use it (the project's TypeScript has no DOM library). */
export interface PageDom {
  querySelector(
    selector: string,
  ): { textContent: string | null; getAttribute(name: string): string | null } | null;
}

/** Waits until the element's text matches. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 20_000) {
  await page.waitForFunction(
    ([sel, source, flags]) => {
      const { document } = globalThis as unknown as { document: PageDom };
      const text = document.querySelector(sel as string)?.textContent ?? '';
      return new RegExp(source as string, flags as string).test(text);
    },
    [selector, pattern.source, pattern.flags],
    { timeout, polling: 50 },
  );
}

/**
 * The graph's highlighted state on the first frame where it differs from `last`, or once the execution has
 * ended (`ended`): what an operator watching the page would have seen.
 */
export async function nextHighlight(
  page: Page,
  last: string | null,
  timeout = 40_000,
): Promise<{ name: string | null; ended: boolean }> {
  const moved = await page.waitForFunction(
    (previous) => {
      const { document } = globalThis as unknown as { document: PageDom };
      const name = document
        .querySelector('#workflow-graph g.state[data-current="true"]')
        ?.getAttribute('data-state');
      const ended = /^(succeeded|failed|aborted|timed_out)$/.test(
        document.querySelector('#graph-outcome')?.textContent ?? '',
      );
      return (name && name !== previous) || ended ? { name: name ?? null, ended } : null;
    },
    last,
    { polling: 'raf', timeout },
  );
  return (await moved.jsonValue()) as { name: string | null; ended: boolean };
}
