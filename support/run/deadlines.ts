// Test timeouts derived from the request deadlines (DOC-14; pitfalls.md item 7). A test outlives
// every request it sends, so a target that never answers fails with the client's
// "no response after N s … npm run diagnose", never with the test runner's bare timeout.
import type { Timeouts } from '../config.ts';
import { waitBefore, type RetryPolicy } from '../retry/retry.ts';


/** Time a test needs after its last deadline to judge and report what came. */
export const REPORT_MARGIN_MS = 5_000;

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
