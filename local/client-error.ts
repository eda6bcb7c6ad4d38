import type { Duplex } from 'node:stream';

/** Node's parser errors, by code, as the status and JSON error an API Gateway client would read. */
const ANSWERS: Record<string, { status: number; reason: string; error: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    error: 'headers_too_large',
    message:
      'the request headers are too large (16 KB in all here; API Gateway allows 10 KB): send shorter ones',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    error: 'request_timeout',
    message: 'the request did not arrive in time: send it whole',
  },
};

const BAD_REQUEST = {
  status: 400,
  reason: 'Bad Request',
  error: 'bad_request',
  message: 'the request is not valid HTTP/1.1 (request line, headers or framing): fix the client',
};

/**
 * The server's `clientError` handler: a request Node refuses before any route sees it (oversize headers, broken
 * framing) gets a JSON `{error, message}` with its status, like every other answer, instead of an empty body.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const a = ANSWERS[err.code ?? ''] ?? BAD_REQUEST;
  const body = JSON.stringify({ error: a.error, message: a.message });
  socket.end(
    `HTTP/1.1 ${a.status} ${a.reason}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
