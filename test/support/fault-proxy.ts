import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

/**
 * An HTTP proxy in front of a real local engine (the S3 server, DynamoDB Local) that can answer chosen requests
 * itself (an injected error) or hold every request unanswered (a paused engine). Not a mock: everything else
 * reaches the engine.
 */
export interface FaultProxy {
  readonly url: string;
  /** Requests matching `when` get `reply` instead of the engine's answer, `times` times. */
  fail(
    when: (req: IncomingMessage) => boolean,
    reply: { status: number; body: string },
    times?: number,
  ): void;
  /**
   * The next request matching `when` is held before it reaches the engine (a caller stopped between two calls)
   * until `release()` sends it on; `arrived` resolves once it is held.
   */
  hold(when: (req: IncomingMessage) => boolean): { arrived: Promise<void>; release(): void };
  /** While paused, requests are held unanswered (as a stopped process would hold them). */
  pause(): void;
  resume(): void;
  /** How many requests were answered by an injected fault. */
  readonly injected: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: {
    when: (req: IncomingMessage) => boolean;
    reply: { status: number; body: string };
    left: number;
  }[] = [];
  let paused = false;
  const holds: { when: (req: IncomingMessage) => boolean; arrive: (send: () => void) => void }[] = [];
  let injected = 0;
  const held = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    if (paused) {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    const hold = holds.find((h) => h.when(req));
    if (hold) {
      holds.splice(holds.indexOf(hold), 1);
      return hold.arrive(() => forward(req, res));
    }
    const fault = faults.find((f) => f.left > 0 && f.when(req));
    if (fault) {
      fault.left--;
      injected++;
      req.resume();
      res.writeHead(fault.reply.status, { 'content-type': 'application/xml' }).end(fault.reply.body);
      return;
    }
    forward(req, res);
  });
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    fail: (when, reply, times = 1) => faults.push({ when, reply, left: times }),
    hold: (when) => {
      let release: () => void = () => {};
      const released = new Promise<void>((ok) => {
        release = ok;
      });
      const arrived = new Promise<void>((ok) => {
        holds.push({
          when,
          arrive: (send) => {
            ok();
            void released.then(send);
          },
        });
      });
      return { arrived, release };
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const res of held) res.destroy();
    },
    get injected() {
      return injected;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const res of held) res.destroy();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
