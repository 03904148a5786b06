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
import { DOCS, type CaseOf, type TargetId } from '../support/catalogue.ts';
import { build, minimalDraft, withModel } from '../support/data/requests.ts';
import { findDeviation } from '../support/deviations/registry.ts';
import { COLD_CASES } from '../support/deviations/cold-models.ts';
import { targetElapsedMs, type Exchange } from '../support/http/exchange.ts';
import { SNIPPET_POLICY } from '../support/retry/retry.ts';
import { reportRetryRun, retryRequest, sleptForReal } from '../support/retry/retry-run.ts';
import { retryTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf, type ContractContext } from '../support/run/test.ts';
import { anyBody, judge, type Expectation } from '../support/schemas/expectations.ts';
import { responseSchemaFor } from '../support/schemas/index.ts';
import { judgeCheck } from '../support/verdict/check.ts';

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
function pinnedCase(target: TargetId, x: Exchange): CaseOf<'DOC-07'> | undefined {
  return Object.values(COLD_CASES).find((c) => {
    const pin = findDeviation('DOC-07', target, PIPELINE, c);
    return pin !== undefined && judge({ exchange: x }, pin.pinned).holds;
  });
}

async function coldModelCheck(ctx: ContractContext, target: TargetId, model: string, caseId?: CaseOf<'DOC-07'>): Promise<void> {
  const request = build(withModel(minimalDraft(PIPELINE), model));
  const run = await retryRequest(ctx.api, target, request, SNIPPET_POLICY);
  const answered = run.result.attempts[0]!.outcome;
  const first = asSeenWithin(answered, ctx.api.config.timeouts.generationMs);
  await reportRetryRun(run, answered);
  await ctx.annotate(run.summary, 'retry');
  if (sleptForReal(run, mode)) throw new Error(`replay slept for real: ${run.realMs} ms for ${run.result.totalWaitMs} ms of waits (it records them)`);

  // The docs allow either answer: the 503 branch unless a 200 came (in time).
  const documented = first.response?.status === 200 ? documentedLongPending(target) : documented503;
  // When retrying ends in a 200, it is a real image, on either side.
  const final = run.result.final;
  const requires: Expectation[] =
    final.response?.status === 200 ? [{ summary: 'the 200 after retrying is an ImageResponse', final: { summary: '200 ImageResponse', status: 200, body: responseSchemaFor('ImageResponse', target) } }] : [];
  await judgeCheck(ctx, target, { check: 'DOC-07', pipeline: PIPELINE, case: caseId ?? pinnedCase(target, first), documented, requires }, { exchange: first, final }, [`retry: ${run.summary}`]);
}

describe.each(targets)('cold models %s', (target) => {
  const about = { check: 'DOC-07', subject: target, pipeline: PIPELINE } as const;
  const noSpec = DOCS['DOC-07'].noSpec?.[target];
  if (noSpec) {
    check.skip(about, `DOC-07 cold model on /${PIPELINE}`, `no spec on ${target}: ${noSpec}`);
    return;
  }
  const status = statusOf(target, PIPELINE);
  if (!status.served) {
    check.skip(about, `DOC-07 cold model on /${PIPELINE}`, status.reason);
    return;
  }

  for (const s of SCENARIOS) {
    const name = `DOC-07 cold model ${s.model} (${s.case}: ${s.state}) on /${PIPELINE} answers 503 or a long pending response`;
    if (mode !== 'replay') {
      check.skip({ ...about, case: s.case }, name, 'replay only, a live run cannot choose the state of the network');
      continue;
    }
    check({ ...about, case: s.case }, name, async (ctx) => {
      await coldModelCheck(ctx, target, s.model, s.case);
    });
  }

  if (mode === 'replay') return;
  if (!coldModel) {
    check.skip(about, `DOC-07 cold model on /${PIPELINE}, live`, 'set LIVEPEER_COLD_MODEL to a model no orchestrator keeps warm to run it');
    return;
  }
  check(
    about,
    `DOC-07 cold model ${coldModel} on /${PIPELINE} answers 503 or a long pending response, retried as documented`,
    async (ctx) => {
      await coldModelCheck(ctx, target, coldModel);
    },
    retryTestTimeout(timeouts, SNIPPET_POLICY, retryScale),
  );
});
