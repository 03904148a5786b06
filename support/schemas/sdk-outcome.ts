// What the official SDK made of an answer, as data: the result type it parsed, or the error it
// threw (class, the status a caller can read, message, and whether the server's own message
// reached the caller). Pins and documented expectations of the SDK rows are zod schemas over it.
// No SDK import here: the registry, loaded by globalSetup, builds its pins with these helpers.
import { z } from 'zod';
import { fieldsEqual } from './expectations.ts';

/** The package and version the suite pins (package.json devDependencies, exact). */
export const SDK_LABEL = '@livepeer/ai 0.6.2';

export interface SdkParsed {
  kind: 'parsed';
  /** `generate.upscale()`. */
  operation: string;
  /** The SDK's result type: ImageResponse, VideoResponse, … */
  resultType: string;
}

export interface SdkThrew {
  kind: 'error';
  operation: string;
  /** The error's class as the SDK names it: SDKError, SDKValidationError, HTTPError, … */
  errorClass: string;
  /** The HTTP status a caller can read, when there is one (see `statusFrom`). */
  status?: number;
  /** `statusCode`: the error's own field (SDKError); `class`: the one status its class stands for. */
  statusFrom?: 'statusCode' | 'class';
  message: string;
  /** The messages the server's body carried: detail.msg, detail[].msg, error.message, errors[…], plain text. */
  serverMessages: string[];
  /** Every server message reached the caller: in the error's message or its typed fields. */
  serverMessagesReachCaller: boolean;
}

/** No answer to run through the SDK: the suite refused the call (replay miss, paid budget). */
export interface SdkNoAnswer {
  kind: 'no answer';
  operation: string;
  reason: string;
}

export type SdkOutcome = SdkParsed | SdkThrew | SdkNoAnswer;

const clip = (s: string, max = 400) => (s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);

/** One line for reports and failure messages: `SDK (@livepeer/ai 0.6.2) view: generate.upscale() returns ImageResponse`. */
export function describeSdkOutcome(o: SdkOutcome): string {
  const head = `SDK (${SDK_LABEL}) view: ${o.operation}`;
  switch (o.kind) {
    case 'parsed':
      return `${head} returns ${o.resultType}`;
    case 'no answer':
      return `${head}: no answer to run (${o.reason})`;
    case 'error': {
      const status = o.status === undefined ? 'no status code' : o.statusFrom === 'class' ? `status ${o.status} (by its class)` : `statusCode ${o.status}`;
      const server = o.serverMessages.length === 0 ? 'the body carries no message' : `server message ${o.serverMessagesReachCaller ? 'reaches the caller' : 'is lost'}: ${clip(o.serverMessages.map((m) => JSON.stringify(m)).join(', '), 200)}`;
      return `${head} throws ${o.errorClass} (${status}; ${server}): ${clip(o.message.replace(/\s*\n\s*/g, ' '))}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Schemas over outcomes, for documented expectations and registry pins

type Text = string | RegExp;
const text = (t: Text) => (typeof t === 'string' ? z.literal(t) : z.string().regex(t));

/** Documented (SDK-01): the operation returns its published result type. */
export const parsesAs = (resultType: string) => z.object({ kind: z.literal('parsed'), resultType: z.literal(resultType) });

/** Documented (SDK-02): a typed error whose status is `status` and whose body's message reaches the caller. */
export const reachesCallerWith = (status: number) =>
  z.object({
    kind: z.literal('error', { error: 'expected the SDK to throw an error for an error answer' }),
    status: z.literal(status, { error: `expected the caller to read status ${status}` }),
    serverMessagesReachCaller: z.literal(true, { error: "expected the server's message to reach the caller" }),
  });

/** Documented (SDK-02) for a connection closed without an answer: the SDK's own type for it. */
export const connectionError = z.object({ kind: z.literal('error'), errorClass: z.literal('ConnectionError', { error: 'expected the SDK to throw its ConnectionError' }) });

export interface ThrowsPin {
  errorClass: string;
  /** The status the caller reads, or `none`. */
  status: number | 'none';
  message: Text;
  /** For an error body: whether its message reaches the caller. Omitted: the answer carries no message (a 200, a dropped connection). */
  serverMessagesReachCaller?: boolean;
}

/** Pinned: exactly this error class, readable status, message and fate of the server's message. */
export const throwsError = (p: ThrowsPin) =>
  z.object({
    kind: z.literal('error'),
    errorClass: z.literal(p.errorClass),
    status: p.status === 'none' ? z.undefined({ error: 'expected no status the caller can read' }).optional() : z.literal(p.status),
    message: text(p.message),
    ...(p.serverMessagesReachCaller === undefined
      ? { serverMessages: z.tuple([], { error: 'expected an answer that carries no server message' }) }
      : { serverMessagesReachCaller: z.literal(p.serverMessagesReachCaller) }),
  });

/** One line for a pin's summary: `throws SDKValidationError, no status, server message lost`. */
export function throwsSummary(p: ThrowsPin): string {
  const status = p.status === 'none' ? 'no status code' : `status ${p.status}`;
  const server = p.serverMessagesReachCaller === undefined ? '' : p.serverMessagesReachCaller ? ', server message reaches the caller' : ", server message lost";
  return `the SDK throws ${p.errorClass} (${status}${server}): ${typeof p.message === 'string' ? JSON.stringify(p.message) : String(p.message)}`;
}

// ---------------------------------------------------------------------------------------------
// Retries (SDK-04): what a caller's retry loop did against a cold model, side by side

export interface RetryTrace {
  /** Requests made, the first included. */
  attempts: number;
  /** Wait before each retry, ms (the SDK's: measured on the fake clock, whole ms). */
  waitsMs: number[];
  totalWaitMs: number;
  /** Which statuses of the probe set are retried at all. */
  retriedStatuses: number[];
}

/** Field by field equality with a trace, each difference one issue: `attempts: 1, expected 6`. */
export const traceIs = (expected: RetryTrace) => fieldsEqual(expected);

export interface BackoffPin {
  initialMs: number;
  exponent: number;
  capMs: number;
  maxElapsedMs: number;
  retriedStatuses: number[];
}

/**
 * The SDK's backoff loop with jitter fixed at 0 (src/lib/retries.ts L152-193): the wait before
 * retry n (n = 1, 2, …) is min(initial × (n−1)^exponent, cap), whole ms on the clock; it stops at
 * the first failure after more than maxElapsed ms, however many attempts that takes.
 */
export const backoffTrace = (p: BackoffPin) =>
  z.custom<RetryTrace>().superRefine((seen, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (JSON.stringify(seen.retriedStatuses) !== JSON.stringify(p.retriedStatuses)) issue('retriedStatuses', `${JSON.stringify(seen.retriedStatuses)}, expected ${JSON.stringify(p.retriedStatuses)}`);
    seen.waitsMs.forEach((w, i) => {
      const formula = Math.trunc(Math.min(p.initialMs * i ** p.exponent, p.capMs));
      if (w !== formula) issue('waitsMs', `wait ${i + 1} is ${w} ms, the formula gives ${formula} ms`);
    });
    if (seen.attempts !== seen.waitsMs.length + 1) issue('attempts', `${seen.attempts} attempts for ${seen.waitsMs.length} waits`);
    const beforeLast = seen.waitsMs.slice(0, -1).reduce((a, b) => a + b, 0);
    if (!(seen.totalWaitMs > p.maxElapsedMs && beforeLast <= p.maxElapsedMs)) {
      issue('totalWaitMs', `${seen.totalWaitMs} ms: expected the loop to stop at the first failure after ${p.maxElapsedMs} ms`);
    }
  });

/** Any outcome: for checks whose documented promise is about the HTTP answer only (SDK-03). */
export const anyOutcome = z.unknown();

export interface SdkJudgement {
  holds: boolean;
  reasons: string[];
}

export function judgeSdkOutcome(observed: unknown, schema: z.ZodType): SdkJudgement {
  const parsed = schema.safeParse(observed);
  return parsed.success ? { holds: true, reasons: [] } : { holds: false, reasons: [`SDK: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`] };
}
