// The checks of the client code (DOC-08, DOC-14, SDK-04) can fail: each is run here as its spec
// runs it, once as the code stands (its verdict passes) and once against a planted fault (its
// verdict is `changed`, naming what differs). A check that cannot fail judges nothing.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CHECKS, SUITE, type CheckId } from '../catalogue.ts';
import type { Timeouts } from '../config.ts';
import { findDeviation } from '../deviations/registry.ts';
import { ApiClient } from '../http/client.ts';
import { documentedPaidDeadline, documentedSilentCut, DOCUMENTED_GLOBAL_TIMEOUT_MS, observePaidDeadline, observeSilentCut } from '../http/deadline-checks.ts';
import { SNIPPET_POLICY, CHECKLIST_POLICY } from '../retry/retry.ts';
import { documentedTrace, observeSchedule, SCHEDULE_CASES } from '../retry/schedule-cases.ts';
import type { Expectation, Observation } from '../schemas/expectations.ts';
import { traceIs } from '../schemas/sdk-outcome.ts';
import { documentedTrace as documentedSdkTrace, onFakeClockWithoutJitter, sdkTrace } from '../sdk/retry-trace.ts';
import { SDK_RETRY_SETUPS } from '../sdk/sdk.ts';
import { classify, type Verdict } from './outcome.ts';

const judged = (check: CheckId, documented: Expectation, observation: Observation, caseId?: string, pipeline?: 'text-to-image'): Verdict =>
  classify({ row: CHECKS[check], subject: SUITE, documented, observation, ...(caseId ? { pin: findDeviation(check, SUITE, pipeline, caseId as never) } : {}) });

describe('DOC-08: the retry schedule', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test.for(SCHEDULE_CASES.map((c) => [c.name, c] as const))('%s: conforms as the policy stands', async ([, c]) => {
    const { trace } = await observeSchedule(c);
    expect(judged('DOC-08', documentedTrace(c), { sequence: trace })).toMatchObject({ outcome: 'conforms' });
  });

  const faults = [
    { fault: 'factor 1.4 instead of 1.5', policy: { ...SNIPPET_POLICY, backoff: { ...SNIPPET_POLICY.backoff, factor: 1.4 } }, reason: /\[5000,7000,9800,13720,19208\], expected \[5000,7500,11250,16875,25312\.5\];\s+→ at waitsMs/ },
    { fault: 'first wait 4 s', policy: { ...SNIPPET_POLICY, backoff: { ...SNIPPET_POLICY.backoff, initialMs: 4000 } }, reason: /attempts 1 ms before the 5000 ms wait ends: 2/ },
    { fault: 'at most 4 retries', policy: { ...SNIPPET_POLICY, maxRetries: 4 }, reason: /5, expected 6;\s+→ at attempts/ },
    { fault: '500 retried by the snippet', policy: { ...SNIPPET_POLICY, byStatus: { ...SNIPPET_POLICY.byStatus, 500: { action: 'retry', wait: 'schedule' } } }, reason: /2, expected 1;\s+→ at attempts/ },
  ] as const;
  test.for(faults)('planted fault, $fault: changed, naming what differs', async ({ policy, reason, fault }) => {
    const c = SCHEDULE_CASES.find((k) => (fault.startsWith('500') ? k.name.startsWith('500 ') : k.name.startsWith('503×5')))!;
    const { trace } = await observeSchedule(c, policy);
    const v = judged('DOC-08', documentedTrace(c), { sequence: trace });
    expect(v.outcome).toBe('changed');
    expect(v.message).toMatch(reason);
  });

  test('the checklist policy waiting the schedule instead of Retry-After is caught', async () => {
    const c = SCHEDULE_CASES.find((k) => k.name.includes('Retry-After: 7'))!;
    const { trace } = await observeSchedule(c, { ...CHECKLIST_POLICY, byStatus: { ...CHECKLIST_POLICY.byStatus, 429: { action: 'retry', wait: 'schedule' } } });
    expect(judged('DOC-08', documentedTrace(c), { sequence: trace }).outcome).toBe('changed');
  });
});

describe('DOC-14: the global timeout', () => {
  const run: Timeouts = { connectMs: 10_000, checkMs: 30_000, generationMs: DOCUMENTED_GLOBAL_TIMEOUT_MS };

  test('a paid request is sent with the documented 300 s: conforms', async () => {
    const observed = await observePaidDeadline(run);
    expect(observed).toEqual({ deadlineMs: 300_000 });
    expect(judged('DOC-14', documentedPaidDeadline, { client: observed }).outcome).toBe('conforms');
  });

  test('planted fault, a client that sends a paid request with the check deadline: changed', async () => {
    const observed = await observePaidDeadline(run, (url, t) => new ApiClient({ target: 'runner', baseUrl: url, timeouts: { ...t, generationMs: t.checkMs } }));
    const v = judged('DOC-14', documentedPaidDeadline, { client: observed });
    expect(v.outcome).toBe('changed');
    expect(v.message).toMatch(/30000, expected 300000;\s+→ at deadlineMs/);
  });

  test('a silent server is cut at the deadline with the client\'s message: conforms', async () => {
    const observed = await observeSilentCut(run);
    expect(observed.ended).toBe('timeout');
    expect(judged('DOC-14', documentedSilentCut(), { client: observed }).outcome).toBe('conforms');
  });

  test('planted fault, a client whose deadline outlasts the check (no effective timeout): changed, not hung', async () => {
    const observed = await observeSilentCut(run, (url) => new ApiClient({ target: 'runner', baseUrl: url, timeouts: { connectMs: 1_000, checkMs: 60_000, generationMs: 60_000 } }));
    expect(observed.ended).toBe('still waiting');
    const v = judged('DOC-14', documentedSilentCut(), { client: observed });
    expect(v.outcome).toBe('changed');
    expect(v.message).toContain('expected the client to end the request at its deadline');
  });
});

describe('SDK-04: the SDK\'s retries against a cold model', () => {
  onFakeClockWithoutJitter();
  const cold = { status: 503 };

  test.for(Object.keys(SDK_RETRY_SETUPS) as (keyof typeof SDK_RETRY_SETUPS)[])('%s: the SDK as shipped matches its pin exactly', async (setup) => {
    const documented = await documentedSdkTrace(cold.status);
    const { trace } = await sdkTrace('text-to-image', SDK_RETRY_SETUPS[setup], cold);
    const pin = findDeviation('SDK-04', SUITE, 'text-to-image', setup)!;
    const v = classify({ row: CHECKS['SDK-04'], subject: SUITE, documented: { summary: 'DOC-08', sdk: traceIs(documented) }, pin: { ...pin, pinned: { summary: pin.pinned.summary, sdk: pin.pinned.sdk! } }, observation: { sdk: trace } });
    expect(v.outcome, v.message).toBe('known deviation');
  });

  test('planted fault, the "as shipped" setup turned into a retrying one: the pin no longer holds, changed', async () => {
    const planted = { ...SDK_RETRY_SETUPS.shipped, retryConfig: { strategy: 'backoff' as const } };
    const { trace } = await sdkTrace('text-to-image', planted, cold);
    const pin = findDeviation('SDK-04', SUITE, 'text-to-image', 'shipped')!;
    const documented = await documentedSdkTrace(cold.status);
    const v = classify({ row: CHECKS['SDK-04'], subject: SUITE, documented: { summary: 'DOC-08', sdk: traceIs(documented) }, pin, observation: { sdk: trace } });
    expect(v.outcome).toBe('changed');
    expect(v.message).toContain(`neither the documented behaviour nor deviation "${pin.id}" holds`);
  });

  test('planted fault, an SDK that kept DOC-08 exactly: the documented behaviour holds, so the pin is stale: changed', async () => {
    const documented = await documentedSdkTrace(cold.status);
    const pin = findDeviation('SDK-04', SUITE, 'text-to-image', 'closest')!;
    const v = classify({ row: CHECKS['SDK-04'], subject: SUITE, documented: { summary: 'DOC-08', sdk: traceIs(documented) }, pin, observation: { sdk: documented } });
    expect(v.outcome).toBe('changed');
    expect(v.headline).toContain('is stale');
  });
});
