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
import * as allure from 'allure-js-commons';
import type { TestContext } from 'vitest';
import { z } from 'zod';
import { notServedReason, pipelineList, serves, type DocId, type PipelineId, type ResponseModel, type TargetId } from '../support/catalogue.ts';
import { ContractError, judgeExchange, onTarget } from '../support/verdict/check.ts';
import { LLM_CASES } from '../support/deviations/responses.ts';
import { paidTestTimeout } from '../support/run/deadlines.ts';
import { formatExchange, type Exchange } from '../support/http/exchange.ts';
import type { Expectation } from '../support/schemas/expectations.ts';
import { build, minimalDraft, withField, type RequestDraft } from '../support/data/requests.ts';
import { docLabels, LABELS, labelCheck, reportExchange } from '../support/report/allure.ts';
import { parseSse, RESPONSE_SCHEMAS } from '../support/schemas/index.ts';
import type { Session } from '../support/modes/session.ts';
import { describe, runConfig, test } from '../support/run/test.ts';

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
  case?: string;
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
 * A 200 must come with the media type the spec declares (parameters such as charset aside). Checked
 * before the body, as part of the same check: a mismatch is a change whatever the registry pins.
 */
async function checkMediaType(annotate: TestContext['annotate'], api: Session, target: TargetId, doc: DocId, pipeline: PipelineId, x: Exchange, expected: string): Promise<void> {
  const r = x.response;
  if (r?.status !== 200) return;
  const seen = r.contentType.split(';')[0]!.trim().toLowerCase();
  if (seen === expected) return;
  const headline = `changed: a 200 from ${x.request.path} must be ${expected}, came ${seen || '(no content-type)'}`;
  await labelCheck(docLabels(doc, target, api.config.mode, pipeline));
  await reportExchange(x);
  await allure.label(LABELS.outcome, 'changed');
  await annotate(headline, 'outcome');
  throw new ContractError(`${doc} [${target}]: ${headline}\n  documented: content-type ${expected} (contract-notes.md §1.1; gateway spec 200 content)\n  seen:       content-type ${r.contentType || '(none)'}\n\n${formatExchange(x)}`);
}

describe.each(targets)('responses %s', (target) => {
  test(`DOC-10 the documented minimal request to /text-to-image answers 200 ${onTarget(target)}`, async ({ api, annotate }) => {
    const request = build(minimalDraft('text-to-image'));
    const exchange = await api.client(target).send(request);
    await checkMediaType(annotate, api, target, 'DOC-10', 'text-to-image', exchange, JSON_TYPE);
    await judgeExchange({ annotate }, api, target, {
      doc: 'DOC-10',
      pipeline: 'text-to-image',
      request,
      documented: { summary: '200 ImageResponse', status: 200, body: RESPONSE_SCHEMAS.ImageResponse },
    }, exchange);
  }, PAID_TEST_MS);

  for (const pipeline of pipelineList()) {
    if (!serves(target, pipeline.id)) {
      test.skip(`DOC-15 ${pipeline.path}: not served on ${target}: ${notServedReason(target, pipeline.id)}`, () => {});
      continue;
    }
    for (const variant of VARIANTS[pipeline.responseModel] ?? plain(pipeline.responseModel)) {
      test(`DOC-15 ${pipeline.path} ${variant.label} ${onTarget(target)}`, async ({ api, annotate }) => {
        const request = build(variant.draft(minimalDraft(pipeline.id)));
        const exchange = await api.client(target).send(request);
        await checkMediaType(annotate, api, target, 'DOC-15', pipeline.id, exchange, variant.mediaType);
        await judgeExchange({ annotate }, api, target, {
          doc: 'DOC-15',
          pipeline: pipeline.id,
          ...(variant.case ? { case: variant.case } : {}),
          request,
          documented: variant.documented,
        }, exchange);
      }, PAID_TEST_MS);
    }
  }
});
