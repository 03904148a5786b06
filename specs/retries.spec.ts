// DOC-08: "retry 503 only, with exponential backoff: first wait 5 s, ×1.5, capped at 60 s, at most
// 5 retries; any other error is thrown at once". A property of the client the docs tell users to
// write, so it is judged once, on the suite's own implementation of the docs' snippet
// (support/retry/retry.ts), in the `suite` column: no target's answer enters it. Each case runs a
// scripted target on vitest's fake clock (support/retry/schedule-cases.ts): the whole documented
// backoff is simulated, nothing sleeps, and no assertion reads a real clock (pitfalls.md item 6).
import { afterEach, beforeEach, vi } from 'vitest';
import { SUITE } from '../support/catalogue.ts';
import { formatAttempts, reportAttempts } from '../support/retry/retry.ts';
import { documentedTrace, observeSchedule, SCHEDULE_CASES } from '../support/retry/schedule-cases.ts';
import { clientCheck, describe } from '../support/run/test.ts';
import { judgeCheck } from '../support/verdict/check.ts';

describe('DOC-08 retry on 503 with the documented backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const c of SCHEDULE_CASES) {
    clientCheck({ check: 'DOC-08' }, `DOC-08 ${c.name}`, async (ctx) => {
      const { trace, result } = await observeSchedule(c);
      await reportAttempts(result);
      await judgeCheck(ctx, SUITE, { check: 'DOC-08', documented: documentedTrace(c) }, { sequence: trace }, [`policy ${c.policy.name}: ${formatAttempts(result).split('\n')[0]}`, ...trace.clock]);
    });
  }
});
