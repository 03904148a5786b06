// DOC-07: a cold model "returns a 503 or a long pending response"; loading takes 30 s to several
// minutes, and the docs' snippet retries the 503 (docs "Job debugging", cold model timeouts).
//
// What the layers do (contract-notes.md §3): a go-livepeer gateway keeps the request open while an
// orchestrator loads an advertised cold model (no "loading" 503); answers 503 "Service Unavailable
// Error" when no orchestrator can take it within its 2 s selection window; and, on builds since
// 2025-08-18, drops the connection when no orchestrator advertises the model (go-livepeer
// #3867/#3917). Studio turns every gateway 5xx into 500 "Failed to generate <p>" and a dropped
// connection into 500 "Internal server error: FetchError": a Studio user never sees a 503.
// A runner serves the one model it loaded (DOCS['DOC-07'].noSpec).
//
// Every check asks for the model on /text-to-image, retries as the snippet does (support/retry/retry.ts,
// SNIPPET_POLICY), judges the first answer and reports what retrying did. Replay plays three states
// of the network, each with its own cold model id (so each is its own request in the cassettes).
// Live asks LIVEPEER_COLD_MODEL in whatever state the network is: the first answer conforms, or
// matches one of the target's pinned cold answers, or is a change.
import type { TestContext } from 'vitest';
import { checkAfterVerdict } from '../support/verdict/after-verdict.ts';
import { DOCS, type TargetId } from '../support/catalogue.ts';
import { judgeExchange, onTarget } from '../support/verdict/check.ts';
import { retryTestTimeout } from '../support/run/deadlines.ts';
import { findDeviation } from '../support/deviations/registry.ts';
import { COLD_CASES } from '../support/deviations/cold-models.ts';
import { targetElapsedMs, type Exchange } from '../support/http/exchange.ts';
import { anyBody, judge, type Expectation } from '../support/schemas/expectations.ts';
import { build, minimalDraft, withModel } from '../support/data/requests.ts';
import { SNIPPET_POLICY } from '../support/retry/retry.ts';
import { reportRetryRun, retryRequest, sleptForReal } from '../support/retry/retry-run.ts';
import { responseSchemaFor } from '../support/schemas/index.ts';
import type { Session } from '../support/modes/session.ts';
import { describe, expect, runConfig, test } from '../support/run/test.ts';

const { targets, mode, coldModel, timeouts, retryScale } = runConfig();
const PIPELINE = 'text-to-image';

/** The states of the network replay plays, each with a real Hugging Face id outside the warm table. */
const SCENARIOS = [
  { case: COLD_CASES.notReady, model: 'stabilityai/stable-diffusion-3-medium-diffusers', state: '503 while no orchestrator can take it, then loaded' },
  { case: COLD_CASES.notAdvertised, model: 'black-forest-labs/FLUX.1-schnell', state: 'no orchestrator advertises it' },
  { case: COLD_CASES.loading, model: 'stabilityai/stable-diffusion-xl-base-1.0', state: 'loaded while the request waits' },
] as const;

const documented503: Expectation = { summary: '503 (the model is loading; any body)', status: 503, body: anyBody };
const documentedLongPending = (target: TargetId): Expectation => ({
  summary: `200 ImageResponse within the ${timeouts.generationMs / 1000} s global timeout (a long pending response)`,
  status: 200,
  body: responseSchemaFor('ImageResponse', target),
});

/**
 * What a client with the global timeout (DOC-14) sees: a recorded answer slower than the deadline
 * would have been "no response" (live, the client itself ends the request at the deadline).
 */
function asSeenWithin(x: Exchange, deadlineMs: number): Exchange {
  const took = targetElapsedMs(x);
  if (!x.response || took <= deadlineMs) return x;
  const { response: _dropped, ...rest } = x;
  return { ...rest, error: { kind: 'timeout', message: `no response within the ${deadlineMs / 1000} s global timeout: the answer took ${Math.round(took / 100) / 10} s` } };
}

/** Live: the network's state is unknown, so the case is the one whose pin the answer matches, if any. */
function pinnedCase(target: TargetId, x: Exchange): string | undefined {
  return Object.values(COLD_CASES).find((c) => {
    const pin = findDeviation('DOC-07', target, PIPELINE, c);
    return pin !== undefined && judge(x, pin.pinned).holds;
  });
}

async function coldModelCheck(ctx: Pick<TestContext, 'annotate'>, api: Session, target: TargetId, model: string, caseId?: string): Promise<void> {
  const request = build(withModel(minimalDraft(PIPELINE), model));
  const run = await retryRequest(api, target, request, SNIPPET_POLICY);
  const first = asSeenWithin(run.result.attempts[0]!.outcome, api.config.timeouts.generationMs);
  await reportRetryRun(run, run.result.attempts[0]!.outcome);
  await ctx.annotate(run.summary, 'retry');

  // The docs allow either answer: the 503 branch unless a 200 came (in time).
  const documented = first.response?.status === 200 ? documentedLongPending(target) : documented503;
  await judgeExchange(ctx, api, target, { doc: 'DOC-07', pipeline: PIPELINE, case: caseId ?? pinnedCase(target, first), request, documented }, first);

  // The final answer of the retries, when it is a 200, is a real image.
  const final = run.result.final;
  const finalOk = final.response?.status !== 200 || responseSchemaFor('ImageResponse', target).safeParse(final.response.json).success;
  await checkAfterVerdict(ctx, { doc: 'DOC-07', target, expected: 'the 200 after retrying is an ImageResponse', seen: `${final.response?.text?.slice(0, 200)}`, holds: finalOk, exchange: final });
  expect(sleptForReal(run, mode), 'replay recorded the waits without sleeping').toBe(false);
}

describe.each(targets)('cold models %s', (target) => {
  const noSpec = DOCS['DOC-07'].noSpec?.[target];
  if (noSpec) {
    test.skip(`DOC-07 cold model on /${PIPELINE}: no spec on ${target}: ${noSpec} ${onTarget(target)}`, () => {});
    return;
  }

  for (const s of SCENARIOS) {
    const name = `DOC-07 cold model ${s.model} (${s.case}: ${s.state}) on /${PIPELINE} answers 503 or a long pending response`;
    if (mode !== 'replay') {
      test.skip(`${name}: replay only, a live run cannot choose the state of the network ${onTarget(target)}`, () => {});
      continue;
    }
    test(`${name} ${onTarget(target)}`, async ({ api, annotate }) => {
      await coldModelCheck({ annotate }, api, target, s.model, s.case);
    });
  }

  if (mode === 'replay') return;
  if (!coldModel) {
    test.skip(`DOC-07 cold model on /${PIPELINE}, live: set LIVEPEER_COLD_MODEL to a model no orchestrator keeps warm to run it ${onTarget(target)}`, () => {});
    return;
  }
  test(
    `DOC-07 cold model ${coldModel} on /${PIPELINE} answers 503 or a long pending response, retried as documented ${onTarget(target)}`,
    async ({ api, annotate }) => {
      await coldModelCheck({ annotate }, api, target, coldModel);
    },
    retryTestTimeout(timeouts, SNIPPET_POLICY, retryScale),
  );
});
