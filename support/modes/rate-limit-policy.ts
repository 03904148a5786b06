// What a live run does with a 429 no check asked for: the target's rate limit, spent by another
// run on the same key or by its racy count (studio-observed.md §7), is no verdict on the contract.
// Waited out (Retry-After, scaled like every documented wait) and sent again, at most twice; what
// is still a 429 then is judged `rate limited` (support/verdict/outcome.ts), never `changed`.
import type { RateLimitDecision } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import { parseRetryAfter } from '../retry/retry.ts';

/** Sends after the first that a rate-limited request gets. */
export const MAX_RESENDS = 2;
/** The longest Retry-After (before scaling) a run waits out: two windows of Studio's limiter. */
export const LONGEST_RETRY_AFTER_MS = 120_000;

export function rateLimitDecision(x: Exchange, attempt: number, retryScale: number, now = Date.now()): RateLimitDecision | undefined {
  if (x.response?.status !== 429) return undefined;
  const retryAfter = parseRetryAfter(x.response.headers['retry-after'], now);
  if (retryAfter === undefined) return { keep: 'the 429 has no Retry-After to wait for' };
  const retryAfterMs = retryAfter * retryScale;
  if (attempt > MAX_RESENDS) return { keep: `still rate limited after ${attempt} sends`, retryAfterMs };
  if (retryAfter > LONGEST_RETRY_AFTER_MS) return { keep: `Retry-After ${retryAfter / 1000} s is longer than the ${LONGEST_RETRY_AFTER_MS / 1000} s a run waits`, retryAfterMs };
  return { resendInMs: retryAfterMs, retryAfterMs };
}
