// Retries: what the docs tell a client to do when a request fails, one `describe` per DOC id.
//
// DOC-08 is client-side behaviour on all three targets (documented-behaviours.md): the suite's own
// implementation of the docs' `callWithRetry` snippet (support/retry/retry.ts) must keep the documented
// schedule exactly. A scripted fake stands in for the target, so no cassette is needed; the block
// runs per target so the matrix shows DOC-08 × target. Waits go through the module's real
// setTimeout path under vitest's fake timers: 65 937.5 ms of documented backoff are simulated,
// nothing sleeps, and no assertion reads a real clock (pitfalls.md item 6).
import * as allure from 'allure-js-commons';
import { afterEach, beforeEach, vi, type TestContext } from 'vitest';
import type { TargetId } from '../support/catalogue.ts';
import { onTarget } from '../support/verdict/check.ts';
import { docLabels, LABELS, labelCheck } from '../support/report/allure.ts';
import {
  CHECKLIST_POLICY,
  documentedSchedule,
  formatAttempts,
  reportAttempts,
  retryWithPolicy,
  SNIPPET_POLICY,
  type AttemptOutcome,
  type RetryPolicy,
  type RetryResult,
} from '../support/retry/retry.ts';
import { describe, expect, runConfig, test } from '../support/run/test.ts';

const { targets, mode } = runConfig();

interface Answer {
  status: number;
  headers?: Record<string, string>;
}

/** A target that answers in the scripted order; a call past the script fails the test. */
function scriptedTarget(target: TargetId, answers: Answer[]) {
  let calls = 0;
  const fn = async (): Promise<AttemptOutcome & { target: TargetId }> => {
    const answer = answers[calls++];
    if (!answer) throw new Error(`unexpected attempt ${calls}: only ${answers.length} answers scripted`);
    return { target, response: { status: answer.status, headers: answer.headers ?? {} } };
  };
  return { fn, calls: () => calls };
}

const times = (status: number, n: number): Answer[] => Array.from({ length: n }, () => ({ status }));

/**
 * Runs the policy with the module's default sleep and clock, and walks the fake clock through
 * each expected wait: one millisecond short of it no new attempt may have started, at it one
 * must have. Timers count whole milliseconds, so 25312.5 fires at 25312.
 */
async function runThroughWaits(target: ReturnType<typeof scriptedTarget>, policy: RetryPolicy, expectedWaits: number[]): Promise<RetryResult> {
  const running = retryWithPolicy(target.fn, policy);
  await vi.advanceTimersByTimeAsync(0);
  const seen = [`attempts at start: ${target.calls()}`];
  const expected = ['attempts at start: 1'];
  for (const [i, wait] of expectedWaits.entries()) {
    await vi.advanceTimersByTimeAsync(Math.floor(wait) - 1);
    seen.push(`attempts 1 ms before the ${wait} ms wait ends: ${target.calls()}`);
    await vi.advanceTimersByTimeAsync(1);
    seen.push(`attempts when the ${wait} ms wait ends: ${target.calls()}`);
    expected.push(`attempts 1 ms before the ${wait} ms wait ends: ${i + 1}`, `attempts when the ${wait} ms wait ends: ${i + 2}`);
  }
  expect(seen, 'attempts made on the fake clock').toStrictEqual(expected);
  const result = await running;
  expect(vi.getTimerCount(), 'a timer is left pending after the last attempt').toBe(0);
  await reportAttempts(result);
  return result;
}

const requestedWaits = (r: RetryResult) => r.attempts.slice(1).map((a) => a.waitBeforeMs);

/** Called last: reached only when every assertion above held. */
async function conforms(annotate: TestContext['annotate']): Promise<void> {
  await allure.label(LABELS.outcome, 'conforms');
  await annotate('conforms', 'outcome');
}

describe.each(targets)('DOC-08 retry on 503 with the documented backoff %s', (target) => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A DOC-08 check on this target: labelled first, marked conforming only if the body passed. */
  const check = (name: string, body: () => Promise<void>) =>
    test(`DOC-08 ${name} ${onTarget(target)}`, async ({ annotate }) => {
      await labelCheck(docLabels('DOC-08', target, mode));
      await body();
      await conforms(annotate);
    });

  check('503×5 then 200 waits 5000, 7500, 11250, 16875, 25312.5 ms', async () => {
    const fake = scriptedTarget(target, [...times(503, 5), { status: 200 }]);
    const result = await runThroughWaits(fake, SNIPPET_POLICY, [5000, 7500, 11250, 16875, 25312.5]);
    expect(requestedWaits(result)).toStrictEqual([5000, 7500, 11250, 16875, 25312.5]);
    expect(result.attempts, formatAttempts(result)).toHaveLength(6);
    expect(result).toMatchObject({ ending: 'answered', gaveUp: false });
    expect(result.final.response?.status).toBe(200);
  });

  check('503×6 gives up after 6 attempts with the last 503', async () => {
    const fake = scriptedTarget(target, times(503, 6));
    const result = await runThroughWaits(fake, SNIPPET_POLICY, documentedSchedule());
    expect(result.attempts, formatAttempts(result)).toHaveLength(6);
    expect(result).toMatchObject({ ending: 'gave up', gaveUp: true });
    expect(result.final).toBe(result.attempts[5]!.outcome);
    expect(result.final.response?.status).toBe(503);
    // The whole documented backoff, simulated: 5000 + 7500 + 11250 + 16875 + 25312.5.
    expect(result.totalWaitMs).toBe(65_937.5);
  });

  check('with maxRetries 10 the wait reaches 60000 ms and stays there', async () => {
    const expected = [5000, 7500, 11250, 16875, 25312.5, 37968.75, 56953.125, 60000, 60000, 60000];
    const fake = scriptedTarget(target, times(503, 11));
    const result = await runThroughWaits(fake, { ...SNIPPET_POLICY, maxRetries: 10 }, expected);
    expect(requestedWaits(result)).toStrictEqual(expected);
    expect(result).toMatchObject({ ending: 'gave up', gaveUp: true });
  });

  for (const status of [400, 401, 422, 500]) {
    check(`${status} is thrown at once, not retried`, async () => {
      const fake = scriptedTarget(target, [{ status }]);
      const result = await runThroughWaits(fake, SNIPPET_POLICY, []);
      expect(result.attempts, formatAttempts(result)).toHaveLength(1);
      expect(result).toMatchObject({ ending: 'not retried', gaveUp: false, totalWaitMs: 0 });
      expect(result.final.response?.status).toBe(status);
    });
  }

  // The checklist generalises the snippet per status (DOC-11, DOC-12, DOC-13); these prove the
  // client's policy, not a target's answer, so they stay under DOC-08's client-side row.
  check('checklist policy: 429 with Retry-After: 7 waits exactly 7000 ms', async () => {
    const fake = scriptedTarget(target, [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }]);
    const result = await runThroughWaits(fake, CHECKLIST_POLICY, [7000]);
    expect(requestedWaits(result)).toStrictEqual([7000]);
    expect(result.attempts[1]!.waitSource).toBe('retry-after');
    expect(result.ending).toBe('answered');
  });

  check('checklist policy: 500 is retried exactly once', async () => {
    const fake = scriptedTarget(target, times(500, 2));
    const result = await runThroughWaits(fake, CHECKLIST_POLICY, [5000]);
    expect(result.attempts, formatAttempts(result)).toHaveLength(2);
    expect(result).toMatchObject({ ending: 'gave up', gaveUp: true });
    expect(result.final.response?.status).toBe(500);
  });

  check('checklist policy: 401 is never retried', async () => {
    const fake = scriptedTarget(target, [{ status: 401 }]);
    const result = await runThroughWaits(fake, CHECKLIST_POLICY, []);
    expect(result.attempts, formatAttempts(result)).toHaveLength(1);
    expect(result).toMatchObject({ ending: 'not retried', totalWaitMs: 0 });
  });
});
