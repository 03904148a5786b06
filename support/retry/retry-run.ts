// One request against a target under a retry policy (support/retry/retry.ts), and what retrying did:
// statuses, waits, time to the final answer, and whether it helped.
// Replay: a virtual clock that advances by each answer's recorded time and by each wait; the sleep
// records the wait and returns at once, so no real time passes (pitfalls.md item 6).
// Live and record: the real clock and real sleeps, scaled by LIVEPEER_RETRY_SCALE.
import * as allure from 'allure-js-commons';
import type { TargetId } from '../catalogue.ts';
import { targetElapsedMs, type Exchange } from '../http/exchange.ts';
import { reportExchange } from '../report/allure.ts';
import { defaultSleep, reportAttempts, retryWithPolicy, type RetryPolicy, type RetryResult } from './retry.ts';
import type { Session } from '../modes/session.ts';
import type { RequestSpec } from '../http/wire.ts';

export type RetryEffect = 'not needed' | 'helped' | 'did not help';

export interface RetryRun {
  result: RetryResult<Exchange>;
  /** The waits the sleep was asked for, in order. */
  sleeps: number[];
  /** Wall time of the whole run in this process. */
  realMs: number;
  /** Target time from the first request to the final answer: answers (recorded, in replay) plus waits. */
  timeToFinalMs: number;
  effect: RetryEffect;
  /** One paragraph for annotations and reports. */
  summary: string;
}

const ms = (n: number) => `${Math.round(n * 10) / 10} ms`;

export async function retryRequest(api: Session, target: TargetId, spec: RequestSpec, policy: RetryPolicy): Promise<RetryRun> {
  const client = api.client(target);
  const replay = api.config.mode === 'replay';
  const scale = api.config.retryScale;
  const sleeps: number[] = [];
  let virtualNow = 0;
  const started = performance.now();
  const result = await retryWithPolicy(
    async () => {
      const x = await client.send(spec);
      if (replay) virtualNow += targetElapsedMs(x);
      return x;
    },
    policy,
    replay
      ? {
          scale,
          clock: () => virtualNow,
          sleep: async (wait) => {
            sleeps.push(wait);
            virtualNow += wait;
          },
        }
      : {
          scale,
          sleep: async (wait) => {
            sleeps.push(wait);
            await defaultSleep(wait);
          },
        },
  );
  const realMs = performance.now() - started;

  const last = result.attempts.at(-1)!;
  const timeToFinalMs = last.startedAtMs + last.elapsedMs;
  const effect: RetryEffect = result.ending === 'answered' ? (result.attempts.length === 1 ? 'not needed' : 'helped') : 'did not help';
  const waits = result.attempts.slice(1).map((a) => ms(a.waitBeforeMs));
  const summary = [
    `${result.attempts.map((a) => a.seen).join(' → ')} (${policy.name} policy${scale !== 1 ? `, waits ×${scale}` : ''}):`,
    `retrying as documented ${effect === 'helped' ? 'helped' : effect === 'not needed' ? 'was not needed' : 'did not help'} — ${result.reason};`,
    `waits ${waits.length ? waits.join(' + ') : 'none'}; final answer ${ms(timeToFinalMs)} after the first request${replay ? ' (recorded times, where the cassette has them)' : ''}.`,
  ].join(' ');
  return { result, sleeps, realMs, timeToFinalMs, effect, summary };
}

/**
 * One step per attempt with its exchange (except `judged`, which the verdict attaches itself),
 * the attempts table, and the summary.
 */
export async function reportRetryRun(run: RetryRun, judged?: Exchange): Promise<void> {
  await reportAttempts(run.result, async (x) => {
    if (x !== judged) await reportExchange(x);
  });
  await allure.attachment('retry summary', run.summary, 'text/plain');
}

/** In replay, the waits were recorded, not slept: the run took less real time than it asked to wait. */
export function sleptForReal(run: RetryRun, mode: string): boolean {
  return mode === 'replay' && run.result.totalWaitMs > 0 && run.realMs >= run.result.totalWaitMs;
}
