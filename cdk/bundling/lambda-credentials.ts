/**
 * Stands in for `@aws-sdk/credential-provider-node` in function bundles (esbuild alias, see project-function.ts).
 *
 * The SDK's default chain tries environment variables, then SSO, ini files, credential processes, web identity
 * tokens, container and instance metadata; carrying it costs each bundle about 100 KB of nested STS/SSO clients and
 * parsers. A Lambda function's execution-role credentials are always in its environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so a function only needs the first link: the SDK's own `fromEnv`.
 * Anything that passes explicit `credentials` (the DynamoDB Local path) never calls this.
 */
import { fromEnv } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

type Init = Parameters<typeof fromEnv>[0];

export const defaultProvider =
  (init?: Init): AwsCredentialIdentityProvider =>
  async () => {
    try {
      return await fromEnv(init)();
    } catch (err) {
      throw Object.assign(
        new Error(
          'No AWS credentials in the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). Function bundles ' +
            'carry only the environment credential provider (cdk/bundling/lambda-credentials.ts), not the default chain.',
        ),
        { name: 'CredentialsProviderError', cause: err },
      );
    }
  };
