// Self-tests of support/retry/retry.ts with an injected clock and sleep: nothing waits for real.
import { describe, expect, test } from 'vitest';
import {
  CHECKLIST_POLICY,
  DOCUMENTED_BACKOFF,
  SNIPPET_POLICY,
  attemptName,
  documentedSchedule,
  formatAttempts,
  parseHttpDate,
  parseRetryAfter,
  retryWithPolicy,
  waitBefore,
  type AttemptOutcome,
  type RetryOptions,
  type RetryPolicy,
} from './retry.ts';

type Answer = number | { status: number; headers: Record<string, string> } | 'connection';

const toOutcome = (a: Answer): AttemptOutcome =>
  a === 'connection'
    ? { error: { kind: 'connection', message: 'socket hang up' } }
    : typeof a === 'number'
      ? { response: { status: a, headers: {} } }
      : { response: a };

/** A fake target answering in order; an extra call is a failure, not a silent default. */
function scripted(answers: Answer[]) {
  const calls: number[] = [];
  const fn = async (attempt: number) => {
    calls.push(attempt);
    const a = answers[attempt - 1];
    if (a === undefined) throw new Error(`unexpected attempt ${attempt}: only ${answers.length} answers scripted`);
    return toOutcome(a);
  };
  return { fn, calls };
}

/** A fake clock that only the fake sleep moves, and a record of the requested sleeps. */
function fakeTime(startEpochMs = Date.UTC(2026, 0, 1)) {
  let t = 0;
  const slept: number[] = [];
  const options: Required<Omit<RetryOptions, 'scale'>> = {
    clock: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    now: () => startEpochMs + t,
  };
  return { options, slept };
}

const run = (answers: Answer[], policy: RetryPolicy, scale?: number) => {
  const target = scripted(answers);
  const time = fakeTime();
  return retryWithPolicy(target.fn, policy, { ...time.options, scale }).then((result) => ({ result, ...target, ...time }));
};

const repeat = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);

describe('schedule', () => {
  test('the snippet waits 5000, 7500, 11250, 16875, 25312.5 ms, exactly', () => {
    expect(documentedSchedule()).toStrictEqual([5000, 7500, 11250, 16875, 25312.5]);
    expect(documentedSchedule().reduce((a, b) => a + b, 0)).toBe(65937.5);
  });

  test('the wait grows ×1.5 until the 60 000 ms cap and stays there', () => {
    expect(documentedSchedule(10)).toStrictEqual([5000, 7500, 11250, 16875, 25312.5, 37968.75, 56953.125, 60000, 60000, 60000]);
    expect(waitBefore(7)).toBe(DOCUMENTED_BACKOFF.capMs);
    expect(waitBefore(1000)).toBe(60000);
  });

  test('scale multiplies every wait', () => {
    expect(documentedSchedule(5, 0.5)).toStrictEqual([2500, 3750, 5625, 8437.5, 12656.25]);
    documentedSchedule(5, 0.001).forEach((w, i) => expect(w).toBeCloseTo(documentedSchedule()[i]! / 1000, 9));
  });

  test('bad arguments are refused', () => {
    expect(() => waitBefore(-1)).toThrow(RangeError);
    expect(() => waitBefore(1.5)).toThrow(RangeError);
    expect(() => documentedSchedule(5, 0)).toThrow(/scale must be a number > 0/);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0);
  test.for([
    ['7', 7000],
    [' 120 ', 120_000],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:07 GMT', 7000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    // The two obsolete forms RFC 9110 §5.6.7 tells recipients to accept.
    ['Wednesday, 21-Oct-15 07:28:07 GMT', 7000],
    ['Wed Oct 21 07:28:07 2015', 7000],
    ['Wed Oct  1 07:28:07 2015', 0],
  ] as const)('%j → %i ms', ([value, expected]) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test.for([undefined, '', '7.5', '-1', 'soon', '7 seconds', '2015-10-21T07:28:07Z', 'Wed, 31 Feb 2015 07:28:07 GMT', 'Wed, 21 Oct 2015 07:28:07 UTC', 'Wed Oct 21 07:28:07 15'])(
    '%j is unreadable',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  test('an RFC 850 year more than 50 years ahead is read in the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Thursday, 06-Nov-70 08:49:37 GMT', Date.UTC(2026, 0, 1))).toBe(Date.UTC(2070, 10, 6, 8, 49, 37));
  });
});

describe('snippet policy', () => {
  test('503×5 then 200: waits the schedule, 6 attempts, answered', async () => {
    const { result, calls, slept } = await run([...repeat(503, 5), 200], SNIPPET_POLICY);
    expect(slept).toStrictEqual([5000, 7500, 11250, 16875, 25312.5]);
    expect(calls).toStrictEqual([1, 2, 3, 4, 5, 6]);
    expect(result.attempts.map((a) => a.waitBeforeMs)).toStrictEqual([0, 5000, 7500, 11250, 16875, 25312.5]);
    // The injected clock moves only by the sleeps: each attempt starts when its wait ends.
    expect(result.attempts.map((a) => a.startedAtMs)).toStrictEqual([0, 5000, 12500, 23750, 40625, 65937.5]);
    expect(result).toMatchObject({ ending: 'answered', gaveUp: false, totalWaitMs: 65937.5, reason: '200 after 6 attempts' });
    expect(result.final.response?.status).toBe(200);
  });

  test('503×6: gives up after 6 attempts with the last 503', async () => {
    const { result, calls } = await run(repeat(503, 6), SNIPPET_POLICY);
    expect(calls).toHaveLength(6);
    expect(result).toMatchObject({ ending: 'gave up', gaveUp: true, totalWaitMs: 65937.5 });
    expect(result.final).toBe(result.attempts[5]!.outcome);
    expect(result.reason).toBe('503 after 6 attempts: all 5 retries of the snippet policy used');
  });

  test('a raised maxRetries reaches the cap and stays there', async () => {
    const { slept } = await run(repeat(503, 11), { ...SNIPPET_POLICY, maxRetries: 10 });
    expect(slept).toStrictEqual(documentedSchedule(10));
  });

  test.for([400, 401, 404, 422, 429, 500, 502, 504] as const)('%i is thrown at once', async (status) => {
    const { result, slept } = await run([status], SNIPPET_POLICY);
    expect(slept).toStrictEqual([]);
    expect(result).toMatchObject({ ending: 'not retried', gaveUp: false, totalWaitMs: 0 });
    expect(result.reason).toBe(`${status} is not retried by the snippet policy: thrown at once`);
  });

  test('a dropped connection has no statusCode, so the snippet throws it at once', async () => {
    const { result } = await run(['connection'], SNIPPET_POLICY);
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ errorKind: 'connection', seen: 'connection' });
    expect(result.ending).toBe('not retried');
  });

  test('200 at once: one attempt, no wait', async () => {
    const { result, slept } = await run([200], SNIPPET_POLICY);
    expect(slept).toStrictEqual([]);
    expect(result).toMatchObject({ ending: 'answered', totalWaitMs: 0 });
  });

  test('scale shrinks the requested waits and keeps the documented ones', async () => {
    const { result, slept } = await run([503, 503, 200], SNIPPET_POLICY, 0.5);
    expect(slept).toStrictEqual([2500, 3750]);
    expect(result.attempts.map((a) => a.documentedWaitMs)).toStrictEqual([0, 5000, 7500]);
    expect(result.totalWaitMs).toBe(6250);
  });
});

describe('checklist policy', () => {
  const tooMany = (headers: Record<string, string>) => ({ status: 429, headers });

  test('429 with Retry-After: 7 waits 7000 ms', async () => {
    const { result, slept } = await run([tooMany({ 'retry-after': '7' }), 200], CHECKLIST_POLICY);
    expect(slept).toStrictEqual([7000]);
    expect(result.attempts[1]).toMatchObject({ waitSource: 'retry-after', waitBeforeMs: 7000 });
    expect(result.ending).toBe('answered');
  });

  test('Retry-After is found whatever its case, and read as an HTTP date', async () => {
    // fakeTime starts at 2026-01-01T00:00:00Z.
    const { slept } = await run([tooMany({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:12 GMT' }), 200], CHECKLIST_POLICY);
    expect(slept).toStrictEqual([12_000]);
  });

  test('429 without a readable Retry-After falls back to the schedule', async () => {
    const { result, slept } = await run([tooMany({}), tooMany({ 'retry-after': 'soon' }), 200], CHECKLIST_POLICY);
    expect(slept).toStrictEqual([5000, 7500]);
    expect(result.attempts.map((a) => a.waitSource)).toStrictEqual(['none', 'schedule', 'schedule']);
  });

  test('Retry-After is scaled like every other wait', async () => {
    const { slept } = await run([tooMany({ 'retry-after': '7' }), 200], CHECKLIST_POLICY, 0.001);
    expect(slept).toStrictEqual([7]);
  });

  test('500 is retried once, after the first wait of the schedule, then given up', async () => {
    const { result, slept, calls } = await run([500, 500], CHECKLIST_POLICY);
    expect(slept).toStrictEqual([5000]);
    expect(calls).toStrictEqual([1, 2]);
    expect(result).toMatchObject({ ending: 'gave up', gaveUp: true });
    expect(result.reason).toBe('500 persists after 1 retry (the checklist policy retries 500 at most 1×)');
  });

  test('500 then 200 answers', async () => {
    const { result } = await run([500, 200], CHECKLIST_POLICY);
    expect(result).toMatchObject({ ending: 'answered', gaveUp: false });
  });

  test.for([401, 400, 403, 404, 422] as const)('%i is not retried', async (status) => {
    const { result, slept } = await run([status], CHECKLIST_POLICY);
    expect(slept).toStrictEqual([]);
    expect(result.ending).toBe('not retried');
  });

  test('503 follows the snippet, and the schedule advances only when it is used', async () => {
    const { slept } = await run([tooMany({ 'retry-after': '2' }), 503, 503, 200], CHECKLIST_POLICY);
    expect(slept).toStrictEqual([2000, 5000, 7500]);
  });

  test('maxRetries bounds all retries together', async () => {
    const { result, calls } = await run([500, ...repeat(503, 5)], CHECKLIST_POLICY);
    expect(calls).toHaveLength(6);
    expect(result.reason).toBe('503 after 6 attempts: all 5 retries of the checklist policy used');
  });
});

describe('report text', () => {
  test('formatAttempts lists each attempt with its wait', async () => {
    const { result } = await run([503, 503, 200], SNIPPET_POLICY);
    expect(formatAttempts(result)).toBe(
      [
        'policy snippet, scale 1: answered: 200 after 3 attempts',
        'attempt  wait before (ms)  wait from  started at (ms)  took (ms)  seen',
        '1        0                 none       0                0          503',
        '2        5000              schedule   5000             0          503',
        '3        7500              schedule   12500            0          200',
        'total wait 12500 ms',
      ].join('\n'),
    );
  });

  test('attemptName gives the wait, where it came from and what came back', async () => {
    const plain = await run([503, 503, 200], SNIPPET_POLICY);
    expect(plain.result.attempts.map((a) => attemptName(a))).toStrictEqual([
      'attempt 1 → 503',
      'attempt 2 after 5000 ms wait → 503',
      'attempt 3 after 7500 ms wait → 200',
    ]);
    const scaled = await run([{ status: 429, headers: { 'retry-after': '7' } }, 'connection'], CHECKLIST_POLICY, 0.5);
    expect(scaled.result.attempts.map((a) => attemptName(a, 0.5))).toStrictEqual([
      'attempt 1 → 429',
      'attempt 2 after 3500 ms wait (Retry-After, documented 7000 ms) → connection',
    ]);
  });
});
