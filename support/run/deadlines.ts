// Test timeouts derived from the request deadlines (DOC-14; pitfalls.md item 7). A test outlives
// every request it sends, so a target that never answers fails with the client's
// "no response after N s … npm run diagnose", never with the test runner's bare timeout.
import type { TargetId } from '../catalogue.ts';
import type { Config, Timeouts } from '../config.ts';
import { LONGEST_RETRY_AFTER_MS, MAX_RESENDS } from '../modes/rate-limit-policy.ts';
import { waitBefore, type RetryPolicy } from '../retry/retry.ts';

/**
 * A test that names no timeout: above LIVEPEER_CHECK_TIMEOUT_MS (default 30 s), so a hung unpaid
 * check fails with the client's "no response after N s", not the runner's timeout.
 */
export const DEFAULT_TEST_TIMEOUT_MS = 40_000;


/** Time a test needs after its last deadline to judge and report what came. */
export const REPORT_MARGIN_MS = 5_000;

/**
 * What a test may spend on a target's rate limit besides its own requests, in a live or record run
 * that paces it: its turn behind every counted request of the plan (at a quarter of the limit, for
 * a share halved by 429s of another run), and the resends after a 429, each after the longest
 * Retry-After a run waits out and with the whole deadline of a request.
 */
export function rateLimitAllowanceMs(config: Pick<Config, 'mode' | 'rateLimits' | 'retryScale' | 'timeouts'>, target: TargetId, plannedCounted = 0): number {
  const perMinute = config.rateLimits[target];
  if (config.mode === 'replay' || perMinute === undefined) return 0;
  const windowMs = 62_000 * config.retryScale;
  const turn = (Math.ceil(plannedCounted / Math.max(1, Math.floor(perMinute / 4))) + 1) * windowMs;
  return turn + MAX_RESENDS * (LONGEST_RETRY_AFTER_MS * config.retryScale + config.timeouts.generationMs);
}

/** A test that sends one request that runs a model. */
export const paidTestTimeout = (t: Timeouts): number => t.generationMs + REPORT_MARGIN_MS;

/** A test that sends `n` requests one after another, each rejected before inference. */
export const checksTestTimeout = (t: Timeouts, n: number): number => n * t.checkMs + REPORT_MARGIN_MS;

/**
 * A test that runs one paid request under a retry policy: every attempt may use its whole
 * deadline, and every wait of the policy's schedule may come in between.
 */
export function retryTestTimeout(t: Timeouts, policy: RetryPolicy, scale: number): number {
  const waits = Array.from({ length: policy.maxRetries }, (_, i) => waitBefore(i, policy.backoff) * scale);
  return (policy.maxRetries + 1) * t.generationMs + waits.reduce((a, b) => a + b, 0) + REPORT_MARGIN_MS;
}
