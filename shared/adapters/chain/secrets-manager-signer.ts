import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { normaliseMnemonic, type SignerSource } from '../../chain/signer-source.ts';

/**
 * The signer's mnemonic from AWS Secrets Manager, read when first needed and kept in memory only (never in an
 * environment variable, never logged). The secret holds the mnemonic as plain text.
 */
export class SecretsManagerSigner implements SignerSource {
  private cached: Promise<string> | null = null;

  constructor(
    private readonly secretId: string,
    private readonly client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
  ) {}

  mnemonic(): Promise<string> {
    this.cached ??= this.client
      .send(new GetSecretValueCommand({ SecretId: this.secretId }))
      .then((out) => {
        if (!out.SecretString)
          throw new Error(`secret ${this.secretId} holds no mnemonic yet: put it with put-secret-value`);
        return normaliseMnemonic(out.SecretString, `secret ${this.secretId}`);
      })
      .catch((err: Error) => {
        this.cached = null;
        throw err;
      });
    return this.cached;
  }
}
