import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASL_FILE } from '../../local/workflow/asl-file.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { eventually } from '../support/upgrade.ts';
import {
  launchBrowser,
  nextHighlight,
  openConsole,
  type PageLog,
  screenshot,
  waitForText,
} from './browser.ts';

const asl = JSON.parse(readFileSync(ASL_FILE, 'utf8')) as { States: Record<string, { Type: string }> };
const quick = { rollback_retry_delay_secs: 0, drain_timeout_secs: 5, force_after_timeout: true };
const healthTrigger = { type: 'health', check: { name: 'settlement_store', type: 'dynamodb' } };

let api: TestApi;
let browser: Browser;
let page: Page;
let log: PageLog;

beforeAll(async () => {
  [api, browser] = await Promise.all([startTestApi(), launchBrowser()]);
  ({ page, log } = await openConsole(browser, api.url));
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const start = async (body: Record<string, unknown>) => {
  const r = await api.admin('POST', '/admin/upgrade/start', { ...quick, ...body });
  expect(r.status, r.text).toBe(202);
  return { id: r.body.upgrade_id as string, arn: r.body.execution_arn as string };
};
/** The names of the states the graph shows as current: highlighted, or (once ended) where it stopped. */
const highlighted = () =>
  page.$$eval('#workflow-graph g.state[data-current="true"]', (gs) =>
    gs.map((g) => g.getAttribute('data-state')),
  );
const statusOf = (state: string) =>
  page.getAttribute(`#workflow-graph g.state[data-state="${state}"]`, 'data-status');
const enabledActions = () =>
  page.$$eval('button.action', (bs) => bs.filter((b) => !b.disabled).map((b) => b.id));

/** True when `seen` appears in `path` in the same order (not necessarily adjacent). */
const inOrder = (seen: string[], path: string[]) => {
  let i = 0;
  for (const state of path) if (state === seen[i]) i++;
  return i === seen.length;
};

describe('the local console page, in Chromium', () => {
  it('shows the drain mode and the workflow drawn from the ASL, and only reads before a token', async () => {
    await waitForText(page, '#mode', /^Active$/);
    await waitForText(page, '#poll', /updated/);
    const drawn = await page.$$eval('#workflow-graph g.state', (gs) =>
      gs.map((g) => g.getAttribute('data-state')),
    );
    expect(drawn.sort()).toEqual(Object.keys(asl.States).sort());
    const catches = await page.$$eval('#workflow-graph path.edge.catch', (ps) => ps.length);
    expect(catches).toBeGreaterThan(10);
    expect(await page.getAttribute('g.state[data-state="Roll back to checkpoint"]', 'class')).toMatch(
      /rollback/,
    );
    expect(await page.textContent('#inflight-count')).toBe('0');
    expect(await page.textContent('#upgrade-state')).toBe('none');
    expect(await page.$$eval('button.action', (bs) => bs.length)).toBeGreaterThanOrEqual(2);
    expect(await enabledActions()).toEqual([]);
    expect(await page.textContent('#token-state')).toMatch(/read-only/);
    expect(log.requests.every((u) => u.startsWith(`${api.url}/console`))).toBe(true);
    await screenshot(page, '1-read-only');
  });

  it('acts only with an admin token kept in sessionStorage, never in the URL: aborts a baking upgrade', async () => {
    await page.fill('#token-input', 'not-the-token');
    await page.click('#token-use');
    await waitForText(page, '#answer', /Token refused: 401/);
    expect(await enabledActions()).toEqual([]);

    const up = await start({
      target_version: '1.1.0',
      reason: 'aborted from the console',
      bake: { duration_secs: 600, check_interval_secs: 2, triggers: [healthTrigger] },
    });
    await waitForText(page, '#upgrade-state', /^baking$/, 30_000);
    expect(await enabledActions()).toEqual([]);

    await page.fill('#token-input', api.adminToken);
    await page.click('#token-use');
    await waitForText(page, '#answer', /Token accepted: 200/);
    expect(await page.evaluate(() => sessionStorage.getItem('ucp-console-admin-token'))).toBe(api.adminToken);
    expect(page.url()).not.toContain(api.adminToken);
    await page.waitForSelector('#abort:enabled');

    await page.click('#abort');
    await waitForText(page, '#confirm-text', new RegExp(`Abort upgrade ${up.id}`));
    await page.click('#confirm-cancel');
    await waitForText(page, '#answer', /cancelled: nothing was sent/);
    expect(await page.textContent('#upgrade-state')).toBe('baking');

    await page.click('#abort');
    await screenshot(page, '2-abort-confirm');
    await page.click('#confirm-ok');
    await waitForText(page, '#answer', /^Abort: 202/);
    expect(await page.textContent('#answer .call')).toContain('POST /admin/upgrade/abort');
    expect(await page.textContent('#answer .message')).not.toBe('');
    expect((await api.engine.finished(up.arn)).status).toBe('SUCCEEDED');
    expect((await api.admin('GET', `/admin/upgrades/${up.id}`)).body.upgrade).toMatchObject({
      state: 'aborted',
    });

    await waitForText(page, '#upgrade-state', /^aborted$/);
    await waitForText(page, '#graph-outcome', /^succeeded$/);
    expect(await highlighted()).toEqual(['Upgrade aborted and rolled back']);
    for (const state of ['Drain again for rollback', 'Reverse migrations', 'Resume on previous version'])
      expect(await statusOf(state), state).toBe('done');
    expect(
      await page.$$eval('#workflow-graph path.edge.taken.to-rollback', (ps) => ps.length),
    ).toBeGreaterThan(3);
    await waitForText(page, '#mode', /^Active$/);
    expect(log.requests.some((u) => u.includes(api.adminToken))).toBe(false);
    await screenshot(page, '3-aborted-rolled-back');
  });

  it('follows an upgrade state by state, in the order of the workflow, to its success', async () => {
    // One intent inflight holds the drain until the test completes it: seconds to watch the drain states.
    expect((await api.intent('POST', '/intents', { id: 'slow-1', phase: 'Pending' })).status).toBe(201);
    const up = await start({
      target_version: '1.0.1',
      reason: 'watched from the console',
      drain_timeout_secs: 60,
      bake: { duration_secs: 3, check_interval_secs: 1, triggers: [healthTrigger] },
    });
    const seen: string[] = [];
    await waitForText(page, '#mode', /^Draining$/);
    expect(await page.textContent('#inflight-count')).toBe('1');
    await page.waitForSelector('g.state[data-state="Wait before next drain check"][data-current="true"]');
    await screenshot(page, '4-draining');
    expect((await api.intent('POST', '/intents/slow-1/complete')).status).toBe(200);
    for (let ended = false; !ended; ) {
      const next = await nextHighlight(page, seen.at(-1) ?? null);
      if (next.name && next.name !== seen.at(-1)) seen.push(next.name);
      ended = next.ended;
    }
    const path = (await api.engine.history(up.arn))
      .filter((e) => e.type === 'StateEntered')
      .map((e) => e.state as string);
    expect(inOrder(seen, path), `${seen.join(' > ')}\nnot in the order of\n${path.join(' > ')}`).toBe(true);
    expect(seen.slice(0, 2)).toContain('Wait before next drain check');
    expect(seen.some((s) => /bake/i.test(s))).toBe(true);
    expect(await page.textContent('#graph-outcome')).toBe('succeeded');
    expect(seen.at(-1)).toBe('Upgrade complete');
    for (const state of ['Start drain', 'Checkpoint inflight state to S3', 'Resume on target version'])
      expect(await statusOf(state), state).toBe('done');
    expect(await page.isVisible('g.state[data-state="Start drain"] .tick')).toBe(true);
    expect(await statusOf('Roll back to checkpoint')).toBe('idle');
    await waitForText(page, '#upgrade-state', /^succeeded$/);
    const timeline = await page.$$eval('#timeline li', (lis) =>
      lis.map((li) => [li.getAttribute('data-step'), li.querySelector('.duration')?.textContent ?? '']),
    );
    expect(timeline.map(([name]) => name)).toContain('Migrate stored records');
    for (const [name, duration] of timeline) expect(duration, String(name)).toMatch(/^\d+ (ms|s)$|min/);
    await waitForText(page, `#history-rows tr[data-upgrade="${up.id}"]`, /succeeded/);
    await page.click('#checkpoint-rows button.validate');
    await waitForText(page, '#checkpoint-rows td.validation', /valid ✓/);
    await screenshot(page, '5-upgrade-succeeded');
  });

  it('continues a manual deploy from the page once the workflow waits for it', async () => {
    const up = await start({
      target_version: '1.0.0',
      reason: 'manual deploy from the console',
      migrations: [],
      services: [
        {
          name: 'relayer',
          deploy: {
            mode: 'manual',
            deploy_timeout_secs: 120,
            instructions: 'deploy the relayer, then continue',
          },
        },
      ],
    });
    expect(await page.isDisabled('#continue')).toBe(true);
    await page.waitForSelector('g.state[data-state="Wait for operator deploy"][data-current="true"]', {
      timeout: 30_000,
    });
    // The strip above the graph says which component the iterator is at.
    await page.waitForSelector(
      '#components li[data-component="relayer"][data-kind="service"][data-state="current"]',
    );
    await page.waitForSelector('#continue:enabled');
    await page.click('#continue');
    await waitForText(page, '#confirm-text', new RegExp(`Continue upgrade ${up.id}`));
    await page.click('#confirm-ok');
    await waitForText(page, '#answer', /^Continue: 200/);
    expect(await page.textContent('#answer .call')).toBe(` POST /admin/upgrade/${up.id}/continue`);
    expect((await api.engine.finished(up.arn)).status).toBe('SUCCEEDED');
    await waitForText(page, '#upgrade-state', /^succeeded$/);
    expect(await page.isDisabled('#continue')).toBe(true);
    expect(await statusOf('Wait for operator deploy')).toBe('done');
    await page.waitForSelector('#components li[data-component="relayer"][data-state="done"]');
  });

  it('pages the inflight list 50 at a time', async () => {
    for (let i = 0; i < 120; i += 20) {
      const batch = Array.from({ length: 20 }, (_, k) => `intent-${String(i + k).padStart(3, '0')}`);
      const answers = await Promise.all(batch.map((id) => api.intent('POST', '/intents', { id })));
      for (const r of answers) expect(r.status, r.text).toBe(201);
    }
    await waitForText(page, '#inflight-count', /^120$/);
    await waitForText(page, '#inflight-page', /^1–50 of 120$/);
    const ids = () =>
      page.$$eval('#inflight-rows tr[data-intent]', (trs) => trs.map((t) => t.dataset.intent));
    const first = await ids();
    expect(first).toHaveLength(50);
    await page.click('#inflight-next');
    await waitForText(page, '#inflight-page', /^51–100 of 120$/);
    const second = await ids();
    expect(second).toHaveLength(50);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    await screenshot(page, '6-inflight-page-2');
    await page.click('#inflight-next');
    await waitForText(page, '#inflight-page', /^101–120 of 120$/);
    expect(await page.isDisabled('#inflight-next')).toBe(true);
    expect(new Set([...first, ...second, ...(await ids())]).size).toBe(120);
    await page.click('#inflight-prev');
    await waitForText(page, '#inflight-page', /^51–100 of 120$/);
    expect(await ids()).toEqual(second);
    await eventually(
      async () => (await page.$$eval('.chart', (c) => Number(c[0]?.getAttribute('data-points')))) > 3,
    );
    // The refused token's 401 is the only failed load the page saw; no script error, no CSP violation.
    expect(log.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  it('shows a protocol rollout: its phase, a hold, what happens next (last: it owns the running version)', async () => {
    // From whatever version the upgrades above left running, to the first the migrations reach from it.
    const from = String((await api.admin('GET', '/admin/drain/status')).body.version);
    const body = { from, parallel_secs: 3600, deprecation_secs: 3600, reason: 'console' };
    let started = await api.admin('POST', '/admin/protocol/rollouts', { ...body, to: '2.0.0' });
    if (started.status === 400)
      started = await api.admin('POST', '/admin/protocol/rollouts', { ...body, to: '1.1.0' });
    expect(started.status, started.text).toBe(201);
    const row = `#rollout-rows tr[data-rollout="${String(started.body.id)}"]`;
    const to = String(started.body.to).replace(/\./g, '\\.');
    await waitForText(
      page,
      row,
      new RegExp(`${from.replace(/\./g, '\\.')} → ${to}\\s*parallel\\s*migration phase in \\d+ s`),
    );
    await api.admin('POST', `/admin/protocol/rollouts/${String(started.body.id)}/hold`, { reason: 'wait' });
    await waitForText(page, row, /parallel \(held\)\s*held by/);
    await screenshot(page, '7-protocol-rollout');
  });
});
