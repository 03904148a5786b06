// A target on 127.0.0.1: a real HTTP server that answers from the project's cassettes, with the
// same matching as replay (ReplayEngine), so live mode runs over real sockets (undici timeouts,
// multipart on the wire, dropped connections) without leaving the machine. Fault modes a test
// switches on make it misbehave the ways a real target does: 503s, 429s, silence, resets, trickles.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipelineOfPath, TARGETS, type PipelineId, type TargetId } from '../catalogue.ts';
import { documentedModel } from '../data/requests.ts';
import { loadCassettes, type RecordedRequest } from '../modes/cassettes.ts';
import { recordedRequestFromWire, ReplayEngine, ReplayMissError, replyParts, type HttpResponse } from '../modes/replay.ts';
import { listenLocally, type LocalServer } from '../http/loopback-http.ts';
import { bearerToken, UNKNOWN_KEY } from '../http/wire.ts';
import { RateLedger } from './rate-ledger.ts';

/** How the server misbehaves, for the next `times` requests (every request when omitted). */
export type Fault =
  /** 503 (the gateway's "no orchestrator" answer, contract-notes §3), then the normal answer. */
  | { kind: 'unavailable'; times: number }
  /** Studio's rate limit: 429 `{"errors":["Too many AI requests"]}` + `Retry-After` (contract-notes §2.3.3). */
  | { kind: 'rate-limited'; retryAfterSeconds: number; times?: number }
  /** Accepts the request and never answers. */
  | { kind: 'no-response'; times?: number }
  /** Closes the connection with a TCP reset instead of answering. */
  | { kind: 'reset'; times?: number }
  /** Sends the headers at once, then the body `chunkBytes` at a time every `chunkDelayMs`. */
  | { kind: 'slow-body'; chunkDelayMs: number; chunkBytes?: number; times?: number };

export interface LoopbackOptions {
  target: TargetId;
  /** The fixtures folder whose cassettes/<target>/*.json the server answers from. */
  fixturesDir: string;
  /**
   * Keys the server accepts. On a target that checks keys, any other bearer token (except the
   * suite's UNKNOWN_KEY, answered from cassettes) is refused as the real target refuses it.
   * Omitted: every token is accepted, as in replay.
   */
  validKeys?: readonly string[];
  /** The fault the server starts with. */
  fault?: Fault;
  /** Path the routes hang under (default: the path of the target's real URL, e.g. /api/beta/generate). */
  basePath?: string;
  /**
   * A runner container as ai-runner starts one (PIPELINE and MODEL_ID): only this pipeline's route
   * exists, the others answer 404 {"detail":"Not Found"}, and GET /version names it
   * (runner-observed.md O137-O139). Without it the runner loopback serves every route and has no
   * /version, like a runner older than that route: the run then checks every pipeline.
   */
  pipeline?: PipelineId;
  /** A runner started with AUTH_TOKEN: a request to its route without `Bearer <token>` gets 401 (runner-observed O96-O100). */
  token?: string;
  /**
   * A gateway whose batch routes are retired (go-livepeer #4036, with #3997's headers): every method
   * on every pipeline route answers 410 Gone with an explanatory error, `Deprecation: true`,
   * `Sunset: <date>` and `Warning: 299` (upstream-status.md).
   */
  retired?: { sunset: string };
  /**
   * Studio's rate limiter: what passes auth and validation is counted per key, and past the limit
   * answered 429 with Retry-After. One ledger for all servers of one Studio (and all runs on it).
   */
  rateLimit?: RateLedger;
}

export interface LoopbackTarget {
  /** Base URL to configure as LIVEPEER_GATEWAY_URL: http://127.0.0.1:<port><basePath>. */
  url: string;
  /** POST here to restart every recorded sequence (what replay does at the start of each test). */
  resetUrl: string;
  setFault(fault: Fault | undefined): void;
  resetSequences(): void;
  /** Every request that reached the server (control requests excluded), in order. */
  readonly received: readonly RecordedRequest[];
  close(): Promise<void>;
}

/** The control route's prefix: outside every target's base path and every catalogue route. */
const CONTROL = '/__loopback';

/** What a target that checks keys answers a bearer token it does not know. */
const KEY_REFUSAL: Partial<Record<TargetId, (token: string) => HttpResponse>> = {
  // contract-notes §2.3.3, 401 row (auth.ts L133-137): Studio echoes the key it did not find.
  studio: (token) => json(401, { errors: [`no token ${token} found`] }),
  // contract-notes §2.1.1: the runner with AUTH_TOKEN set.
  runner: () => json(401, { detail: { msg: 'Invalid bearer token.' } }),
};

const UNAVAILABLE = () => json(503, { error: { message: 'Service Unavailable Error' } });

/** runner-observed.md O138: a route this container does not mount. */
const RUNNER_NOT_FOUND = (): HttpResponse => json(404, { detail: 'Not Found' });
/** runner-observed.md O96: the runner with AUTH_TOKEN, and a request without it. */
const INVALID_TOKEN = (): HttpResponse => {
  const r = json(401, { detail: { msg: 'Invalid bearer token.' } });
  return { ...r, headers: { ...r.headers, 'www-authenticate': 'Bearer' } };
};
/** upstream-status.md: #4036's 410 with an explanatory error, and #3997's end-of-life headers. */
const GONE = (pipeline: string, sunset: string): HttpResponse => {
  const message = `pipeline "${pipeline}" is deprecated and no longer supported`;
  const r = json(410, { error: { message } });
  return { ...r, headers: { ...r.headers, deprecation: 'true', sunset, warning: `299 - "${message}"` } };
};

const RATE_LIMITED = (retryAfterSeconds: number) => {
  const r = json(429, { errors: ['Too many AI requests'] });
  return { ...r, headers: { ...r.headers, 'retry-after': String(retryAfterSeconds) } };
};

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { kind: 'json', value } };
}

export async function startLoopbackTarget(options: LoopbackOptions): Promise<LoopbackTarget> {
  const { target } = options;
  const engine = new ReplayEngine(loadCassettes(options.fixturesDir, [target]), {});
  const basePath = (options.basePath ?? new URL(TARGETS[target].defaultUrl).pathname).replace(/\/+$/, '');
  const refusal = options.validKeys ? KEY_REFUSAL[target] : undefined;
  const received: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let fault: Fault | undefined = options.fault;
  let faultUses = 0;

  /** The fault that applies to this request, counting it against `times`. */
  function takeFault(): Fault | undefined {
    if (!fault) return undefined;
    if (fault.times !== undefined && faultUses >= fault.times) return undefined;
    faultUses++;
    return fault;
  }

  /** Finds the recorded answer; a target that checks no key answers a keyed request as an anonymous one. */
  function answerFor(sent: RecordedRequest): HttpResponse | { dropped: string } | ReplayMissError {
    try {
      return engine.match(target, sent).interaction.response;
    } catch (err) {
      if (!(err instanceof ReplayMissError)) throw err;
      if (sent.auth === 'bearer' && TARGETS[target].auth !== 'required') {
        try {
          return engine.match(target, { ...sent, auth: 'absent' }).interaction.response;
        } catch {
          // Report the miss of the request as it was sent.
        }
      }
      return err;
    }
  }

  function send(req: IncomingMessage, res: ServerResponse, r: HttpResponse, slow?: Extract<Fault, { kind: 'slow-body' }>): void {
    const { status, headers, payload } = replyParts(r, req.method ?? 'GET');
    const bytes = Buffer.from(payload);
    const length = req.method === 'HEAD' ? {} : { 'content-length': String(bytes.byteLength) };
    if (!slow || bytes.byteLength === 0) {
      res.writeHead(status, { ...headers, ...length }).end(bytes);
      return;
    }
    res.writeHead(status, { ...headers, ...length });
    res.flushHeaders();
    const step = Math.max(1, slow.chunkBytes ?? 1);
    let at = 0;
    const tick = () => {
      if (res.destroyed) return;
      res.write(bytes.subarray(at, at + step));
      at += step;
      if (at >= bytes.byteLength) {
        res.end();
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        tick();
      }, slow.chunkDelayMs);
      timers.add(t);
    };
    tick();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === `${CONTROL}/reset` && method === 'POST') {
      engine.resetSequences();
      res.writeHead(204).end();
      return;
    }
    const path = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) + url.search || '/' : undefined;
    const sent = await recordedRequestFromWire(method, path ?? url.pathname + url.search, req.headers, new Uint8Array(body));
    received.push(sent);

    const f = takeFault();
    if (f?.kind === 'no-response') return; // Keep the socket open; close() ends it.
    const routed = path === undefined ? undefined : pipelineOfPath(path);
    if (options.retired && routed) return send(req, res, GONE(routed, options.retired.sunset));
    if (options.pipeline) {
      if (path === '/version' && method === 'GET') {
        return send(req, res, json(200, { pipeline: options.pipeline, model_id: documentedModel(options.pipeline), version: '0.14.1' }));
      }
      if (routed && routed !== options.pipeline) return send(req, res, RUNNER_NOT_FOUND());
    } else if (target === 'runner' && path === '/version') {
      return send(req, res, RUNNER_NOT_FOUND());
    }
    // The token is checked on the routes the container mounts, for POST (the 405 of GET needs none, O110).
    if (options.token && routed && method === 'POST' && bearerToken(req.headers.authorization) !== options.token) return send(req, res, INVALID_TOKEN());
    if (f?.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (f?.kind === 'unavailable') return send(req, res, UNAVAILABLE());
    if (f?.kind === 'rate-limited') return send(req, res, RATE_LIMITED(f.retryAfterSeconds));
    const slow = f?.kind === 'slow-body' ? f : undefined;

    const token = bearerToken(req.headers.authorization);
    if (refusal && token !== undefined && token !== UNKNOWN_KEY && !options.validKeys!.includes(token)) {
      return send(req, res, refusal(token), slow);
    }
    const answer = path === undefined ? new ReplayMissError(`Loopback ${target}: ${method} ${url.pathname} is outside the base path ${basePath || '/'}.`) : answerFor(sent);
    if (answer instanceof ReplayMissError) {
      // 599: no target answers it, so a live spec on loopback fails loudly with the reason.
      res.writeHead(599, { 'content-type': 'text/plain; charset=utf-8', 'x-loopback-miss': '1' }).end(answer.message);
      return;
    }
    if ('dropped' in answer) {
      req.socket.resetAndDestroy();
      return;
    }
    // After auth and validation, before the gateway: what Studio's limiter does (studio-observed §7).
    if (options.rateLimit && routed && RateLedger.counts(answer)) {
      const limited = options.rateLimit.admit(token ?? '(anonymous)');
      if (limited) return send(req, res, RATE_LIMITED(limited.retryAfterSeconds));
    }
    send(req, res, answer, slow);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`loopback server error: ${err.message}`);
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${basePath}`,
    resetUrl: `${origin}${CONTROL}/reset`,
    received,
    setFault(next) {
      fault = next;
      faultUses = 0;
    },
    resetSequences: () => engine.resetSequences(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A stand-in for the status page (LIVEPEER_STATUS_URL), so nothing a test runs leaves 127.0.0.1. */
export function startStatusPage(status = 200): Promise<LocalServer> {
  return listenLocally((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>All Systems Operational (loopback)</body></html>');
  });
}
