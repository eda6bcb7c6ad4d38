import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** A request as the signer sees it (API Gateway's execute-api service). */
export interface PlainRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * The SDK's SigV4 signer for execute-api in `region`, over `credentials` (default: the SDK's default credential
 * chain: environment, shared files with `profile`, SSO, process, container and instance roles).
 */
export function apiSigner(
  region: string,
  profile?: string,
  credentials: AwsCredentialIdentityProvider = fromNodeProviderChain(profile ? { profile } : {}),
): SignatureV4 {
  return new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
}

/** Signs with the SDK's own signer: the headers to send (authorization, x-amz-date, the session token if any). */
export async function signRequest(
  signer: SignatureV4,
  req: PlainRequest,
  signingDate?: Date,
): Promise<Record<string, string>> {
  const query: Record<string, string> = {};
  for (const [k, v] of req.url.searchParams) query[k] = v;
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: req.url.protocol,
      hostname: req.url.hostname,
      ...(req.url.port ? { port: Number(req.url.port) } : {}),
      path: req.url.pathname,
      query,
      headers: { ...req.headers, host: req.url.host },
      ...(req.body !== undefined ? { body: req.body } : {}),
    },
    signingDate ? { signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}
