import { CliError, EXIT, UnreachableError, UsageError } from './cli-errors.ts';
import type { Connection } from './connection.ts';
import { apiSigner, signRequest } from './sigv4.ts';

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** What a refused request means for the operator, by status: the exit code. */
function failureFor(status: number, body: Record<string, unknown>, what: string): CliError {
  const message = `${what}: ${status} ${String(body.error ?? '')}: ${String(body.message ?? JSON.stringify(body))}`;
  if (status === 401 || status === 403) {
    const hint =
      status === 401
        ? ' (check --token / UCP_TOKEN, or the AWS credentials)'
        : body.error === 'personal_identity_required'
          ? ' (use --operator <name> for your own token)'
          : '';
    return new UnreachableError(message + hint, body);
  }
  if (status >= 400 && status < 500 && status !== 409) return new UsageError(message, body);
  return new CliError(message, EXIT.failed, body);
}

/** Calls the control plane's API over HTTP: a bearer token locally, SigV4 on AWS. */
export class ApiClient {
  private readonly signer;

  constructor(readonly connection: Connection) {
    this.signer = connection.kind === 'sigv4' ? apiSigner(connection.region, connection.profile) : null;
  }

  /** The answer, whatever its status (the caller decides); throws UnreachableError when nothing answers. */
  async send(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const url = new URL(`${this.connection.url}${path}`);
    const text = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = text ? { 'content-type': 'application/json' } : {};
    if (this.connection.kind === 'token') headers.authorization = `Bearer ${this.connection.token}`;
    else if (this.signer)
      headers = await signRequest(this.signer, {
        method,
        url,
        headers,
        ...(text !== undefined ? { body: text } : {}),
      });
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(text !== undefined ? { body: text } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      type Cause = { code?: string; message?: string; errors?: { code?: string }[] };
      const c = (err as { cause?: Cause }).cause;
      const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (err as Error).message;
      throw new UnreachableError(
        `cannot reach the control plane at ${this.connection.url} (${cause}): is it running (\`npm start\`)? Or give --url`,
      );
    }
    const raw = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      parsed = { error: 'not_json', message: raw.slice(0, 200) };
    }
    return { status: res.status, body: parsed };
  }

  /** The answer's body when 2xx; else a CliError saying what the API said, with the matching exit code. */
  async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await this.send(method, path, body);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    throw failureFor(answer.status, answer.body, `${method} ${path}`);
  }
}
