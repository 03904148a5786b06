// One request and what came back, captured for assertions, cassettes and reports.
// Everything in an Exchange is already redacted: it is safe to print, attach or write.
import type { TargetId } from '../catalogue.ts';
import type { AuthFingerprint } from './wire.ts';

export interface CapturedRequest {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  auth: AuthFingerprint;
  /** Summary of the body (JSON value, multipart parts with file hashes, or text). */
  body: unknown;
}

export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  /** Body as text, when it is text. */
  text?: string;
  /** Body parsed as JSON, when it parses. */
  json?: unknown;
  /** Body as base64, when it is binary. */
  base64?: string;
  bytes: number;
}

/**
 * Why an exchange has no response. The target gave none: `timeout` (no answer before the
 * deadline), `dropped` (it accepted the connection, then closed it without a response),
 * `unreachable` (no connection at all: refused, DNS, TLS, connect timeout). The suite sent none:
 * `replay-miss` (no cassette holds the request), `budget` (LIVEPEER_MAX_PAID_REQUESTS).
 */
export type FailureKind = 'timeout' | 'dropped' | 'unreachable' | 'replay-miss' | 'budget';

/** Failures where the request reached (or tried to reach) the target and no answer came. */
export const NO_ANSWER: ReadonlySet<FailureKind> = new Set(['timeout', 'dropped', 'unreachable']);
/** Failures where the suite itself did not send the request. */
export const NOT_SENT: ReadonlySet<FailureKind> = new Set(['replay-miss', 'budget']);

export interface CapturedError {
  kind: FailureKind;
  message: string;
  code?: string;
}

/** The target gave no answer to this exchange (a pin for a dropped connection may still expect that). */
export const gotNoAnswer = (x: Exchange): boolean => !!x.error && NO_ANSWER.has(x.error.kind);
/** The suite did not send this exchange: no verdict on the target can come from it. */
export const wasNotSent = (x: Exchange): boolean => !!x.error && NOT_SENT.has(x.error.kind);

export interface Exchange {
  target: TargetId;
  request: CapturedRequest;
  response?: CapturedResponse;
  error?: CapturedError;
  /** Wall time measured by the client (in replay: in-process, near 0). */
  elapsedMs: number;
  /** In replay: the cassette interaction that answered, and the time it took when recorded or authored. */
  replayed?: { cassette: string; interaction: string; recordedElapsedMs?: number };
  /** How long the client held the request back to fit the target's rate limit. */
  pacedMs?: number;
  /** A 429 no check asked for (the target's rate limit): what the client did about it. */
  rateLimited?: RateLimited;
}

export interface RateLimited {
  /** 1 for the first send. */
  attempt: number;
  /** The Retry-After the target gave, in ms (as waited: times LIVEPEER_RETRY_SCALE). */
  retryAfterMs?: number;
  /** Sent again after the wait; the last attempt is the one the check judges. */
  resent: boolean;
  /** Why it was not sent again, for the last attempt. */
  why?: string;
}

/** The answer was the target's rate limit, after every resend the client allows: no verdict on the contract. */
export const stillRateLimited = (x: Exchange | undefined): boolean => !!x?.rateLimited && !x.rateLimited.resent;

/** The elapsed time that describes the target: recorded time in replay, measured time otherwise. */
export const targetElapsedMs = (x: Exchange): number => x.replayed?.recordedElapsedMs ?? x.elapsedMs;

const MAX_SHOWN = 1200;
const clip = (s: string) => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}… (${s.length} chars)` : s);

/** A short, one-line description of what came back. */
export function describeOutcome(x: Exchange): string {
  if (x.error) return `${x.error.kind}: ${x.error.message}`;
  const r = x.response!;
  const body = r.json !== undefined ? JSON.stringify(r.json) : r.text !== undefined ? JSON.stringify(r.text) : `<${r.bytes} bytes ${r.contentType}>`;
  return `${r.status} ${clip(body)}`;
}

/** The exchange as a reader wants it in a failure message: request, then response. */
export function formatExchange(x: Exchange): string {
  const lines = [`→ ${x.request.method} ${x.request.url}  [target ${x.target}, auth ${x.request.auth}]`];
  const headers = Object.entries(x.request.headers).map(([k, v]) => `${k}: ${v}`);
  if (headers.length) lines.push(`  ${headers.join('\n  ')}`);
  if (x.request.body !== null && x.request.body !== undefined) lines.push(`  ${clip(JSON.stringify(x.request.body))}`);
  if (x.error) {
    lines.push(`← ${x.error.kind}${x.error.code ? ` (${x.error.code})` : ''}: ${x.error.message}`);
  } else if (x.response) {
    const r = x.response;
    lines.push(`← ${r.status} (${Math.round(x.elapsedMs)} ms)  content-type: ${r.contentType || '(none)'}`);
    const shown = r.json !== undefined ? JSON.stringify(r.json) : r.text ?? `<${r.bytes} bytes, binary>`;
    lines.push(`  ${clip(shown)}`);
  }
  if (x.replayed) lines.push(`  (replayed from ${x.replayed.cassette} #${x.replayed.interaction})`);
  if (x.pacedMs) lines.push(`  (held back ${Math.round(x.pacedMs)} ms to fit the target's rate limit)`);
  if (x.rateLimited) {
    const r = x.rateLimited;
    lines.push(`  (attempt ${r.attempt}: 429 from the rate limit${r.retryAfterMs !== undefined ? `, Retry-After ${Math.round(r.retryAfterMs)} ms` : ''}; ${r.resent ? 'waited it out and sent again' : `not sent again: ${r.why ?? 'no resend left'}`})`);
  }
  return lines.join('\n');
}
