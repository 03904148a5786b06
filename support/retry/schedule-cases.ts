// DOC-08's cases: the suite's implementation of the docs' retry snippet (and the checklist's rules
// per status), against a scripted target on vitest's fake clock. A property of client code, judged
// once (the `suite` column): the spec runs these, and a self-test runs them against planted faults
// to prove each can fail. The waits go through the module's real setTimeout path under fake
// timers: 65 937.5 ms of documented backoff are simulated, nothing sleeps, no real clock is read.
import { vi } from 'vitest';
import { fieldsEqual, type Expectation } from '../schemas/expectations.ts';
import { CHECKLIST_POLICY, documentedSchedule, retryWithPolicy, SNIPPET_POLICY, type AttemptOutcome, type Ending, type RetryPolicy, type RetryResult } from './retry.ts';

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
}

export interface ScheduleCase {
  name: string;
  policy: RetryPolicy;
  /** What the fake target answers, attempt by attempt; a call past the script fails the case. */
  script: ScriptedAnswer[];
  /** The waits the policy must request, in order (the documented schedule, or Retry-After). */
  waitsMs: number[];
  ending: Ending;
  finalStatus: number;
}

const times = (status: number, n: number): ScriptedAnswer[] => Array.from({ length: n }, () => ({ status }));

export const SCHEDULE_CASES: readonly ScheduleCase[] = [
  { name: '503×5 then 200 waits 5000, 7500, 11250, 16875, 25312.5 ms', policy: SNIPPET_POLICY, script: [...times(503, 5), { status: 200 }], waitsMs: [5000, 7500, 11250, 16875, 25312.5], ending: 'answered', finalStatus: 200 },
  { name: '503×6 gives up after 6 attempts with the last 503 (65 937.5 ms of waits)', policy: SNIPPET_POLICY, script: times(503, 6), waitsMs: documentedSchedule(), ending: 'gave up', finalStatus: 503 },
  {
    name: 'with maxRetries 10 the wait reaches 60000 ms and stays there',
    policy: { ...SNIPPET_POLICY, maxRetries: 10 },
    script: times(503, 11),
    waitsMs: [5000, 7500, 11250, 16875, 25312.5, 37968.75, 56953.125, 60000, 60000, 60000],
    ending: 'gave up',
    finalStatus: 503,
  },
  ...[400, 401, 422, 500].map((status): ScheduleCase => ({ name: `${status} is thrown at once, not retried`, policy: SNIPPET_POLICY, script: [{ status }], waitsMs: [], ending: 'not retried', finalStatus: status })),
  // The checklist generalises the snippet per status (DOC-11, DOC-12, DOC-13); these prove the
  // client's policy, not a target's answer, so they stay under DOC-08's client-side row.
  { name: 'checklist policy: 429 with Retry-After: 7 waits exactly 7000 ms', policy: CHECKLIST_POLICY, script: [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }], waitsMs: [7000], ending: 'answered', finalStatus: 200 },
  { name: 'checklist policy: 500 is retried exactly once', policy: CHECKLIST_POLICY, script: times(500, 2), waitsMs: [5000], ending: 'gave up', finalStatus: 500 },
  { name: 'checklist policy: 401 is never retried', policy: CHECKLIST_POLICY, script: [{ status: 401 }], waitsMs: [], ending: 'not retried', finalStatus: 401 },
];

/** What a case observes: attempts seen on the fake clock around each wait, the waits asked for, how it ended. */
export interface ScheduleTrace extends Record<string, unknown> {
  clock: string[];
  waitsMs: number[];
  attempts: number;
  ending: Ending;
  finalStatus: number | undefined;
  pendingTimers: number;
}

/** The clock log a correct policy leaves: one attempt at start, then one more exactly when each wait ends. */
function expectedClock(waits: readonly number[]): string[] {
  return ['attempts at start: 1', ...waits.flatMap((w, i) => [`attempts 1 ms before the ${w} ms wait ends: ${i + 1}`, `attempts when the ${w} ms wait ends: ${i + 2}`])];
}

/** DOC-08 as documented for this case: every field of the trace, exactly. */
export function documentedTrace(c: ScheduleCase): Expectation {
  const expected: ScheduleTrace = { clock: expectedClock(c.waitsMs), waitsMs: c.waitsMs, attempts: c.waitsMs.length + 1, ending: c.ending, finalStatus: c.finalStatus, pendingTimers: 0 };
  return { summary: `${expected.attempts} attempt(s), waits ${c.waitsMs.length ? c.waitsMs.join(', ') : 'none'} ms, ${c.ending} with ${c.finalStatus}`, sequence: fieldsEqual(expected) };
}

/**
 * Runs a case under vitest's fake timers (the caller installs them) with the module's default sleep
 * and clock, walking the clock through each expected wait: one millisecond short of it no new
 * attempt may have started, at it one must have. Timers count whole milliseconds, so 25312.5
 * fires at 25312. `policy` replaces the case's own (a self-test plants faults that way).
 */
export async function observeSchedule(c: ScheduleCase, policy: RetryPolicy = c.policy): Promise<{ trace: ScheduleTrace; result: RetryResult }> {
  let calls = 0;
  let overrun: string | undefined;
  const target = async (): Promise<AttemptOutcome> => {
    const answer = c.script[calls++];
    if (!answer) {
      overrun = `attempt ${calls}: only ${c.script.length} answers scripted`;
      return { response: { status: 599, headers: {} } };
    }
    return { response: { status: answer.status, headers: answer.headers ?? {} } };
  };
  const running = retryWithPolicy(target, policy);
  await vi.advanceTimersByTimeAsync(0);
  const clock = [`attempts at start: ${calls}`];
  for (const wait of c.waitsMs) {
    await vi.advanceTimersByTimeAsync(Math.floor(wait) - 1);
    clock.push(`attempts 1 ms before the ${wait} ms wait ends: ${calls}`);
    await vi.advanceTimersByTimeAsync(1);
    clock.push(`attempts when the ${wait} ms wait ends: ${calls}`);
  }
  // Anything the policy still waits for beyond the expected schedule runs out here, and shows.
  await vi.runAllTimersAsync();
  const result = await running;
  if (overrun) clock.push(overrun);
  return {
    trace: {
      clock,
      waitsMs: result.attempts.slice(1).map((a) => a.waitBeforeMs),
      attempts: result.attempts.length,
      ending: result.ending,
      finalStatus: result.final.response?.status,
      pendingTimers: vi.getTimerCount(),
    },
    result,
  };
}
