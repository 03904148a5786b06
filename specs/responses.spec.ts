// Successful answers, as the docs and the published spec describe them.
//
// DOC-10: the docs' minimal request, {"prompt":"test","model_id":"SG161222/RealVisXL_V4.0_Lightning"}
// with `Authorization: Bearer <key>`, succeeds: a 200 ImageResponse.
// DOC-15: every pipeline's 200 body matches the response model of the gateway spec v0.14.1
// (ai-runner runner/gateway.openapi.yaml), checked on the smallest valid request of each pipeline
// the target serves. The media type is checked too: the spec declares application/json for every
// 200, and /llm with "stream": true answers text/event-stream (contract-notes.md §1.1).
//
// /llm is checked twice. Not streamed: the body is an LLMResponse. Streamed: the spec publishes no
// stream model, so each SSE event must be an LLMResponse, the only model the spec has for /llm,
// read as strictly as the non-streamed body (an optional LLMMessage is an object or absent, never
// null). The docs say nothing of a closing `data: [DONE]`, so the documented stream neither
// requires nor forbids it; each layer's habit is pinned where it deviates.
import { z } from 'zod';
import { pipelineList, type CaseOf, type ResponseModel } from '../support/catalogue.ts';
import { build, minimalDraft, withField, type RequestDraft } from '../support/data/requests.ts';
import { LLM_CASES } from '../support/deviations/responses.ts';
import type { Exchange } from '../support/http/exchange.ts';
import { paidTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf } from '../support/run/test.ts';
import type { Expectation } from '../support/schemas/expectations.ts';
import { parseSse, RESPONSE_SCHEMAS } from '../support/schemas/index.ts';
import { judgeCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();
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

interface Variant {
  /** Registry case, where the pipeline is checked more than once. */
  case?: CaseOf<'DOC-15'>;
  /** Words after the path in the test name. */
  label: string;
  draft: (d: RequestDraft) => RequestDraft;
  documented: Expectation;
  mediaType: string;
}

const plain = (model: ResponseModel): Variant[] => [
  {
    label: `200 body parses as ${model}`,
    draft: (d) => d,
    documented: { summary: `200 ${model}`, status: 200, body: RESPONSE_SCHEMAS[model] },
    mediaType: JSON_TYPE,
  },
];

/** Response models checked in more than one form. */
const VARIANTS: Partial<Record<ResponseModel, Variant[]>> = {
  LLMResponse: [
    {
      case: LLM_CASES.notStreamed,
      label: `${LLM_CASES.notStreamed}: 200 body parses as LLMResponse`,
      draft: (d) => withField(d, 'stream', false),
      documented: { summary: '200 LLMResponse', status: 200, body: RESPONSE_SCHEMAS.LLMResponse },
      mediaType: JSON_TYPE,
    },
    {
      case: LLM_CASES.streamed,
      label: `${LLM_CASES.streamed}: 200 text/event-stream of LLMResponse chunks`,
      draft: (d) => withField(d, 'stream', true),
      documented: { summary: '200 text/event-stream, every data: event an LLMResponse', status: 200, body: eventStreamOf(RESPONSE_SCHEMAS.LLMResponse) },
      mediaType: SSE_TYPE,
    },
  ],
};

/**
 * A 200 must come with the media type the spec declares (parameters such as charset aside): a
 * requirement on either side, so a mismatch is a change whatever the registry pins.
 */
const mediaTypeOf200 = (x: Exchange, mediaType: string): Expectation[] =>
  x.response?.status === 200 ? [{ summary: `a 200 is ${mediaType} (contract-notes.md §1.1; gateway spec 200 content)`, status: 200, mediaType }] : [];

describe.each(targets)('responses %s', (target) => {
  const t2i = statusOf(target, 'text-to-image');
  if (!t2i.served) check.skip({ check: 'DOC-10', subject: target, pipeline: 'text-to-image' }, 'DOC-10 the documented minimal request to /text-to-image', t2i.reason);
  else check({ check: 'DOC-10', subject: target, pipeline: 'text-to-image' }, 'DOC-10 the documented minimal request to /text-to-image answers 200', async (ctx) => {
    const request = build(minimalDraft('text-to-image'));
    const exchange = await ctx.api.client(target).send(request);
    await judgeCheck(ctx, target, {
      check: 'DOC-10',
      pipeline: 'text-to-image',
      documented: { summary: '200 ImageResponse', status: 200, body: RESPONSE_SCHEMAS.ImageResponse },
      requires: mediaTypeOf200(exchange, JSON_TYPE),
    }, { exchange });
  }, PAID_TEST_MS);

  for (const pipeline of pipelineList()) {
    const status = statusOf(target, pipeline.id);
    if (!status.served) {
      check.skip({ check: 'DOC-15', subject: target, pipeline: pipeline.id }, `DOC-15 ${pipeline.path}`, status.reason);
      continue;
    }
    for (const variant of VARIANTS[pipeline.responseModel] ?? plain(pipeline.responseModel)) {
      check({ check: 'DOC-15', subject: target, pipeline: pipeline.id, ...(variant.case ? { case: variant.case } : {}) }, `DOC-15 ${pipeline.path} ${variant.label}`, async (ctx) => {
        const request = build(variant.draft(minimalDraft(pipeline.id)));
        const exchange = await ctx.api.client(target).send(request);
        await judgeCheck(ctx, target, {
          check: 'DOC-15',
          pipeline: pipeline.id,
          ...(variant.case ? { case: variant.case } : {}),
          documented: variant.documented,
          requires: mediaTypeOf200(exchange, variant.mediaType),
        }, { exchange });
      }, PAID_TEST_MS);
    }
  }
});
