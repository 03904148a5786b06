// What an SDK user sees. Most people call the generate API through the official JavaScript SDK,
// @livepeer/ai (pinned exactly at 0.6.2, generated from the gateway spec); its published types
// and operations are the documentation these rows check (catalogue SDKS):
//   SDK-01 every 200 body a target gives parses with the SDK as its result type: judged on DOC-15's
//          own answers, in specs/responses.spec.ts (one request, paid once);
//   SDK-02 an error reaches an SDK caller with its status and the server's message;
//   SDK-03 the request the SDK itself builds (its defaults, its encoding) is accepted;
//   SDK-04 the SDK's retries against a cold model, side by side with DOC-08's schedule.
// SDK-02 and SDK-03 let the SDK build its request and hand it to the suite's client, so replay
// answers from fixtures/cassettes/<target>/sdk.json, live goes to the target, record records.
// SDK-04 runs the SDK's own retry loop on vitest's fake clock against scripted cold answers.
import { z } from 'zod';
import { pipelineList, SUITE, type PipelineId } from '../support/catalogue.ts';
import { documentedModel } from '../support/data/requests.ts';
import { SDK_CALL_CASES } from '../support/data/sdk-cases.ts';
import type { Exchange } from '../support/http/exchange.ts';
import { describeBody } from '../support/http/wire.ts';
import { checksTestTimeout, paidTestTimeout } from '../support/run/deadlines.ts';
import { check, clientCheck, describe, runConfig, statusOf } from '../support/run/test.ts';
import { anyBody, emptyBody, type Expectation } from '../support/schemas/expectations.ts';
import { anyOutcome, describeSdkOutcome, reachesCallerWith, traceIs } from '../support/schemas/sdk-outcome.ts';
import { documentedTrace, list, onFakeClockWithoutJitter, sdkTrace, sideBySide } from '../support/sdk/retry-trace.ts';
import { callThroughClient, SDK_RETRY_SETUPS, sdkRequestSpec, type RetrySetup, type RetrySetupId, type ScriptedAnswer } from '../support/sdk/sdk.ts';
import { ContractError, judgeCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();

// ---------------------------------------------------------------------------------------------
// SDK-02 and SDK-03: what the documentation promises for an SDK call

/**
 * SDK-02: the error a target gave reaches the caller with its status and the server's message.
 * The status is the answer's own (the promise is relational); with no answer at all there is no
 * error of the target's to reach anyone, and nothing can hold.
 */
function reachesCaller(x: Exchange): Expectation {
  const status = x.response?.status;
  if (status === undefined) return { summary: "an SDK error carrying the target's status and message (no answer came)", sdk: z.never({ error: 'expected an error answer of the target; none came' }) };
  if (status >= 400) return { summary: `an SDK error carrying status ${status} and the server's message`, sdk: reachesCallerWith(status) };
  return { summary: 'an error answer to this call', sdk: z.never({ error: `expected the target to refuse this call; it answered ${status}` }) };
}

const EXPECTED: Record<'SDK-02' | 'SDK-03', (x: Exchange) => Expectation> = {
  'SDK-02': reachesCaller,
  'SDK-03': () => ({ summary: "200: the target accepts the SDK's request", status: 200, body: anyBody, sdk: anyOutcome }),
};

describe.each(targets)('sdk %s', (target) => {
  for (const pipeline of pipelineList()) {
    const status = statusOf(target, pipeline.id);
    if (!status.served) {
      for (const id of ['SDK-02', 'SDK-03'] as const) check.skip({ check: id, subject: target, pipeline: pipeline.id }, `${id} ${pipeline.path}`, status.reason);
      continue;
    }

    for (const c of SDK_CALL_CASES.filter((k) => k.applies(target, pipeline.id))) {
      check({ check: c.id, subject: target, pipeline: pipeline.id, case: c.case }, c.title(pipeline.id), async (ctx) => {
        const { outcome, exchanges } = await callThroughClient(ctx.api.client(target), pipeline.id, c.input(pipeline.id), { paid: c.paid, ...(c.bearer ? { bearer: c.bearer } : {}) });
        const exchange = exchanges.at(-1);
        if (!exchange) throw new ContractError(`${c.id} [${target}]: the SDK sent no request: ${describeSdkOutcome(outcome)}`);
        await judgeCheck(ctx, target, { check: c.id, pipeline: pipeline.id, case: c.case, documented: EXPECTED[c.id](exchange) }, { exchange, sdk: outcome }, [describeSdkOutcome(outcome)]);
      }, c.paid ? paidTestTimeout(timeouts) : checksTestTimeout(timeouts, 1));
    }
  }
});

// ---------------------------------------------------------------------------------------------
// SDK-04: retries against a cold model, on the fake clock

/**
 * What a cold model answers, every attempt: the documented answer, "a cold model returns a 503"
 * (docs-job-debugging.txt), no body given. SDK-04 judges the SDK's retry configuration against
 * it: a property of client code, one `suite` column. What each target really answers for a cold
 * model is DOC-07's.
 */
const COLD_ANSWER: ScriptedAnswer = { status: 503 };

/** The scripted answer as an exchange, for the report: the SDK's request, then the cold answer. */
async function scriptedExchange(pipeline: PipelineId, answer: ScriptedAnswer): Promise<Exchange> {
  const baseUrl = 'http://127.0.0.1:9';
  const spec = await sdkRequestSpec(pipeline, { model: documentedModel(pipeline) }, baseUrl, { paid: true });
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  const contentType = answer.body === undefined ? '' : 'application/json';
  return {
    target: 'runner',
    request: { method: spec.method, url: `${baseUrl}${spec.path}  (scripted: nothing is sent)`, path: spec.path, headers: spec.headers ?? {}, auth: 'absent', body: describeBody(spec.body) },
    response: { status: answer.status, headers: contentType ? { 'content-type': contentType } : {}, contentType, text, ...(answer.body === undefined ? {} : { json: answer.body }), bytes: text.length },
    elapsedMs: 0,
  };
}

describe('SDK-04 retries against a cold model', () => {
  onFakeClockWithoutJitter();

  for (const pipeline of pipelineList()) {
    for (const [setupId, setup] of Object.entries(SDK_RETRY_SETUPS) as [RetrySetupId, RetrySetup][]) {
      clientCheck({ check: 'SDK-04', pipeline: pipeline.id, case: setupId }, `SDK-04 retries ${setup.label} against a cold ${pipeline.path} keep the documented schedule`, async (ctx) => {
        const exchange = await scriptedExchange(pipeline.id, COLD_ANSWER);
        const documented = await documentedTrace(COLD_ANSWER.status);
        const { trace, outcome } = await sdkTrace(pipeline.id, setup, COLD_ANSWER);
        await judgeCheck(
          ctx,
          SUITE,
          {
            check: 'SDK-04',
            pipeline: pipeline.id,
            case: setupId,
            documented: {
              summary: `${documented.attempts} attempt(s), waits ${list(documented.waitsMs)} ms, ${documented.retriedStatuses.join('/')} retried only (DOC-08), against ${COLD_ANSWER.status} with no body (scripted)`,
              status: COLD_ANSWER.status,
              body: emptyBody,
              sdk: traceIs(documented),
            },
          },
          { exchange, sdk: trace },
          [...sideBySide(COLD_ANSWER, setup, documented, trace).split('\n'), describeSdkOutcome(outcome)],
        );
      });
    }
  }
});
