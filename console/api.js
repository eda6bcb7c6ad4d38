// How the page talks to the local server: read-only console endpoints, and the admin API with the operator's token.

const TOKEN_KEY = 'ucp-console-admin-token';

/** The admin token the operator entered: in sessionStorage only (this tab, until it closes), never in a URL. */
export const adminToken = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

async function answerOf(response) {
  const text = await response.text();
  let body = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: response.status, statusText: response.statusText, body };
}

/** Everything the page shows, read in-process by the local server (no token needed, nothing changes). */
export async function readSnapshot() {
  return answerOf(await fetch('/console/api/snapshot', { cache: 'no-store' }));
}

/** One admin GET route through the console's read-only endpoint, e.g. `/admin/inflight?limit=50`. */
export async function adminRead(path) {
  return answerOf(await fetch(`/console/api${path}`, { cache: 'no-store' }));
}

/** The real admin API, with `Authorization: Bearer <token>`; the token goes in the header, never the URL. */
export async function adminCall(method, path, body, token = adminToken.get()) {
  const headers = { authorization: `Bearer ${token ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  return answerOf(response);
}
