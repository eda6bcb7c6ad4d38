import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretsManagerSigner } from '../../shared/adapters/chain/secrets-manager-signer.ts';

// AWS Secrets Manager has no local engine: its client is replaced by a stand-in that answers GetSecretValue.
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const client = (secret: string | undefined, calls: unknown[] = []) =>
  ({
    send: async (cmd: unknown) => {
      calls.push(cmd);
      return { SecretString: secret };
    },
  }) as unknown as Pick<SecretsManagerClient, 'send'>;

describe('the signer mnemonic from Secrets Manager', () => {
  it('is read once, normalised, and cached', async () => {
    const calls: unknown[] = [];
    const signer = new SecretsManagerSigner(
      'arn:secret',
      client(`  ${MNEMONIC.replace(/ /g, '  ')}\n`, calls),
    );
    expect(await signer.mnemonic()).toBe(MNEMONIC);
    expect(await signer.mnemonic()).toBe(MNEMONIC);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBeInstanceOf(GetSecretValueCommand);
  });

  it('an empty secret says what to do, and a malformed one never quotes its words', async () => {
    await expect(new SecretsManagerSigner('arn:secret', client(undefined)).mnemonic()).rejects.toThrow(
      /put-secret-value/,
    );
    const err = await new SecretsManagerSigner('arn:secret', client('secret words here'))
      .mnemonic()
      .catch((e: Error) => e);
    expect((err as Error).message).toContain('has 3 words');
    expect((err as Error).message).not.toContain('secret words here');
  });
});
