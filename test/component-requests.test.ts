import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENT_LIMITS } from '../shared/upgrade/components/component-plan.ts';
import { startTestApi, type TestApi } from './support/api.ts';

// The components of an upgrade request (contracts, services, order) as the API refuses or accepts them.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

const address = (c: string) => `wasm1${'q'.repeat(38)}${c}`;
const contract = (name: string, addr = address('p')) => ({
  name,
  address: addr,
  new_code_id: 2,
  expected_checksum: 'a'.repeat(64),
  migrate_msg: { new_version: '2.0.0' },
});
const replica = (n: number) => ({
  name: `r${n}`,
  deploy_url: `http://r${n}/d`,
  health_url: `http://r${n}/h`,
  version_url: `http://r${n}/v`,
});
const service = (name: string, replicas = 1) => ({
  name,
  deploy: { mode: 'hooks', targets: Array.from({ length: replicas }, (_, i) => replica(i)) },
});
const base = { target_version: '2.0.0', reason: 'components' };

describe('bad component sections', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'two components with one name',
      { contracts: [contract('core')], services: [service('core')] },
      /services\.0\.name: component name "core" is used twice/,
    ],
    [
      'the same contract twice',
      { contracts: [contract('a'), contract('b')] },
      /contracts\.1\.address: contract wasm1q+p is listed twice/,
    ],
    [
      'an order naming an unknown component',
      {
        contracts: [contract('settlement')],
        services: [service('relayer')],
        order: ['relayer', 'escrow', 'settlement'],
      },
      /order\.1: "escrow" is not a component of this upgrade \(its components: settlement, relayer\)/,
    ],
    [
      'an order missing a component',
      { contracts: [contract('settlement')], services: [service('relayer')], order: ['relayer'] },
      /order: order must name every component once; missing: settlement/,
    ],
    [
      'more contracts than allowed',
      {
        contracts: Array.from({ length: COMPONENT_LIMITS.contracts + 1 }, (_, i) =>
          contract(`c${i}`, address('pzry'[i % 4] ?? 'p')),
        ),
      },
      /contracts: must be at most 10/,
    ],
    [
      'more replicas over all services than allowed',
      { services: [service('a', 60), service('b', 41)] },
      /101 replicas over all services is more than 100: split the upgrade/,
    ],
    [
      'contract and contracts both',
      { contract: contract('x'), contracts: [contract('y', address('z'))] },
      /give contract \(one\) or contracts \(a list\), not both/,
    ],
    [
      'deploy and services both',
      { deploy: { mode: 'manual' }, services: [service('a')] },
      /give deploy \(one\) or services \(a list\), not both/,
    ],
    ['a service without a deploy section', { services: [{ name: 'relayer' }] }, /services\.0\.deploy/],
  ];
  it.each(bad)('%s: 400 saying what to fix, and nothing starts', async (_label, body, message) => {
    const res = await api.admin('POST', '/admin/upgrade/start', { ...base, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect(String(res.body.message)).toMatch(message);
    expect((await api.admin('GET', '/admin/upgrade/status')).body.state).toBe('none');
  });
});
