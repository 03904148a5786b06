// The documented retry policy as a module: the schedule of the docs' `callWithRetry` snippet
// (docs "Job debugging", cold model timeouts: first wait 5000 ms, ×1.5 after each 503, capped at
// 60 000 ms, maxRetries 5, any other error thrown at once), the production checklist's rules per
// status as data, and one loop that applies a policy with an injected clock and sleep, so specs
// assert the exact requested waits and never sleep for real (pitfalls.md item 6).
import * as allure from 'allure-js-commons';
import { formatTable } from '../report/table.ts';

/** The snippet's numbers: `let delay = 5000`, `delay = Math.min(delay * 1.5, 60000)`, `maxRetries = 5`. */
export const DOCUMENTED_BACKOFF = { initialMs: 5_000, factor: 1.5, capMs: 60_000, maxRetries: 5 } as const;

export interface Backoff {
  initialMs: number;
  factor: number;
  capMs: number;
}

/**
 * The wait before retry number `retryIndex + 1` (0 → 5000, 1 → 7500, …, then 60 000 for ever).
 * Computed step by step as the snippet does, so the values are the snippet's to the last bit.
 */
export function waitBefore(retryIndex: number, backoff: Backoff = DOCUMENTED_BACKOFF): number {
  if (!Number.isInteger(retryIndex) || retryIndex < 0) throw new RangeError(`retryIndex must be a whole number ≥ 0, got ${retryIndex}`);
  let delay = backoff.initialMs;
  for (let i = 0; i < retryIndex; i++) {
    delay = Math.min(delay * backoff.factor, backoff.capMs);
    if (delay === backoff.capMs) break;
  }
  return delay;
}

/** The waits a run of `maxRetries` 503s makes: [5000, 7500, 11250, 16875, 25312.5] by default. */
export function documentedSchedule(maxRetries: number = DOCUMENTED_BACKOFF.maxRetries, scale = 1): number[] {
  checkScale(scale);
  return Array.from({ length: maxRetries }, (_, i) => waitBefore(i) * scale);
}

// ---------------------------------------------------------------------------------------------
// Policies as data

/** What to do with one kind of failed attempt. */
export type RetryRule =
  | { action: 'throw' }
  | {
      action: 'retry';
      /** `schedule`: the backoff schedule; `retry-after`: the header, else the schedule. */
      wait: 'schedule' | 'retry-after';
      /** At most this many retries for this status (the policy's maxRetries still applies). */
      limit?: number;
    };

export interface RetryPolicy {
  name: string;
  /** Where the rules come from. */
  source: string;
  backoff: Backoff;
  /** Retries in all, across statuses: the snippet's `attempt < maxRetries`. */
  maxRetries: number;
  byStatus: Readonly<Partial<Record<number, RetryRule>>>;
  /** Any status ≥ 400 not in byStatus. */
  otherStatus: RetryRule;
  /** No response at all (connection dropped, timeout). */
  noResponse: RetryRule;
}

const THROW: RetryRule = { action: 'throw' };

/**
 * The docs' snippet exactly: only a 503 is retried, at most 5 times, on the schedule.
 * A dropped connection is thrown at once: the snippet tests `err.statusCode === 503`, and an
 * error without a response has no statusCode (SDK `SDKError` carries one only for a response).
 */
export const SNIPPET_POLICY: RetryPolicy = {
  name: 'snippet',
  source: 'docs "Job debugging" callWithRetry snippet (DOC-08)',
  backoff: DOCUMENTED_BACKOFF,
  maxRetries: DOCUMENTED_BACKOFF.maxRetries,
  byStatus: { 503: { action: 'retry', wait: 'schedule' } },
  otherStatus: THROW,
  noResponse: THROW,
};

/**
 * The production checklist's rules per status, generalising the snippet:
 * 401 never (DOC-11); 429 after `Retry-After` (DOC-12; Studio sends whole seconds, contract-notes
 * §2.3.3), falling back to the schedule without one; 500 once (DOC-13) after the schedule's wait,
 * the only wait the docs give; 503 as the snippet (DOC-08); anything else at once.
 */
export const CHECKLIST_POLICY: RetryPolicy = {
  name: 'checklist',
  source: 'docs production checklist, error handling per status (DOC-11, DOC-12, DOC-13) + DOC-08',
  backoff: DOCUMENTED_BACKOFF,
  maxRetries: DOCUMENTED_BACKOFF.maxRetries,
  byStatus: {
    401: THROW,
    429: { action: 'retry', wait: 'retry-after' },
    500: { action: 'retry', wait: 'schedule', limit: 1 },
    503: { action: 'retry', wait: 'schedule' },
  },
  otherStatus: THROW,
  noResponse: THROW,
};

// ---------------------------------------------------------------------------------------------
// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date in any of its three forms (§5.6.7)

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hh>\\d{2}):(?<mm>\\d{2}):(?<ss>\\d{2})';
const HTTP_DATES = [
  // The preferred form, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
  new RegExp(`^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  // The obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`.
  new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${MONTH}-(?<yy>\\d{2}) ${TIME} GMT$`),
  // ANSI C's asctime() form: `Sun Nov  6 08:49:37 1994`.
  new RegExp(`^${DAY} ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`),
];

/** Epoch ms of an HTTP-date, or undefined when it is none of the three forms (or no real date). */
export function parseHttpDate(value: string, nowEpochMs: number): number | undefined {
  const g = HTTP_DATES.map((re) => re.exec(value)?.groups).find((groups) => groups !== undefined);
  if (!g) return undefined;
  let year = Number(g.year);
  if (g.yy !== undefined) {
    // A two-digit year more than 50 years ahead is the most recent past year with those digits (§5.6.7).
    const nowYear = new Date(nowEpochMs).getUTCFullYear();
    year = Math.floor(nowYear / 100) * 100 + Number(g.yy);
    if (year > nowYear + 50) year -= 100;
  }
  const month = MONTHS.indexOf(g.month!);
  const day = Number(g.day!.trim());
  const at = Date.UTC(year, month, day, Number(g.hh), Number(g.mm), Number(g.ss));
  // Date.UTC rolls 31 Feb over into March: such a value is no date.
  const back = new Date(at);
  return back.getUTCDate() === day && back.getUTCMonth() === month ? at : undefined;
}

/**
 * Milliseconds to wait, or undefined when the value is absent or unreadable: whole seconds, or an
 * HTTP-date (IMF-fixdate, RFC 850, asctime); a date in the past means "now" (0). Date.parse alone
 * is too lenient (it reads "7.5" as a date), hence the patterns.
 */
export function parseRetryAfter(value: string | undefined, nowEpochMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1_000;
  const at = parseHttpDate(v, nowEpochMs);
  return at === undefined ? undefined : Math.max(0, at - nowEpochMs);
}

// ---------------------------------------------------------------------------------------------
// The loop

/** What one attempt produced. The suite's `Exchange` fits this shape. */
export interface AttemptOutcome {
  response?: { status: number; headers: Record<string, string> };
  error?: { kind: string; message?: string };
}

export type WaitSource = 'none' | 'schedule' | 'retry-after';

export interface AttemptRecord<T extends AttemptOutcome = AttemptOutcome> {
  /** 1-based. */
  attempt: number;
  status?: number;
  /** When there was no response: the error kind (connection, timeout…). */
  errorKind?: string;
  /** What was seen, for tables and step names: `503` or `connection`. */
  seen: string;
  /** The wait requested before this attempt, scaled; 0 for the first. */
  waitBeforeMs: number;
  /** The same wait at scale 1: what the documentation prescribes. */
  documentedWaitMs: number;
  waitSource: WaitSource;
  /** Clock time at the start of the attempt, from the start of the run. */
  startedAtMs: number;
  /** Clock time the attempt took. */
  elapsedMs: number;
  outcome: T;
}

export type Ending = 'answered' | 'not retried' | 'gave up';

export interface RetryResult<T extends AttemptOutcome = AttemptOutcome> {
  /** The last outcome: what the caller returns (answered) or throws (otherwise). */
  final: T;
  attempts: AttemptRecord<T>[];
  /** Sum of the requested (scaled) waits. */
  totalWaitMs: number;
  ending: Ending;
  /** True when the final failure was retryable but the retries ran out. */
  gaveUp: boolean;
  reason: string;
  policy: string;
  scale: number;
}

export interface RetryOptions {
  /** Monotonic ms for the attempt table. Default performance.now (faked by vi.useFakeTimers). */
  clock?: () => number;
  /** Default: a setTimeout promise. */
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms, to turn a Retry-After date into a wait. Default Date.now. */
  now?: () => number;
  /** Factor on every wait (LIVEPEER_RETRY_SCALE, for loopback runs); 1 is the documented schedule. */
  scale?: number;
}

// Looked up at call time, so fake timers installed after import are honoured.
export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const defaultClock = (): number => performance.now();

function checkScale(scale: number): void {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a number > 0, got ${scale}`);
}

const header = (headers: Record<string, string>, name: string): string | undefined =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];

const seenOf = (o: AttemptOutcome): string => (o.response ? String(o.response.status) : (o.error?.kind ?? 'no response'));

/**
 * Calls `fn` until it answers (< 400), fails in a way the policy does not retry, or the retries
 * run out. Never throws for a target's answer: the caller decides what to do with `final`.
 */
export async function retryWithPolicy<T extends AttemptOutcome>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<RetryResult<T>> {
  const clock = options.clock ?? defaultClock;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const scale = options.scale ?? 1;
  checkScale(scale);

  const t0 = clock();
  const attempts: AttemptRecord<T>[] = [];
  const retriesFor = new Map<string, number>();
  let scheduleStep = 0; // as the snippet's `delay`: advances each time the schedule is used
  let next = { documentedMs: 0, source: 'none' as WaitSource };

  const finish = (final: T, ending: Ending, reason: string): RetryResult<T> => ({
    final,
    attempts,
    totalWaitMs: attempts.reduce((sum, a) => sum + a.waitBeforeMs, 0),
    ending,
    gaveUp: ending === 'gave up',
    reason,
    policy: policy.name,
    scale,
  });

  for (let attempt = 1; ; attempt++) {
    const waitBeforeMs = next.documentedMs * scale;
    if (next.source !== 'none') await sleep(waitBeforeMs);
    const startedAt = clock();
    const outcome = await fn(attempt);
    const seen = seenOf(outcome);
    attempts.push({
      attempt,
      ...(outcome.response ? { status: outcome.response.status } : { errorKind: outcome.error?.kind ?? 'no response' }),
      seen,
      waitBeforeMs,
      documentedWaitMs: next.documentedMs,
      waitSource: next.source,
      startedAtMs: startedAt - t0,
      elapsedMs: clock() - startedAt,
      outcome,
    });
    const tries = `${attempt} attempt${attempt === 1 ? '' : 's'}`;

    if (outcome.response && outcome.response.status < 400) return finish(outcome, 'answered', `${seen} after ${tries}`);
    const rule = outcome.response ? (policy.byStatus[outcome.response.status] ?? policy.otherStatus) : policy.noResponse;
    if (rule.action === 'throw') return finish(outcome, 'not retried', `${seen} is not retried by the ${policy.name} policy: thrown at once`);

    const retries = attempt - 1;
    const retriesOfThis = retriesFor.get(seen) ?? 0;
    if (retries >= policy.maxRetries) {
      return finish(outcome, 'gave up', `${seen} after ${tries}: all ${policy.maxRetries} retries of the ${policy.name} policy used`);
    }
    if (rule.limit !== undefined && retriesOfThis >= rule.limit) {
      return finish(outcome, 'gave up', `${seen} persists after ${retriesOfThis} ${retriesOfThis === 1 ? 'retry' : 'retries'} (the ${policy.name} policy retries ${seen} at most ${rule.limit}×)`);
    }
    retriesFor.set(seen, retriesOfThis + 1);

    const fromHeader = rule.wait === 'retry-after' && outcome.response ? parseRetryAfter(header(outcome.response.headers, 'retry-after'), now()) : undefined;
    if (fromHeader !== undefined) {
      next = { documentedMs: fromHeader, source: 'retry-after' };
    } else {
      next = { documentedMs: waitBefore(scheduleStep++, policy.backoff), source: 'schedule' };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reports

const ms = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000));

/** `attempt 3 after 7500 ms wait → 503`. */
export function attemptName(a: AttemptRecord, scale = 1): string {
  if (a.waitSource === 'none') return `attempt ${a.attempt} → ${a.seen}`;
  const notes = [a.waitSource === 'retry-after' ? 'Retry-After' : '', scale !== 1 ? `documented ${ms(a.documentedWaitMs)} ms` : ''].filter(Boolean);
  return `attempt ${a.attempt} after ${ms(a.waitBeforeMs)} ms wait${notes.length ? ` (${notes.join(', ')})` : ''} → ${a.seen}`;
}

/** A plain-text table of the attempts, for failure messages and report attachments. */
export function formatAttempts(result: RetryResult): string {
  const head = ['attempt', 'wait before (ms)', 'wait from', 'started at (ms)', 'took (ms)', 'seen'];
  const rows = result.attempts.map((a) => [
    String(a.attempt),
    ms(a.waitBeforeMs),
    a.waitSource,
    String(Math.round(a.startedAtMs)),
    String(Math.round(a.elapsedMs)),
    a.seen,
  ]);
  return [`policy ${result.policy}, scale ${result.scale}: ${result.ending}: ${result.reason}`, ...formatTable([head, ...rows]), `total wait ${ms(result.totalWaitMs)} ms`].join('\n');
}

/** One Allure step per attempt (optionally with what `attach` adds, e.g. the exchange), then the table. */
export async function reportAttempts<T extends AttemptOutcome>(result: RetryResult<T>, attach?: (outcome: T) => Promise<void>): Promise<void> {
  for (const a of result.attempts) {
    await allure.step(attemptName(a, result.scale), async (ctx) => {
      await ctx.parameter('wait before (ms)', ms(a.waitBeforeMs));
      await ctx.parameter('wait from', a.waitSource);
      if (attach) await attach(a.outcome);
    });
  }
  await allure.attachment('retry attempts', formatAttempts(result), 'text/plain');
}
