import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireAt, MAX_TIMER_MS } from '../local/workflow/far-timer.ts';
import { LocalScheduleStore } from '../local/workflow/local-schedule-store.ts';
import { atTime, checkScheduleExpression } from '../shared/upgrade/maintenance-window.ts';
import type { WorkflowEngine } from '../shared/upgrade/workflow-engine.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually, runUpgrade } from './support/upgrade.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** An engine that only records what it was asked to start. */
const recordingEngine = () => {
  const started: { name: string; input: unknown }[] = [];
  const engine = {
    start: async (name: string, input: unknown) => {
      started.push({ name, input });
      return { executionArn: name };
    },
  } as unknown as WorkflowEngine;
  return { engine, started };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('far-future at() schedules fire on time', () => {
  it('a timer 40 days out waits past the 24.8-day setTimeout limit and fires once, on time', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T12:00:00Z') });
    const when = Date.now() + 40 * DAY;
    expect(when - Date.now()).toBeGreaterThan(MAX_TIMER_MS);
    const fire = vi.fn();
    fireAt(when, fire);
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled(); // a plain setTimeout of 40 days fires here (Node's overflow)
    vi.advanceTimersByTime(30 * DAY);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10 * DAY - 2000);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(Date.now()).toBe(when);
  });

  it('the local store arms at(2027-06-11T08:55:00) for June, not for now', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T12:00:00Z') });
    const { engine, started } = recordingEngine();
    const store = new LocalScheduleStore(() => engine);
    await store.create({
      name: 'june',
      expression: 'at(2027-06-11T08:55:00)',
      request: { target_version: '2.0.0' },
    });
    await vi.advanceTimersByTimeAsync(150 * DAY);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(Date.parse('2027-06-11T08:55:00Z') - Date.now());
    expect(started).toEqual([
      {
        name: expect.stringMatching(/^june-/),
        input: { scheduled: true, schedule_name: 'june', request: { target_version: '2.0.0' } },
      },
    ]);
    expect((await store.list())[0]).toMatchObject({ name: 'june', state: 'FIRED' });
  });
});

describe('local schedules survive a restart', () => {
  it('are kept in the data folder, re-armed at start, and an old overdue one is reported MISSED', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T12:00:00Z') });
    const file = join(mkdtempSync(join(tmpdir(), 'sched-')), 'schedules.json');
    const first = recordingEngine();
    const before = new LocalScheduleStore(() => first.engine, { file });
    await before.create({
      name: 'later',
      expression: `at(${iso(Date.now() + 3 * DAY)})`,
      request: { target_version: '2.0.0' },
    });
    // The process stops (its timers die with it), and starts again on the same folder.
    vi.clearAllTimers();
    const second = recordingEngine();
    const after = new LocalScheduleStore(() => second.engine, { file });
    expect(await after.list()).toMatchObject([{ name: 'later', state: 'ENABLED' }]);
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(first.started).toEqual([]);
    expect(second.started.map((s) => s.name)).toEqual([expect.stringMatching(/^later-/)]);

    const stale = [
      {
        name: 'old',
        expression: `at(${iso(Date.now() - 2 * DAY)})`,
        request: {},
        created_at: null,
        state: 'ENABLED',
      },
      {
        name: 'just-due',
        expression: `at(${iso(Date.now() - 60_000)})`,
        request: {},
        created_at: null,
        state: 'ENABLED',
      },
    ];
    writeFileSync(file, JSON.stringify(stale));
    const third = recordingEngine();
    const restarted = new LocalScheduleStore(() => third.engine, { file });
    await vi.advanceTimersByTimeAsync(1);
    const listed = await restarted.list();
    expect(listed.find((s) => s.name === 'old')).toMatchObject({
      state: 'MISSED',
      note: expect.stringContaining('not running'),
    });
    expect(third.started.map((s) => s.name)).toEqual([expect.stringMatching(/^just-due-/)]);
  });
});

describe('a stopping runtime', () => {
  it('disarms its schedules: one due while it stops stays ENABLED and starts at the next start', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T12:00:00Z') });
    const file = join(mkdtempSync(join(tmpdir(), 'sched-')), 'schedules.json');
    const first = recordingEngine();
    const stopping = new LocalScheduleStore(() => first.engine, { file });
    await stopping.create({
      name: 'soon',
      expression: `at(${iso(Date.now() + 2_000)})`,
      request: { target_version: '2.0.0' },
    });
    stopping.stop(); // local/stack.ts: after the API stops taking requests, before the workflow stops
    await vi.advanceTimersByTimeAsync(5_000);
    expect(first.started).toEqual([]);
    expect(await stopping.list()).toMatchObject([{ name: 'soon', state: 'ENABLED' }]);
    const second = recordingEngine();
    new LocalScheduleStore(() => second.engine, { file });
    await vi.advanceTimersByTimeAsync(1);
    expect(second.started.map((s) => s.name)).toEqual([expect.stringMatching(/^soon-/)]);
  });
});

describe('impossible dates', () => {
  it('are refused, naming what a real date looks like', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    for (const bad of [
      'at(2027-02-30T03:00:00)',
      'at(2026-11-31T03:00:00)',
      'at(2027-02-29T03:00:00)',
      'at(2027-04-31T03:00:00)',
      'at(2026-12-01T24:00:00)',
      'at(2026-12-01T23:60:00)',
      'at(2026-12-01T23:59:60)',
      'at(2026-13-01T03:00:00)',
      'at(2026-00-10T03:00:00)',
      'at(2026-12-00T03:00:00)',
    ]) {
      expect(() => checkScheduleExpression(bad, [], now), bad).toThrow(/not a real date and time/);
    }
    expect(atTime('2028-02-29T23:59:59')).toBe(Date.parse('2028-02-29T23:59:59Z'));
  });
});

describe('schedules through the API', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    api?.engine.stopAll();
    await api?.stop();
    api = undefined;
  });

  it('an impossible date is a 400 and nothing is scheduled', async () => {
    api = await startTestApi();
    for (const when of [
      '2027-02-30T03:00:00',
      '2026-11-31T03:00:00',
      '2027-01-05T24:00:00',
      '2027-01-05T23:60:00',
    ]) {
      const res = await api.admin('POST', '/admin/upgrade/schedules', {
        name: 'bad',
        schedule: `at(${when})`,
        upgrade: { target_version: '2.0.0', reason: 'x' },
      });
      expect(res.status, when).toBe(400);
      expect(res.body.message).toContain('not a real date and time');
    }
    expect((await api.admin('GET', '/admin/upgrade/schedules')).body.schedules).toEqual([]);
  });

  it('schedules that fire while another upgrade runs leave refused entries saying why, and stay listed', async () => {
    api = await startTestApi();
    const t = api;
    const running = await t.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'holds the lock',
      deploy: { mode: 'manual', deploy_timeout_secs: 60 },
    });
    expect(running.status).toBe(202);
    const when = iso(Date.now() + 1500);
    for (const name of ['first', 'second']) {
      const res = await t.admin('POST', '/admin/upgrade/schedules', {
        name,
        schedule: `at(${when})`,
        upgrade: { target_version: '1.1.0', reason: `scheduled ${name}` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const refused = async () =>
      ((await t.admin('GET', '/admin/upgrades')).body.upgrades as Record<string, unknown>[]).filter(
        (u) => u.outcome === 'refused',
      );
    await eventually(async () => (await refused()).length === 2);
    for (const u of await refused()) {
      expect(u).toMatchObject({
        to: '1.1.0',
        error: expect.stringContaining(`upgrade ${running.body.upgrade_id as string} is running`),
      });
    }
    const schedules = (await t.admin('GET', '/admin/upgrade/schedules')).body.schedules as Record<
      string,
      unknown
    >[];
    expect(schedules.map((s) => [s.name, s.state, (s.last_run as { outcome: string }).outcome])).toEqual([
      ['first', 'FIRED', 'refused'],
      ['second', 'FIRED', 'refused'],
    ]);
    expect(schedules[0]?.last_run).toMatchObject({ error: expect.stringContaining('is running') });
    const status = (await t.admin('GET', '/admin/upgrade/status')).body;
    expect(status.upgrade_id).toBe(running.body.upgrade_id); // the refusals took no lock
  });

  it('history and "latest" follow start time, whatever the ids (scheduled and API-started mixed)', async () => {
    api = await startTestApi();
    const t = api;
    const first = await runUpgrade(t, { target_version: '1.1.0', reason: 'from the API' });
    expect(first.execution.status).toBe('SUCCEEDED');
    // "a-..." sorts before "upgrade-...": by id this scheduled upgrade would look older than the API one.
    const created = await t.admin('POST', '/admin/upgrade/schedules', {
      name: 'a-scheduled',
      schedule: `at(${iso(Date.now() + 1500)})`,
      upgrade: { target_version: '2.0.0', reason: 'scheduled' },
    });
    expect(created.status).toBe(201);
    await eventually(async () => {
      const [latest] = (await t.admin('GET', '/admin/upgrades')).body.upgrades as Record<string, unknown>[];
      return latest?.outcome === 'succeeded' && String(latest.id).startsWith('a-scheduled-');
    });
    const history = (await t.admin('GET', '/admin/upgrades')).body.upgrades as {
      id: string;
      started: string;
    }[];
    expect(history.map((h) => h.id)).toEqual([
      expect.stringMatching(/^a-scheduled-/),
      first.started.body.upgrade_id,
    ]);
    expect(Date.parse(history[0]?.started ?? '')).toBeGreaterThan(Date.parse(history[1]?.started ?? ''));
    expect((await t.admin('GET', '/admin/upgrade/status')).body.upgrade_id).toBe(history[0]?.id);
    expect((await t.admin('GET', '/admin/upgrades?limit=1')).body.upgrades).toMatchObject([
      { id: history[0]?.id },
    ]);
  });
});
