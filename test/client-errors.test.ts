import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

/** Sends raw bytes over a real socket and reads the whole answer: status, headers and the JSON body. */
function rawRequest(bytes: string): Promise<{ status: number; head: string; body: Record<string, unknown> }> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({
        status: Number(head.split(' ')[1]),
        head,
        body: JSON.parse(body) as Record<string, unknown>,
      });
    });
    socket.write(bytes);
  });
}

describe('requests Node refuses before any route still get JSON', () => {
  it('a 20 KB Authorization header: 431 with {error, message}', async () => {
    const res = await rawRequest(
      `GET /admin/drain/status HTTP/1.1\r\nHost: local\r\nAuthorization: Bearer ${'x'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.head).toMatch(/content-type: application\/json/i);
    expect(res.body).toEqual({ error: 'headers_too_large', message: expect.stringContaining('too large') });
  });

  it('many headers adding up past the limit: 431 too', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(60)}\r\n`).join('');
    const res = await rawRequest(`GET /health HTTP/1.1\r\nHost: local\r\n${many}\r\n`);
    expect(res.status).toBe(431);
    expect(res.body.error).toBe('headers_too_large');
  });

  it('a broken request line or framing: 400 with {error, message}', async () => {
    for (const bytes of [
      'NOT A REQUEST\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: local\r\nContent-Length: abc\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost local\r\n\r\n',
    ]) {
      const res = await rawRequest(bytes);
      expect(res.status, bytes).toBe(400);
      expect(res.body).toEqual({ error: 'bad_request', message: expect.stringContaining('not valid HTTP') });
    }
  });

  it('a normal request on the same server still works', async () => {
    expect((await api.raw('GET', '/health')).status).toBe(200);
  });
});
