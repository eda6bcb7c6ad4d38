/** A caller of an embedded stack's API with its tokens, for the demos and benchmarks that run one in-process. */
export function stackClient(stack: { url: string; tokens: { admin: string; intent: string } }) {
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    admin: (method: string, path: string, body?: unknown) => call(stack.tokens.admin, method, path, body),
    intent: (method: string, path: string, body?: unknown) => call(stack.tokens.intent, method, path, body),
  };
}
