import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CosmjsChain } from '../../shared/adapters/chain/cosmjs-chain.ts';
import { classifyCosmjsError } from '../../shared/adapters/chain/cosmjs-errors.ts';
import { caughtChainError } from './fixtures.ts';

/** The BIP-39 test mnemonic (public, holds nothing). */
const TEST_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

const CONFIG = {
  rpcEndpoint: 'http://127.0.0.1:26657',
  chainId: 'testing-1',
  prefix: 'cosmos',
  gasPrice: '0.025uatom',
};

const caught = caughtChainError;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

describe('CosmjsChain without a node', () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const server of servers) server.close();
  });

  it.each([
    [{ rpcEndpoint: 'not a url' }, /rpcEndpoint "not a url" is not a URL/],
    [{ rpcEndpoint: 'ftp://127.0.0.1' }, /must use http, https, ws or wss/],
    [{ chainId: '' }, /chainId/],
    [{ prefix: 'Cosmos' }, /prefix "Cosmos"/],
    [{ gasPrice: '0.025' }, /gasPrice "0.025"/],
    [{ gasAdjustment: 0.5 }, /gasAdjustment must be a number from 1 to 10/],
    [{ requestTimeoutMs: 0 }, /requestTimeoutMs/],
    [{ broadcastPollMs: 50 }, /broadcastPollMs must be an integer from 100 to 60000/],
  ])('refuses the config %o', async (override, message) => {
    const error = await caught(() => new CosmjsChain({ ...CONFIG, ...override }, TEST_MNEMONIC));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(message);
  });

  it('refuses a mnemonic of the wrong length without quoting it', async () => {
    const error = await caught(() => new CosmjsChain(CONFIG, 'abandon secretword about'));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/has 3 words/);
    expect(error.message).not.toContain('secretword');
  });

  it('refuses an invalid mnemonic without quoting it', async () => {
    const bad = TEST_MNEMONIC.replace('about', 'zzzsecret');
    const error = await caught(() => new CosmjsChain(CONFIG, bad).signerAddress());
    expect(error.code).toBe('invalid_request');
    expect(error.message).not.toContain('zzzsecret');
  });

  it('derives the signer address offline', async () => {
    const chain = new CosmjsChain(CONFIG, TEST_MNEMONIC);
    expect(await chain.signerAddress()).toBe('cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4');
  });

  it('reports a refused connection as transport, quickly', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const chain = new CosmjsChain(
      { ...CONFIG, rpcEndpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 2000 },
      TEST_MNEMONIC,
    );
    const started = Date.now();
    const error = await caught(() => chain.contractInfo('cosmos1xyz'));
    expect(error.code).toBe('transport');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('reports a node that never answers as transport after the timeout', async () => {
    const silent = createServer(() => {
      // accept the connection and never answer
    });
    servers.push(silent);
    const port = await listen(silent);
    const chain = new CosmjsChain(
      { ...CONFIG, rpcEndpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 300 },
      TEST_MNEMONIC,
    );
    const started = Date.now();
    const error = await caught(() => chain.query(`cosmos1xyz`, { config: {} }));
    expect(error.code).toBe('transport');
    expect(error.message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
    await chain.disconnect();
  });

  it.each([
    [
      'Query failed with (6): rpc error: code = Unknown desc = Inflight settlements exist: 5 settlements must complete before migration',
      'contract_error',
    ],
    [
      'Broadcasting transaction failed with code 4 (codespace: sdk). Log: failed to execute message; message index: 0: requires migrate from admin: unauthorized',
      'unauthorized',
    ],
    ['Query failed with (6): rpc error: code = Unknown desc = no such contract: not found', 'not_found'],
    ['fetch failed (connect ECONNREFUSED 127.0.0.1:26657)', 'transport'],
  ] as const)('classifies %s', (message, code) => {
    expect(classifyCosmjsError(message)).toBe(code);
  });
});
