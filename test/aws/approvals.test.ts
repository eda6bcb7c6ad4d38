import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AwsHarness, userArn } from './harness.ts';
import { ACCOUNT } from './template.ts';

/**
 * Approvals under AWS's rules: the bundles and template IAM of the synthesized app, with the approval policy a
 * deploy with `-c approvers=... -c approvalThreshold=2 ...` gives every function (test/cdk/approval-settings.test.ts
 * holds the template to that). Approvers are distinct sessions of the admin role, as operators' SSO sessions are.
 * SNS has no local engine: the harness answers Publish and keeps the messages (after the template's IAM check).
 */
let aws: AwsHarness;
const SETTINGS = {
  APPROVERS: `arn:aws:sts::${ACCOUNT}:assumed-role/admin-role/*`,
  APPROVAL_THRESHOLD: '2',
  APPROVAL_TIMELOCK_SECS: '1',
  APPROVAL_WAIVER_COUNT: '3',
};
beforeAll(async () => {
  aws = await AwsHarness.start(inject('dynamoEndpoint'), {}, SETTINGS);
}, 180_000);
afterAll(async () => {
  await aws?.stop();
});

const as = (session: string) => (method: string, path: string, body?: unknown) =>
  aws.api(`admin:${session}`, method, path, body);
const denials = () => [
  ...new Set(aws.iam.denials.map((d) => `${d.principal.split('/').at(-1)}: ${d.action} on ${d.resource}`)),
];

describe('approvals under AWS rules (template IAM, distinct IAM principals)', () => {
  it('2 of N approver sessions, the timelock, execution, and the announcements on the proposals topic', async () => {
    expect((await as('alice')('GET', '/admin/drain/status')).status).toBe(200);
    const upgrade = {
      target_version: '1.1.0',
      reason: 'approved on AWS',
      poll_interval_secs: 1,
      rollback_retry_delay_secs: 0,
    };
    const direct = await as('alice')('POST', '/admin/upgrade/start', upgrade);
    expect(direct.body.error).toBe('approval_required');

    const p = await as('alice')('POST', '/admin/proposals', { upgrade, description: 'settlement fixes' });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body.proposed_by).toBe(userArn('admin:alice'));
    const id = p.body.id as string;
    const approve = (who: string) =>
      as(who)('POST', `/admin/proposals/${id}/approve`, { config_sha256: p.body.config_sha256 });
    expect((await approve('alice')).body.error).toBe('self_approval');
    expect((await aws.api('intent', 'POST', `/admin/proposals/${id}/approve`, {})).status).not.toBe(200);
    expect((await approve('bob')).body).toMatchObject({ state: 'pending', counted: true });
    expect((await approve('bob')).body).toMatchObject({ counted: false });
    expect((await approve('carol')).body.state).toBe('timelocked');
    const early = await as('dave')('POST', `/admin/proposals/${id}/execute`);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('timelock_active');

    await new Promise((r) => setTimeout(r, 1200));
    const swept = await aws.invoke(aws.fn('ProposalSweep'), {});
    expect(swept.ok, JSON.stringify(swept)).toBe(true);
    const run = await as('dave')('POST', `/admin/proposals/${id}/execute`);
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    const execution = await aws.workflow.finished(run.body.execution_arn as string);
    expect(execution.status).toBe('SUCCEEDED');
    const record = (await as('alice')('GET', `/admin/upgrades/${run.body.upgrade_id as string}`)).body
      .upgrade;
    expect(record).toMatchObject({ state: 'succeeded', proposal_id: id, to_version: '1.1.0' });

    const events = aws.sns.published
      .filter((m) => m.attributes.proposal_id === id)
      .map((m) => m.attributes.event);
    expect(events).toEqual([
      'proposed',
      'approved',
      'approved',
      'threshold_reached',
      'timelock_ended',
      'executed',
    ]);
    expect(aws.sns.published[0]?.topicArn).toMatch(/^arn:aws:sns:/);
    expect(denials()).toEqual([]);
  });

  it('an execution started directly (states:StartExecution) with no proposal is refused before draining', async () => {
    const name = 'started-from-the-console';
    const input = {
      scheduled: false,
      upgrade_id: name,
      from_version: '1.1.0',
      rollback_attempts: { count: 0 },
      config: { target_version: '2.0.0', reason: 'x', dry_run: false },
    };
    const started = await aws.workflow.handle({
      service: 'states',
      method: 'POST',
      url: new URL('http://states.local/'),
      target: 'AWSStepFunctions.StartExecution',
      body: Buffer.from(
        JSON.stringify({ stateMachineArn: aws.app.stateMachine.arn, name, input: JSON.stringify(input) }),
      ),
    });
    expect(started.status).toBe(200);
    const arn = (started.body as { executionArn: string }).executionArn;
    const done = await aws.workflow.finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({ refused: true });
    const mode = (await as('alice')('GET', '/admin/drain/status')).body;
    expect(mode).toMatchObject({ mode: 'Active', version: '1.1.0' });
    expect((await as('alice')('GET', `/admin/upgrades/${name}`)).body.upgrade).toMatchObject({
      state: 'refused',
    });
    expect(denials()).toEqual([]);
  });
});
