import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { approvalEnv, as, OPERATORS } from '../support/operators.ts';
import { launchBrowser, openConsole, screenshot, waitForText } from './browser.ts';

let api: TestApi;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [api, browser] = await Promise.all([
    startTestApi({ ...approvalEnv(1800), PROPOSAL_EXPIRY_SECS: '7200' }),
    launchBrowser(),
  ]);
  ({ page } = await openConsole(browser, api.url));
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  for (const k of Object.keys(approvalEnv(0))) delete process.env[k];
});

describe('proposals on the console page, in Chromium', () => {
  it("shows a proposal's approvals and timelock countdown; an approver approves its exact config from the page", async () => {
    const proposed = await as(api, 'alice')('POST', '/admin/proposals', {
      upgrade: { target_version: '1.0.1', reason: 'to 1.0.1' },
      description: 'ship 1.0.1',
    });
    expect(proposed.status, proposed.text).toBe(201);
    const id = proposed.body.id as string;
    const sha = proposed.body.config_sha256 as string;
    const row = `#proposal-rows tr[data-proposal="${id}"]`;

    await waitForText(page, `${row} .approvals`, /^0\/2$/);
    expect(await page.textContent(`${row} .badge`)).toBe('pending');
    expect(await page.isDisabled(`${row} button.approve`)).toBe(true);

    await page.fill('#token-input', OPERATORS.bob);
    await page.click('#token-use');
    await waitForText(page, '#answer', /Token accepted: 200/);
    await page.waitForSelector(`${row} button.approve:enabled`);
    await page.click(`${row} button.approve`);
    await waitForText(page, '#confirm-text', new RegExp(`Approve ${id}.*${sha}`));
    await page.click('#confirm-ok');
    await waitForText(page, '#answer', /^Approve: 200/);
    expect(await page.textContent('#answer .call')).toBe(` POST /admin/proposals/${id}/approve`);
    await waitForText(page, `${row} .approvals`, /^1\/2 \(bob\)$/);

    const carol = await as(api, 'carol')('POST', `/admin/proposals/${id}/approve`, { config_sha256: sha });
    expect(carol.status, carol.text).toBe(200);
    await waitForText(page, `${row} .badge`, /^timelocked$/);
    await waitForText(page, `${row} .countdown`, /^executable in 29 min \d\d s$/);
    const first = await page.textContent(`${row} .countdown`);
    await page.waitForFunction(
      ([sel, before]) =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document.querySelector(sel as string)?.textContent !== before,
      [`${row} .countdown`, first],
    );
    expect(await page.textContent(`${row} .approvals`)).toBe('2/2 (bob, carol)');
    await screenshot(page, '7-proposal-timelocked');

    const audit = await api.cp.audit.recent(20);
    expect(audit.some((a) => a.action === 'proposal.approve' && a.actor === 'operator:bob')).toBe(true);
  });
});
