// What an SDK user sees. Most people call the generate API through the official JavaScript SDK,
// @livepeer/ai (pinned exactly at 0.6.2, generated from the gateway spec); its published types
// and operations are the documentation these rows check (catalogue SDKS):
//   SDK-01 every 200 body a target gives parses with the SDK as its result type. The requests are
//          DOC-15's (support/data/requests.ts minimalDraft), so responses.json answers them in replay;
//   SDK-02 an error reaches an SDK caller with its status and the server's message;
//   SDK-03 the request the SDK itself builds (its defaults, its encoding) is accepted;
//   SDK-04 the SDK's retries against a cold model, side by side with DOC-08's schedule.
// SDK-02 and SDK-03 let the SDK build its request and hand it to the suite's client, so replay
// answers from fixtures/cassettes/<target>/sdk.json, live goes to the target, record records.
// SDK-04 runs the SDK's own retry loop on vitest's fake clock against scripted cold answers.
import { afterEach, beforeEach, vi } from 'vitest';
import { z } from 'zod';
import { notServedReason, PIPELINES, pipelineList, serves, TARGETS, type Pipeline, type PipelineId, type TargetId } from '../support/catalogue.ts';
import { ContractError, onTarget } from '../support/verdict/check.ts';
import { LLM_CASES } from '../support/deviations/responses.ts';
import type { Exchange } from '../support/http/exchange.ts';
import { checksTestTimeout, paidTestTimeout } from '../support/run/deadlines.ts';
import { anyBody } from '../support/schemas/expectations.ts';
import { build, documentedModel, minimalDraft, withField, type RequestDraft } from '../support/data/requests.ts';
import { retryWithPolicy, SNIPPET_POLICY, type AttemptOutcome } from '../support/retry/retry.ts';
import { callThroughClient, SDK_OPERATIONS, SDK_RETRY_SETUPS, sdkRequestSpec, sdkRetriesStatus, sdkRetryRun, sdkView, type RetrySetup, type ScriptedAnswer } from '../support/sdk/sdk.ts';
import { SDK_CALL_CASES } from '../support/data/sdk-cases.ts';
import { judgeSdk, type SdkExpectation } from '../support/verdict/sdk-check.ts';
import { anyOutcome, connectionError, describeSdkOutcome, parsesAs, reachesCallerWith, traceIs, type RetryTrace } from '../support/schemas/sdk-outcome.ts';
import { describeBody } from '../support/http/wire.ts';
import { describe, runConfig, test } from '../support/run/test.ts';

const { targets, baseUrls, timeouts } = runConfig();

// ---------------------------------------------------------------------------------------------
// SDK-01: the 200 bodies of DOC-15, with its requests

interface Sdk01Variant {
  case?: string;
  label: string;
  draft: (d: RequestDraft) => RequestDraft;
}

/** /llm twice, as DOC-15: the SDK lets a caller ask for `stream: true` (LLMRequest.stream). */
const SDK01_VARIANTS: Partial<Record<PipelineId, Sdk01Variant[]>> = {
  llm: [
    { case: LLM_CASES.notStreamed, label: ` (${LLM_CASES.notStreamed})`, draft: (d) => withField(d, 'stream', false) },
    { case: LLM_CASES.streamed, label: ` (${LLM_CASES.streamed})`, draft: (d) => withField(d, 'stream', true) },
  ],
};
const PLAIN: Sdk01Variant[] = [{ label: '', draft: (d) => d }];

const parses = (p: PipelineId): SdkExpectation => {
  const op = SDK_OPERATIONS[p];
  return { summary: `200, and ${op.name} returns ${op.resultType}`, http: { summary: '200', status: 200, body: anyBody }, sdk: parsesAs(op.resultType) };
};

// ---------------------------------------------------------------------------------------------
// SDK-02 and SDK-03: what the documentation promises for an SDK call

/** SDK-02: whatever error came, the caller can read its status and the server's message. */
function reachesCaller(x: Exchange): SdkExpectation {
  const status = x.response?.status;
  if (status === undefined) return { summary: "the SDK's ConnectionError, for a connection closed without an answer", sdk: connectionError };
  if (status >= 400) return { summary: `an SDK error carrying status ${status} and the server's message`, sdk: reachesCallerWith(status) };
  return { summary: 'an error answer to this call', sdk: z.never({ error: `expected the target to refuse this call; it answered ${status}` }) };
}

const EXPECTED: Record<'SDK-02' | 'SDK-03', (x: Exchange) => SdkExpectation> = {
  'SDK-02': reachesCaller,
  'SDK-03': () => ({ summary: "200: the target accepts the SDK's request", http: { summary: '200', status: 200, body: anyBody }, sdk: anyOutcome }),
};

describe.each(targets)('sdk %s', (target) => {
  for (const pipeline of pipelineList()) {
    if (!serves(target, pipeline.id)) {
      test.skip(`SDK-01 to SDK-04 ${pipeline.path}: not served on ${target}: ${notServedReason(target, pipeline.id)}`, () => {});
      continue;
    }

    for (const variant of SDK01_VARIANTS[pipeline.id] ?? PLAIN) {
      test(`SDK-01 200 body of ${pipeline.path}${variant.label} parses with the SDK ${onTarget(target)}`, async ({ api, annotate }) => {
        const exchange = await api.client(target).send(build(variant.draft(minimalDraft(pipeline.id))));
        const outcome = await sdkView(exchange, pipeline.id);
        await judgeSdk(
          { annotate },
          api,
          target,
          { id: 'SDK-01', pipeline: pipeline.id, ...(variant.case ? { case: variant.case } : {}), documented: parses(pipeline.id) },
          exchange,
          outcome,
          describeSdkOutcome(outcome),
        );
      }, paidTestTimeout(timeouts));
    }

    for (const c of SDK_CALL_CASES.filter((k) => k.applies(target, pipeline.id))) {
      test(`${c.title(pipeline.id)} ${onTarget(target)}`, async ({ api, annotate }) => {
        const { outcome, exchanges } = await callThroughClient(api.client(target), pipeline.id, c.input(pipeline.id), { paid: c.paid, ...(c.bearer ? { bearer: c.bearer } : {}) });
        const exchange = exchanges.at(-1);
        if (!exchange) throw new ContractError(`${c.id} [${target}]: the SDK sent no request: ${describeSdkOutcome(outcome)}`);
        await judgeSdk({ annotate }, api, target, { id: c.id, pipeline: pipeline.id, case: c.case, documented: EXPECTED[c.id](exchange) }, exchange, outcome, describeSdkOutcome(outcome));
      }, c.paid ? paidTestTimeout(timeouts) : checksTestTimeout(timeouts, 1));
    }
  }
});

// ---------------------------------------------------------------------------------------------
// SDK-04: retries against a cold model, on the fake clock

/**
 * What a target answers while the model is cold, every attempt (scripted: minutes of loading
 * can't be replayed). The SDK's retries are client-side, so like DOC-08 they run on every target.
 */
const COLD_ANSWERS: Record<TargetId, (p: Pipeline) => ScriptedAnswer> = {
  // contract-notes.md §3 item 2: loading fails or times out, the 2 s window has passed: 503; no Retry-After (§3).
  gateway: () => ({ status: 503, body: { error: { message: 'Service Unavailable Error' } } }),
  // contract-notes.md §3 item 4: through Studio every gateway 5xx is 500 `Failed to generate <pipeline>`.
  studio: (p) => ({ status: 500, body: { errors: [`Failed to generate ${p.id}`] } }),
  // A runner serves the one model it loaded, so it has no cold answer of its own (DOC-07: n/a);
  // the documented one stands in: "A cold model returns a 503" (docs-job-debugging.txt), no body given.
  runner: () => ({ status: 503 }),
};

/** Statuses whose retrying the SDK and the docs are compared on. */
const PROBE_STATUSES = [400, 401, 404, 422, 429, 500, 502, 503, 504];

/** DOC-08 as the suite implements the docs' snippet (support/retry/retry.ts), against the same answers. */
async function documentedTrace(status: number): Promise<RetryTrace> {
  let now = 0;
  const clock = { clock: () => now, sleep: async (ms: number) => void (now += ms) };
  const answering = (statuses: number[]) => async (attempt: number): Promise<AttemptOutcome> => ({ response: { status: statuses[Math.min(attempt, statuses.length) - 1]!, headers: {} } });
  const run = await retryWithPolicy(answering([status]), SNIPPET_POLICY, clock);
  const retriedStatuses: number[] = [];
  for (const s of PROBE_STATUSES) if ((await retryWithPolicy(answering([s, 200]), SNIPPET_POLICY, clock)).attempts.length > 1) retriedStatuses.push(s);
  return { attempts: run.attempts.length, waitsMs: run.attempts.slice(1).map((a) => a.waitBeforeMs), totalWaitMs: run.totalWaitMs, retriedStatuses };
}

/**
 * The statuses a setup retries depend on the SDK operation and the setup, not on the target (the
 * probe answers are scripted): probed once per pipeline × setup, by the first target's test.
 */
const sdkRetried = new Map<string, Promise<number[]>>();

function sdkRetriedStatuses(pipeline: PipelineId, setup: RetrySetup, drive: () => Promise<unknown>): Promise<number[]> {
  const key = `${pipeline} ${setup.label}`;
  let probed = sdkRetried.get(key);
  if (!probed) {
    probed = (async () => {
      const retried: number[] = [];
      for (const s of PROBE_STATUSES) if (await sdkRetriesStatus(pipeline, setup, s, drive)) retried.push(s);
      return retried;
    })();
    sdkRetried.set(key, probed);
  }
  return probed;
}

async function sdkTrace(pipeline: PipelineId, setup: RetrySetup, answer: ScriptedAnswer) {
  const drive = () => vi.runAllTimersAsync();
  const run = await sdkRetryRun(pipeline, setup, () => answer, drive);
  const retriedStatuses = await sdkRetriedStatuses(pipeline, setup, drive);
  const at = run.attemptsAtMs;
  const trace: RetryTrace = { attempts: at.length, waitsMs: at.slice(1).map((t, i) => t - at[i]!), totalWaitMs: at.at(-1)! - at[0]!, retriedStatuses };
  return { trace, outcome: run.outcome };
}

const list = (ns: number[], max = 10) => (ns.length === 0 ? '—' : ns.length > max ? `${ns.slice(0, max).join(', ')}, … (${ns.length} in all, last ${ns.at(-1)})` : ns.join(', '));

function sideBySide(answer: ScriptedAnswer, setup: RetrySetup, documented: RetryTrace, sdk: RetryTrace): string {
  const rows: [string, string, string][] = [
    ['', 'documented (DOC-08)', `SDK ${setup.label}`],
    ['attempts', String(documented.attempts), String(sdk.attempts)],
    ['waits (ms)', list(documented.waitsMs), list(sdk.waitsMs)],
    ['total wait (ms)', String(documented.totalWaitMs), String(sdk.totalWaitMs)],
    ['statuses retried', list(documented.retriedStatuses), list(sdk.retriedStatuses)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return [
    `SDK-04 side by side, against ${answer.status} ${answer.body === undefined ? '(no body)' : JSON.stringify(answer.body)} on every attempt (fake clock; Math.random fixed at 0, so the SDK's jitter of up to 1000 ms is 0; statuses probed: ${PROBE_STATUSES.join(', ')}):`,
    ...rows.map((r) => `  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`),
  ].join('\n');
}

/** The scripted answer as an exchange, for the report: the SDK's request, then the cold answer. */
async function scriptedExchange(target: TargetId, pipeline: PipelineId, answer: ScriptedAnswer): Promise<Exchange> {
  const baseUrl = baseUrls[target] ?? TARGETS[target].defaultUrl;
  const spec = await sdkRequestSpec(pipeline, { model: documentedModel(pipeline) }, baseUrl, { paid: true });
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  const contentType = answer.body === undefined ? '' : 'application/json';
  return {
    target,
    request: { method: spec.method, url: `${baseUrl}${spec.path}`, path: spec.path, headers: spec.headers ?? {}, auth: 'absent', body: describeBody(spec.body) },
    response: { status: answer.status, headers: contentType ? { 'content-type': contentType } : {}, contentType, text, ...(answer.body === undefined ? {} : { json: answer.body }), bytes: text.length },
    elapsedMs: 0,
  };
}

describe.each(targets)('SDK-04 retries against a cold model %s', (target) => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  const cold = COLD_ANSWERS[target];
  for (const pipeline of pipelineList().filter((p) => serves(target, p.id))) {
    for (const [setupId, setup] of Object.entries(SDK_RETRY_SETUPS) as [string, RetrySetup][]) {
      test(`SDK-04 retries ${setup.label} against a cold ${pipeline.path} keep the documented schedule ${onTarget(target)}`, async ({ api, annotate }) => {
        const answer = cold(PIPELINES[pipeline.id]);
        const exchange = await scriptedExchange(target, pipeline.id, answer);
        const documented = await documentedTrace(answer.status);
        const { trace, outcome } = await sdkTrace(pipeline.id, setup, answer);
        await judgeSdk(
          { annotate },
          api,
          target,
          {
            id: 'SDK-04',
            pipeline: pipeline.id,
            case: setupId,
            documented: {
              summary: `${documented.attempts} attempt(s), waits ${list(documented.waitsMs)} ms, ${documented.retriedStatuses.join('/')} retried only (DOC-08)`,
              http: { summary: `${answer.status} (scripted cold-model answer)`, status: answer.status, body: anyBody },
              sdk: traceIs(documented),
            },
          },
          exchange,
          trace,
          `${sideBySide(answer, setup, documented, trace)}\n${describeSdkOutcome(outcome)}`,
        );
      });
    }
  }
});
