// The suite's HTTP client. Requests go through Node's global fetch (which nock intercepts in
// replay) with an undici Agent as global dispatcher for connect, headers and body timeouts.
// The key is added at send time and leaves the client only as `[REDACTED]`.
import { Agent, setGlobalDispatcher } from 'undici';
import type { TargetId } from '../catalogue.ts';
import type { Timeouts } from '../config.ts';
import type { CapturedError, CapturedResponse, Exchange } from './exchange.ts';
import { defaultSleep } from '../retry/retry.ts';
import { redactBytes, redactHeaders, redactText, redactValue } from './redact.ts';
import { authFingerprint, authorizationHeader, describeBody, encodeBody, type RequestSpec } from './wire.ts';

/** Response headers the replay engine adds to say which cassette answered. */
export const REPLAY_HEADERS = {
  cassette: 'x-contract-cassette',
  interaction: 'x-contract-interaction',
  elapsed: 'x-contract-recorded-elapsed-ms',
} as const;

const REPLAY_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(REPLAY_HEADERS));

let dispatcherTimeouts: string | undefined;

/** Installs the global dispatcher once per process (per worker). */
export function installDispatcher(t: Timeouts): void {
  const key = `${t.connectMs}/${t.generationMs}`;
  if (dispatcherTimeouts === key) return;
  dispatcherTimeouts = key;
  // Headers and body bounds sit just above the longest per-request deadline, which is what ends
  // a request first and names it ("no response after N s"): undici's 300 s defaults would not.
  setGlobalDispatcher(
    new Agent({
      connectTimeout: t.connectMs,
      headersTimeout: t.generationMs + 1_000,
      bodyTimeout: t.generationMs + 1_000,
      keepAliveTimeout: 4_000,
    }),
  );
}

export interface ClientOptions {
  target: TargetId;
  baseUrl: string;
  /** Sent for `auth: 'key'`. In replay a placeholder, live the configured key. */
  key?: string;
  /** Values to scrub from everything the client returns (the key, and anything else secret). */
  secrets?: readonly string[];
  timeouts: Timeouts;
  /** Called before a paid request; throws to refuse it (LIVEPEER_MAX_PAID_REQUESTS). */
  beforePaid?: (spec: RequestSpec) => void;
  /** Receives every exchange, with the unredacted bytes of the body for the recorder. */
  onExchange?: (x: Exchange, raw: RawExchange) => void;
  /** Called before every send (each attempt): waits while the target's rate limit needs it; resolves to the time waited. */
  pace?: (spec: RequestSpec) => Promise<number>;
  /**
   * Called with each answer: for a 429 no check asked for, what to do (wait and send again, or
   * keep it and say why); undefined for any other answer.
   */
  onRateLimit?: (spec: RequestSpec, x: Exchange, attempt: number) => RateLimitDecision | undefined;
}

/** What the client does with an answer of the target's rate limit. */
export type RateLimitDecision = { resendInMs: number; retryAfterMs?: number } | { keep: string; retryAfterMs?: number };

/** What the recorder needs besides the redacted exchange: the request spec and the body bytes. */
export interface RawExchange {
  spec: RequestSpec;
  responseBody?: Uint8Array;
}

export class ApiClient {
  readonly target: TargetId;
  readonly baseUrl: string;
  private readonly secrets: string[];

  constructor(private readonly options: ClientOptions) {
    this.target = options.target;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secrets = [...(options.secrets ?? []), ...(options.key ? [options.key] : [])];
    installDispatcher(options.timeouts);
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** Deadline for a request: the documented global timeout for inference, shorter for checks. */
  deadlineFor(spec: RequestSpec): number {
    return spec.paid ? this.options.timeouts.generationMs : this.options.timeouts.checkMs;
  }

  /**
   * Sends the request and returns the answer the check judges. Paid requests take their slot once;
   * each attempt waits on the rate limit first, and a 429 no check asked for is waited out and
   * sent again as onRateLimit decides: every attempt reaches onExchange, marked.
   */
  async send(spec: RequestSpec, opts: { timeoutMs?: number } = {}): Promise<Exchange> {
    if (spec.paid) {
      try {
        this.options.beforePaid?.(spec);
      } catch (err) {
        return { ...this.describeRequest(spec), elapsedMs: 0, error: { kind: 'budget', message: (err as Error).message } };
      }
    }
    for (let attempt = 1; ; attempt++) {
      const pacedMs = (await this.options.pace?.(spec)) ?? 0;
      const { exchange, responseBody } = await this.attempt(spec, opts);
      if (pacedMs > 0) exchange.pacedMs = pacedMs;
      const decision = this.options.onRateLimit?.(spec, exchange, attempt);
      if (decision) {
        const resent = 'resendInMs' in decision;
        exchange.rateLimited = { attempt, resent, ...(decision.retryAfterMs !== undefined ? { retryAfterMs: decision.retryAfterMs } : {}), ...('keep' in decision ? { why: decision.keep } : {}) };
      }
      this.options.onExchange?.(exchange, { spec, responseBody });
      if (!decision || !('resendInMs' in decision)) return exchange;
      await defaultSleep(decision.resendInMs);
    }
  }

  private describeRequest(spec: RequestSpec): Pick<Exchange, 'target' | 'request'> & { url: string; headers: Record<string, string> } {
    const url = this.url(spec.path);
    const encoded = encodeBody(spec.body);
    const headers: Record<string, string> = { ...(spec.headers ?? {}) };
    if (encoded.contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = encoded.contentType;
    }
    const authorization = authorizationHeader(spec.auth, this.options.key);
    if (authorization !== undefined) headers.authorization = authorization;
    const request = {
      method: spec.method,
      url: redactText(url, this.secrets),
      path: spec.path,
      headers: redactHeaders(headers, this.secrets),
      auth: authFingerprint(authorization),
      body: redactValue(describeBody(spec.body), this.secrets),
    };
    return { target: this.target, request, url, headers };
  }

  /** One send: the request on the wire, and what came back (or why nothing did). */
  private async attempt(spec: RequestSpec, opts: { timeoutMs?: number }): Promise<{ exchange: Exchange; responseBody?: Uint8Array }> {
    const { url, headers, ...base } = this.describeRequest(spec);
    const encoded = encodeBody(spec.body);
    const timeoutMs = opts.timeoutMs ?? this.deadlineFor(spec);
    const started = performance.now();
    try {
      const res = await fetch(url, {
        method: spec.method,
        headers,
        ...encoded.init,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const responseBody = new Uint8Array(await res.arrayBuffer());
      const elapsedMs = performance.now() - started;
      return { exchange: { ...base, elapsedMs, ...this.capture(res, responseBody) }, responseBody };
    } catch (err) {
      const elapsedMs = performance.now() - started;
      return { exchange: { ...base, elapsedMs, error: this.describeError(err, spec, timeoutMs) } };
    }
  }

  private capture(res: Response, body: Uint8Array): Pick<Exchange, 'response' | 'replayed'> {
    const rawHeaders: Record<string, string> = {};
    const replayHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (REPLAY_HEADER_NAMES.has(name)) replayHeaders[name] = value;
      else rawHeaders[name] = value;
    });
    const cassette = replayHeaders[REPLAY_HEADERS.cassette];
    const interaction = replayHeaders[REPLAY_HEADERS.interaction];
    const recordedElapsed = replayHeaders[REPLAY_HEADERS.elapsed];

    const contentType = rawHeaders['content-type'] ?? '';
    const response: CapturedResponse = {
      status: res.status,
      headers: redactHeaders(rawHeaders, this.secrets),
      contentType,
      bytes: body.byteLength,
    };
    const text = decodeText(body, contentType);
    if (text !== undefined) {
      response.text = redactText(text, this.secrets);
      try {
        if (response.text.trim() !== '') response.json = JSON.parse(response.text);
      } catch {
        // Not JSON: the text is what a check sees.
      }
    } else {
      response.base64 = Buffer.from(redactBytes(body, this.secrets)).toString('base64');
    }
    const replayed =
      cassette && interaction
        ? { cassette, interaction, recordedElapsedMs: recordedElapsed ? Number(recordedElapsed) : undefined }
        : undefined;
    return { response, ...(replayed ? { replayed } : {}) };
  }

  private describeError(err: unknown, spec: RequestSpec, timeoutMs: number): CapturedError {
    const e = err as Error & { cause?: Error & { code?: string } };
    const route = `${spec.method} ${redactText(this.url(spec.path), this.secrets)}`;
    if (e?.name === 'ReplayMissError') return { kind: 'replay-miss', message: redactText(e.message, this.secrets) };
    // Only string codes (ECONNRESET, UND_ERR_…): a DOMException's numeric legacy code says nothing.
    const codes = [e?.cause?.code, (e as { code?: unknown })?.code].filter((c): c is string => typeof c === 'string');
    const code = codes[0];
    if (e?.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return {
        kind: 'timeout',
        code: code ?? 'TimeoutError',
        message:
          `no response after ${formatSeconds(timeoutMs)} s from ${route}: the target accepted the request but did not answer. ` +
          'Run `npm run diagnose` (DOC-16): connectivity, status page, request construction, model availability, gateway availability.',
      };
    }
    const detail = redactText(e?.cause?.message ?? e?.message ?? String(err), this.secrets);
    const kind = code !== undefined && DROPPED_CODES.has(code) ? 'dropped' : 'unreachable';
    const what = kind === 'dropped' ? 'the target closed the connection without an HTTP response' : 'no connection to the target';
    return {
      kind,
      ...(code ? { code } : {}),
      message: `${route} failed: ${what} (${code ?? 'no code'}): ${detail}`,
    };
  }
}

/**
 * Socket errors after the connection was made: the target closed it without answering (a handler
 * that panics, a proxy that resets). Every other failure before a response is `unreachable`.
 */
const DROPPED_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

const formatSeconds = (ms: number) => (ms >= 1000 ? String(Math.round(ms / 100) / 10) : String(ms / 1000));

/** Throws on bytes that are not UTF-8; without `stream`, each decode starts afresh. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const TEXTUAL = /^(text\/|application\/(json|problem\+json|.*\+json|x-www-form-urlencoded|javascript|xml))|event-stream/i;

/** Body as text when the content type says so, or when it has none and decodes as UTF-8. */
export function decodeText(body: Uint8Array, contentType: string): string | undefined {
  if (body.byteLength === 0) return '';
  if (contentType && !TEXTUAL.test(contentType)) return undefined;
  try {
    return UTF8.decode(body);
  } catch {
    return undefined;
  }
}
