import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { isChainError } from '../../shared/chain/chain-error.ts';
import { commonContractWasm, OTHER, settlementWasm } from './fixtures.ts';

interface TokenInfo {
  name: string;
  symbol: string;
  decimals: number;
  total_supply: string;
}

/** cw20-base (a third-party Rust contract) through the same port: instantiate, query, migrate. */
describe('SimulatedChain with cw20-base', () => {
  const chain = SimulatedChain.create({ chainId: 'chain-port-cw20-1' });
  let admin: string;
  let codeA: number;
  let codeB: number;
  let token: string;

  const balance = async (address: string) =>
    (await chain.query<{ balance: string }>(token, { balance: { address } })).balance;

  beforeAll(async () => {
    admin = await chain.signerAddress();
    codeA = (await chain.upload(commonContractWasm('cw20-base'))).codeId;
    codeB = (await chain.upload(commonContractWasm('cw20-base'))).codeId;
    const created = await chain.instantiate(
      codeA,
      {
        name: 'Settlement Token',
        symbol: 'STL',
        decimals: 6,
        initial_balances: [
          { address: admin, amount: '1000000' },
          { address: OTHER.solver, amount: '250000' },
        ],
        mint: { minter: admin },
      },
      'cw20',
      { admin },
    );
    token = created.address;
  });

  it('uploads the same code twice under two ids with one checksum', async () => {
    expect(codeB).not.toBe(codeA);
    expect((await chain.codeDetails(codeA)).checksum).toBe((await chain.codeDetails(codeB)).checksum);
  });

  it('answers token_info and balances', async () => {
    expect(await chain.query<TokenInfo>(token, { token_info: {} })).toEqual({
      name: 'Settlement Token',
      symbol: 'STL',
      decimals: 6,
      total_supply: '1250000',
    });
    expect(await balance(admin)).toBe('1000000');
    expect(await balance(OTHER.solver)).toBe('250000');
  });

  it('drops the writes of an execute whose submessage failed (cw-simulate VM cache workaround)', async () => {
    // cw20 `send` debits the sender, then calls the recipient, which rejects the unknown `receive`:
    // the chain rolls back, but without the workaround cw20's cached VM keeps the debit and the
    // next successful execute writes it back.
    const receiver = (await chain.instantiate((await chain.upload(settlementWasm(1))).codeId, {}, 'receiver'))
      .address;
    const error: unknown = await chain
      .execute(token, {
        send: { contract: receiver, amount: '400000', msg: Buffer.from('{}').toString('base64') },
      })
      .catch((e: unknown) => e);
    expect(isChainError(error, 'contract_error')).toBe(true);
    expect(await balance(admin)).toBe('1000000');
    expect(await balance(receiver)).toBe('0');
    await chain.execute(token, { transfer: { recipient: OTHER.stranger, amount: '1' } });
    expect(await balance(admin)).toBe('999999');
    expect(await balance(receiver)).toBe('0');
    expect((await chain.query<TokenInfo>(token, { token_info: {} })).total_supply).toBe('1250000');
  });

  it('migrates to the other code id keeping balances', async () => {
    const before = [await balance(admin), await balance(OTHER.solver), await balance(OTHER.stranger)];
    await chain.migrate(token, codeB, {});
    expect(await chain.contractInfo(token)).toMatchObject({ codeId: codeB, admin });
    expect([await balance(admin), await balance(OTHER.solver), await balance(OTHER.stranger)]).toEqual(
      before,
    );
    expect((await chain.query<TokenInfo>(token, { token_info: {} })).total_supply).toBe('1250000');
    // the token still works after the migrate
    await chain.execute(token, { mint: { recipient: OTHER.solver, amount: '5' } });
    expect(await balance(OTHER.solver)).toBe('250005');
  });
});
