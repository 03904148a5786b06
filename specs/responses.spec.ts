// Successful answers, as the docs, the published spec and the official SDK describe them, all on
// the one successful request of each pipeline (support/data/success-requests.ts), sent once per run
// and judged by each check that asks about it (session.sendOnce): a live run pays for it once.
//
// DOC-10: the docs' minimal request, {"prompt":"test","model_id":"SG161222/RealVisXL_V4.0_Lightning"}
// with `Authorization: Bearer <key>`, succeeds: a 200 ImageResponse.
// DOC-15: every pipeline's 200 body matches the response model of the gateway spec v0.14.1
// (ai-runner runner/gateway.openapi.yaml), checked on the smallest valid request of each pipeline
// the target serves. The media type is checked too: the spec declares application/json for every
// 200, and /llm with "stream": true answers text/event-stream (contract-notes.md §1.1).
// DOC-09: the warm models of the documented table (text-to-image SG161222/RealVisXL_V4.0_Lightning,
// image-to-image timbrooks/instruct-pix2pix, audio-to-text openai/whisper-large-v3, image-to-text
// Salesforce/blip-image-captioning-large, LLM meta-llama/Meta-Llama-3.1-8B-Instruct) are the
// documented models of those requests: each answers a 200 body of its response model inside the
// warm latency budget (LIVEPEER_WARM_BUDGET_MS), no cold start.
// SDK-01: every 200 body a target gives parses with the SDK's operation for the pipeline.
//
// /llm is checked twice. Not streamed: the body is an LLMResponse. Streamed: the spec publishes no
// stream model, so each SSE event must be an LLMResponse, the only model the spec has for /llm,
// read as strictly as the non-streamed body (an optional LLMMessage is an object or absent, never
// null). The docs say nothing of a closing `data: [DONE]`, so the documented stream neither
// requires nor forbids it; each layer's habit is pinned where it deviates.
import { z } from 'zod';
import { pipelineList, type PipelineId, type ResponseModel, type TargetId } from '../support/catalogue.ts';
import { successRequest, successVariants, type SuccessVariant } from '../support/data/success-requests.ts';
import type { Exchange } from '../support/http/exchange.ts';
import { paidTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf, type ContractContext } from '../support/run/test.ts';
import type { Expectation } from '../support/schemas/expectations.ts';
import { parseSse, RESPONSE_SCHEMAS, responseSchemaFor } from '../support/schemas/index.ts';
import { anyBody } from '../support/schemas/expectations.ts';
import { describeSdkOutcome, parsesAs } from '../support/schemas/sdk-outcome.ts';
import { SDK_OPERATIONS, sdkView } from '../support/sdk/sdk.ts';
import { judgeCheck } from '../support/verdict/check.ts';

const { targets, timeouts, warmBudgetMs } = runConfig();
/** Every request here runs a model: a test outlives its documented global timeout (DOC-14). */
const PAID_TEST_MS = paidTestTimeout(timeouts);

const JSON_TYPE = 'application/json';
const SSE_TYPE = 'text/event-stream';

/** A text/event-stream body whose every event parses with `chunk`; [DONE] may or may not end it. */
const eventStreamOf = (chunk: z.ZodType) =>
  z
    .string({ error: 'expected a text/event-stream body' })
    .transform(parseSse)
    .pipe(z.object({ events: z.array(chunk).min(1, { error: 'expected at least one data: event' }), done: z.boolean() }));

/** What DOC-15 documents for a variant's 200, and its media type. */
function documented200(model: ResponseModel, v: SuccessVariant): { documented: Expectation; mediaType: string; label: string } {
  if (v.stream) {
    return {
      documented: { summary: '200 text/event-stream, every data: event an LLMResponse', status: 200, body: eventStreamOf(RESPONSE_SCHEMAS.LLMResponse) },
      mediaType: SSE_TYPE,
      label: `${v.case}: 200 text/event-stream of LLMResponse chunks`,
    };
  }
  return { documented: { summary: `200 ${model}`, status: 200, body: RESPONSE_SCHEMAS[model] }, mediaType: JSON_TYPE, label: `${v.case ? `${v.case}: ` : ''}200 body parses as ${model}` };
}

/**
 * A 200 must come with the media type the spec declares (parameters such as charset aside): a
 * requirement on either side, so a mismatch is a change whatever the registry pins.
 */
const mediaTypeOf200 = (x: Exchange, mediaType: string): Expectation[] =>
  x.response?.status === 200 ? [{ summary: `a 200 is ${mediaType} (contract-notes.md §1.1; gateway spec 200 content)`, status: 200, mediaType }] : [];

/** The pipeline's successful request: sent by the first check of this file that asks, judged by all. */
const answer = (ctx: ContractContext, target: TargetId, pipeline: PipelineId, v?: SuccessVariant) => ctx.api.sendOnce(target, successRequest(pipeline, v));

describe.each(targets)('responses %s', (target) => {
  const t2i = statusOf(target, 'text-to-image');
  if (!t2i.served) check.skip({ check: 'DOC-10', subject: target, pipeline: 'text-to-image' }, 'DOC-10 the documented minimal request to /text-to-image', t2i.reason);
  else {
    check({ check: 'DOC-10', subject: target, pipeline: 'text-to-image' }, 'DOC-10 the documented minimal request to /text-to-image answers 200', async (ctx) => {
      const exchange = await answer(ctx, target, 'text-to-image');
      await judgeCheck(ctx, target, {
        check: 'DOC-10',
        pipeline: 'text-to-image',
        documented: { summary: '200 ImageResponse', status: 200, body: RESPONSE_SCHEMAS.ImageResponse },
        requires: mediaTypeOf200(exchange, JSON_TYPE),
      }, { exchange });
    }, PAID_TEST_MS);
  }

  for (const pipeline of pipelineList()) {
    const status = statusOf(target, pipeline.id);
    if (!status.served) {
      for (const id of ['DOC-15', 'SDK-01', ...(pipeline.warmModel ? (['DOC-09'] as const) : [])] as const) check.skip({ check: id, subject: target, pipeline: pipeline.id }, `${id} ${pipeline.path}`, status.reason);
      continue;
    }
    for (const v of successVariants(pipeline.id)) {
      const { documented, mediaType, label } = documented200(pipeline.responseModel, v);
      const cased = v.case ? { case: v.case } : {};

      check({ check: 'DOC-15', subject: target, pipeline: pipeline.id, ...cased }, `DOC-15 ${pipeline.path} ${label}`, async (ctx) => {
        const exchange = await answer(ctx, target, pipeline.id, v);
        await judgeCheck(ctx, target, { check: 'DOC-15', pipeline: pipeline.id, ...cased, documented, requires: mediaTypeOf200(exchange, mediaType) }, { exchange });
      }, PAID_TEST_MS);

      const op = SDK_OPERATIONS[pipeline.id];
      check({ check: 'SDK-01', subject: target, pipeline: pipeline.id, ...cased }, `SDK-01 200 body of ${pipeline.path}${v.case ? ` (${v.case})` : ''} parses with the SDK`, async (ctx) => {
        const exchange = await answer(ctx, target, pipeline.id, v);
        const outcome = await sdkView(exchange, pipeline.id);
        await judgeCheck(ctx, target, {
          check: 'SDK-01',
          pipeline: pipeline.id,
          ...cased,
          documented: { summary: `200, and ${op.name} returns ${op.resultType}`, status: 200, body: anyBody, sdk: parsesAs(op.resultType) },
        }, { exchange, sdk: outcome }, [describeSdkOutcome(outcome)]);
      }, PAID_TEST_MS);
    }

    const model = pipeline.warmModel;
    if (!model) continue;
    check({ check: 'DOC-09', subject: target, pipeline: pipeline.id }, `DOC-09 warm model ${model} answers ${pipeline.path}`, async (ctx) => {
      const exchange = await answer(ctx, target, pipeline.id);
      await judgeCheck(ctx, target, {
        check: 'DOC-09',
        pipeline: pipeline.id,
        documented: { summary: `200 ${pipeline.responseModel} (no cold start)`, status: 200, body: responseSchemaFor(pipeline.responseModel, target) },
        // Warm means no load: the answer comes within the budget (recorded time in replay), on either side.
        requires: [{ summary: `a warm model answers within LIVEPEER_WARM_BUDGET_MS=${warmBudgetMs} ms (a slower answer means it was cold)`, withinMs: warmBudgetMs }],
      }, { exchange });
    }, PAID_TEST_MS);
  }
});
