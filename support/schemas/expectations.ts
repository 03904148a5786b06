// An expectation is what a spec (documented) or a registry entry (pinned) says a check observes:
// the answer (status, or a connection dropped without one; body shape; media type; headers; how
// long it took), what retrying it did, what the suite's client did, and what the official SDK made
// of it. Both sides use this one type and one `judge`, so a pin is never weaker than the facets
// it names, and every judgement of a check goes through the same path (support/verdict/outcome.ts).
import { z } from 'zod';
import { targetElapsedMs, type Exchange } from '../http/exchange.ts';

export interface Expectation {
  /** One line a reader can compare with what came: `405 {"detail":"Method Not Allowed"}`. */
  summary: string;
  /**
   * The answer: an HTTP status, or `dropped` for a connection the target accepted and closed
   * without a response. Omitted where the check judges no answer of a target (client scope).
   */
  status?: number | 'dropped';
  /** The body's shape (JSON value, or the text when it is not JSON). */
  body?: z.ZodType;
  /** The media type of the answer, parameters such as charset aside (`application/json`). */
  mediaType?: string;
  /** Response headers (names lower case), each a schema over its value (`undefined` when absent). */
  headers?: Readonly<Record<string, z.ZodType>>;
  /** The answer came within this many ms (the recorded time in replay). */
  withinMs?: number;
  /** The last answer of a retried request. */
  final?: Expectation;
  /** What happened over several requests (a retry loop's attempts and waits, a burst's statuses): a schema over the observation's `sequence`. */
  sequence?: z.ZodType;
  /** What the suite's own client did: a schema over the observation's `client` record. */
  client?: z.ZodType;
  /** What the official SDK made of it: a schema over the observation's `sdk` outcome or trace. */
  sdk?: z.ZodType;
}

/** What a check saw. Each facet of an expectation reads one part of it. */
export interface Observation {
  /** The answer judged (the first one, for a retried request). */
  exchange?: Exchange;
  /** The last answer, for a retried request. */
  final?: Exchange;
  sequence?: unknown;
  client?: unknown;
  sdk?: unknown;
}

export interface Judgement {
  holds: boolean;
  /** Why it does not hold, one reason a line. Empty when it holds. */
  reasons: string[];
}

/** The body a check sees: parsed JSON when it parses, the text otherwise, '' for none. */
export function observedBody(x: Exchange): unknown {
  const r = x.response;
  if (!r) return undefined;
  if (r.json !== undefined) return r.json;
  if (r.text !== undefined) return r.text;
  return { base64Bytes: r.bytes };
}

const issues = (error: z.ZodError) => z.prettifyError(error).replace(/\n/g, '; ');

function schemaReason(label: string, schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : [`${label} does not match: ${issues(parsed.error)}`];
}

/** The answer facets: status or drop, media type, headers, body, time. */
function answerReasons(x: Exchange | undefined, e: Expectation): string[] {
  const wantsAnswer = e.status !== undefined || !!e.body || e.mediaType !== undefined || !!e.headers || e.withinMs !== undefined;
  if (!wantsAnswer) return [];
  const expected = e.status === 'dropped' ? 'a dropped connection' : e.status !== undefined ? `status ${e.status}` : 'an answer';
  if (!x) return [`no request was made, expected ${expected}`];
  if (e.status === 'dropped') {
    if (x.error?.kind === 'dropped') return [];
    return [x.response ? `status ${x.response.status} came, expected the connection to drop without a response` : `${x.error?.kind} (${x.error?.message}), expected a dropped connection`];
  }
  if (!x.response) return [`no HTTP response (${x.error?.kind}${x.error?.code ? ` ${x.error.code}` : ''}: ${x.error?.message}), expected ${expected}`];
  const r = x.response;
  const reasons: string[] = [];
  if (e.status !== undefined && r.status !== e.status) reasons.push(`status ${r.status}, expected ${e.status}`);
  if (e.mediaType !== undefined) {
    const seen = r.contentType.split(';')[0]!.trim().toLowerCase();
    if (seen !== e.mediaType) reasons.push(`content-type ${seen || '(none)'}, expected ${e.mediaType}`);
  }
  for (const [name, schema] of Object.entries(e.headers ?? {})) {
    const parsed = schema.safeParse(r.headers[name]);
    if (!parsed.success) reasons.push(`header ${name}: ${r.headers[name] === undefined ? 'absent' : JSON.stringify(r.headers[name])} does not match: ${issues(parsed.error)}`);
  }
  if (e.body) reasons.push(...schemaReason('body', e.body, observedBody(x)));
  if (e.withinMs !== undefined) {
    const took = targetElapsedMs(x);
    if (took > e.withinMs) reasons.push(`the answer took ${Math.round(took)} ms, expected at most ${e.withinMs} ms`);
  }
  return reasons;
}

/** Whether an observation has every facet an expectation names. */
export function judge(o: Observation, e: Expectation): Judgement {
  const reasons = [
    ...answerReasons(o.exchange, e),
    ...(e.final ? answerReasons(o.final, e.final).map((r) => `final answer: ${r}`) : []),
    ...(e.sequence ? schemaReason('sequence', e.sequence, o.sequence) : []),
    ...(e.client ? schemaReason("the suite's client", e.client, o.client) : []),
    ...(e.sdk ? schemaReason('SDK', e.sdk, o.sdk) : []),
  ];
  return { holds: reasons.length === 0, reasons };
}

/** Every expectation of a list at once: what a check requires on top of either side. */
export function judgeAll(o: Observation, es: readonly Expectation[]): Judgement {
  const reasons = es.flatMap((e) => judge(o, e).reasons);
  return { holds: reasons.length === 0, reasons };
}

/** Whether an expectation says anything at all: a pin that names no facet pins nothing. */
export const namesAFacet = (e: Expectation): boolean =>
  e.status !== undefined || !!e.body || e.mediaType !== undefined || !!e.headers || e.withinMs !== undefined || !!e.final || !!e.sequence || !!e.client || !!e.sdk;

/** Field by field equality with an expected record, each difference one issue: `attempts: 1, expected 6`. */
export const fieldsEqual = <T extends object>(expected: T) =>
  z.custom<T>().superRefine((seen, ctx) => {
    for (const [key, want] of Object.entries(expected)) {
      const got = (seen as Record<string, unknown> | undefined)?.[key];
      if (JSON.stringify(got) !== JSON.stringify(want)) ctx.addIssue({ code: 'custom', path: [key], message: `${JSON.stringify(got)}, expected ${JSON.stringify(want)}` });
    }
  });

// Shapes shared by expectations. Detailed per-dialect schemas live beside this file.
export const anyBody = z.unknown();
export const emptyBody = z.literal('', { error: 'expected an empty body' });
