import { afterAll, describe, expect, it } from 'vitest';
import { type CrashPhase, runCrash } from './crash-scenario.ts';

/**
 * The crash matrix: the local stack's process group is killed (SIGKILL) or stopped (SIGTERM) at each phase of an
 * upgrade by the runtime's test hook (local/workflow/crash-hook.ts), then restarted on the same data folder. With
 * no admin call, the upgrade must end as succeeded or rolled back, the mode Active, one version everywhere
 * (control plane, intents, contract, replicas), no intent lost or duplicated, every acknowledged update kept.
 */
const PHASES: CrashPhase[] = [
  {
    name: 'just after the approval check of an approved proposal',
    at: 'Check approval:after',
    approved: true,
    killOnly: true,
    expect: 'succeeded',
  },
  { name: 'during a drain with inflight intents', at: 'Check drain progress:before', expect: 'succeeded' },
  {
    name: 'during the checkpoint',
    at: 'Checkpoint inflight state to S3:during',
    duringMs: 30,
    expect: 'succeeded',
  },
  // SIGTERM stops at the next state boundary wherever in a Task it lands: after a Task is the same as during it.
  {
    name: 'just after the checkpoint',
    at: 'Checkpoint inflight state to S3:after',
    killOnly: true,
    expect: 'succeeded',
  },
  { name: 'while migrating records', at: 'Migrate stored records:during', duringMs: 40, expect: 'succeeded' },
  { name: 'in the Resuming window', at: 'Resume on target version:during', duringMs: 8, expect: 'succeeded' },
  {
    name: 'after resume, before the history record',
    at: 'Resume on target version:after',
    killOnly: true, // SIGTERM: the same stop as "in the Resuming window"
    expect: 'succeeded',
  },
  {
    name: 'while rolling out replicas',
    at: 'Roll out service replicas:during',
    duringMs: 700,
    deploy: 'hooks',
    expect: 'succeeded',
  },
  {
    name: 'while waiting for a manual deploy',
    at: 'Wait for operator deploy:after',
    deploy: 'manual',
    expect: 'rolled_back',
  },
  {
    name: 'in the wait of a maintenance upgrade (no target_version)',
    at: 'Wait for operator deploy:after',
    maintenance: true,
    expect: 'rolled_back',
  },
  { name: 'during the contract migration', at: 'chain.migrate:after', expect: 'succeeded' },
  {
    name: 'during the bake after resume',
    at: 'Bake on target version:after',
    bake: 'ok',
    killOnly: true,
    expect: 'succeeded',
  },
  {
    name: "between the two contracts' migrations (whole system)",
    at: 'Migrate contract:after',
    whole: true,
    expect: 'succeeded',
  },
  {
    name: 'between two services (whole system)',
    at: 'Roll out service replicas:after',
    whole: true,
    killOnly: true, // SIGTERM stops at the same state boundary
    expect: 'succeeded',
  },
  {
    name: 'during the bake after a rollout, a replica restarted on the old version meanwhile',
    at: 'Bake on target version:after',
    whole: true,
    bake: 'ok',
    replicaBack: true,
    killOnly: true,
    expect: 'rolled_back',
  },
  {
    name: 'between the resume and the IBC verification',
    at: 'Verify IBC packets:before',
    ibc: true,
    killOnly: true,
    expect: 'succeeded',
  },
  {
    name: 'reversing migrations after a bake tripped',
    at: 'Reverse migrations:during',
    duringMs: 20,
    bake: 'trips',
    killOnly: true,
    expect: 'rolled_back',
  },
];

/** The same crashes with the saved executions lost: recovery, not resume, must end them (SIGKILL only). */
const LOST: CrashPhase[] = [
  { name: 'contract migrated, execution lost', at: 'chain.migrate:after', lose: true, expect: 'rolled_back' },
  {
    name: 'after resume, execution lost',
    at: 'Resume on target version:after',
    lose: true,
    expect: 'succeeded',
  },
  {
    name: 'rolling out replicas, execution lost',
    at: 'Roll out service replicas:during',
    duringMs: 700,
    deploy: 'hooks',
    lose: true,
    expect: 'rolled_back',
  },
];

const only = process.env.CRASH_PHASES?.split(',');
const selected = PHASES.filter((_p, i) => !only || only.includes(String(i + 1)));
const signals = (process.env.CRASH_SIGNALS?.split(',') ?? ['SIGKILL', 'SIGTERM']) as (
  | 'SIGKILL'
  | 'SIGTERM'
)[];
const refused: string[] = [];

afterAll(() => {
  console.log(
    `intents refused after each crash (crash -> first 201 on POST /intents):\n${refused.join('\n')}`,
  );
});

const lost = LOST.filter((_, i) => !only || only.includes(`L${i + 1}`));
const cases = signals.flatMap((signal) =>
  [...selected.filter((p) => signal === 'SIGKILL' || !p.killOnly), ...(signal === 'SIGKILL' ? lost : [])].map(
    (phase) => ({ ...phase, signal }),
  ),
);

describe.concurrent('a crash of the local stack', () => {
  it.each(cases)(
    '$signal $name: ends as $expect, with one version everywhere',
    async ({ signal, ...phase }) => {
      const r = await runCrash(phase, signal);
      refused.push(`  ${signal} ${phase.name}: ${r.refusedMs} ms (${r.outcome})`);
      const context = `${signal} ${phase.name}\n${r.log.slice(-6000)}`;
      expect(r.crashed, context).toBe(true);
      expect(r.outcome, context).toBe(phase.expect);
      const version = phase.expect === 'succeeded' ? '2.0.0' : '1.0.0';
      expect({ mode: r.mode, version: r.version }, context).toEqual({ mode: 'Active', version });
      expect(r.intentIds, context).toEqual(r.expectedIds);
      expect(r.offVersion, context).toEqual([]);
      expect(r.intentVersions, context).toEqual([version]);
      expect(r.updatesLost, context).toEqual([]);
      expect(r.contract, context).toMatchObject({ codeId: r.contract.expectedCodeId, version });
      if (r.escrow) expect(r.escrow, context).toMatchObject({ codeId: r.escrow.expectedCodeId, version });
      for (const v of r.replicaVersions) expect(v, context).toBe(version);
      expect(r.refusedMs, context).toBeGreaterThan(0);
      // The verification after resume ran after the restart, and read every packet.
      if (phase.ibc) expect(r.ibcChecked, context).toBe(r.expectedIds.filter((_, i) => i % 7 === 0).length);
      // Never a stale "running": a running upgrade after a restart says it was resumed (or is recovering).
      if (['running', 'interrupted', 'recovering'].includes(r.firstStatus.state))
        expect(r.firstStatus.next, context).toMatch(/resumed at|recovery|cannot resume/);
    },
    // Includes the wait for a free slot (CRASH_PARALLEL runs at once, fewer than vitest starts together).
    420_000,
  );
});
