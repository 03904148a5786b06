// SDK-04's observation: the official SDK's own retry loop (src/lib/retries.ts) against a scripted
// cold answer on vitest's fake clock, and DOC-08's schedule as the suite implements the docs'
// snippet, against the same answers, side by side. The spec judges these; a self-test runs them
// with a planted retry configuration to prove the check can fail.
import { afterEach, beforeEach, vi } from 'vitest';
import { formatTable } from '../report/table.ts';
import { retryWithPolicy, SNIPPET_POLICY, type AttemptOutcome } from '../retry/retry.ts';
import type { RetryTrace } from '../schemas/sdk-outcome.ts';
import type { PipelineId } from '../catalogue.ts';
import { sdkRetriesStatus, sdkRetryRun, type RetrySetup, type ScriptedAnswer } from './sdk.ts';

/** Statuses whose retrying the SDK and the docs are compared on. */
export const PROBE_STATUSES = [400, 401, 404, 422, 429, 500, 502, 503, 504];

/** DOC-08 as the suite implements the docs' snippet (support/retry/retry.ts), against the same answers. */
export async function documentedTrace(status: number): Promise<RetryTrace> {
  let now = 0;
  const clock = { clock: () => now, sleep: async (ms: number) => void (now += ms) };
  const answering = (statuses: number[]) => async (attempt: number): Promise<AttemptOutcome> => ({ response: { status: statuses[Math.min(attempt, statuses.length) - 1]!, headers: {} } });
  const run = await retryWithPolicy(answering([status]), SNIPPET_POLICY, clock);
  const retriedStatuses: number[] = [];
  for (const s of PROBE_STATUSES) if ((await retryWithPolicy(answering([s, 200]), SNIPPET_POLICY, clock)).attempts.length > 1) retriedStatuses.push(s);
  return { attempts: run.attempts.length, waitsMs: run.attempts.slice(1).map((a) => a.waitBeforeMs), totalWaitMs: run.totalWaitMs, retriedStatuses };
}

/**
 * What sdkTrace needs of the suite around it: vitest's fake clock, and no jitter in the SDK's
 * backoff (Math.random fixed at 0), for every test of the calling describe block.
 */
export function onFakeClockWithoutJitter(): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });
}

/** The SDK's trace under a setup (the caller installs fake timers and fixes Math.random: onFakeClockWithoutJitter). */
export async function sdkTrace(pipeline: PipelineId, setup: RetrySetup, answer: ScriptedAnswer) {
  const drive = () => vi.runAllTimersAsync();
  const run = await sdkRetryRun(pipeline, setup, () => answer, drive);
  const retriedStatuses: number[] = [];
  for (const s of PROBE_STATUSES) if (await sdkRetriesStatus(pipeline, setup, s, drive)) retriedStatuses.push(s);
  const at = run.attemptsAtMs;
  const trace: RetryTrace = { attempts: at.length, waitsMs: at.slice(1).map((t, i) => t - at[i]!), totalWaitMs: at.at(-1)! - at[0]!, retriedStatuses };
  return { trace, outcome: run.outcome };
}

export const list = (ns: number[], max = 10) => (ns.length === 0 ? '—' : ns.length > max ? `${ns.slice(0, max).join(', ')}, … (${ns.length} in all, last ${ns.at(-1)})` : ns.join(', '));

export function sideBySide(answer: ScriptedAnswer, setup: RetrySetup, documented: RetryTrace, sdk: RetryTrace): string {
  const rows: [string, string, string][] = [
    ['', 'documented (DOC-08)', `SDK ${setup.label}`],
    ['attempts', String(documented.attempts), String(sdk.attempts)],
    ['waits (ms)', list(documented.waitsMs), list(sdk.waitsMs)],
    ['total wait (ms)', String(documented.totalWaitMs), String(sdk.totalWaitMs)],
    ['statuses retried', list(documented.retriedStatuses), list(sdk.retriedStatuses)],
  ];
  return [
    `SDK-04 side by side, against ${answer.status} ${answer.body === undefined ? '(no body)' : JSON.stringify(answer.body)} on every attempt (fake clock; Math.random fixed at 0, so the SDK's jitter of up to 1000 ms is 0; statuses probed: ${PROBE_STATUSES.join(', ')}):`,
    ...formatTable(rows).map((l) => `  ${l}`),
  ].join('\n');
}

