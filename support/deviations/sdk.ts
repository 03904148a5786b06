// SDK-01 … SDK-04 deviations: where a user of the official SDK (@livepeer/ai 0.6.2) does not get
// what its published types promise. Each entry pins the HTTP answer (status and body shape) AND
// what the SDK makes of it (error class, readable status, message, fate of the server's message),
// with the SDK's file and line or the exchange as evidence. Entries that differ only by pipeline
// are generated from the catalogue.
import type { z } from 'zod';
import { PIPELINES, SUITE, type CaseOf, type PipelineId, type SdkId } from '../catalogue.ts';
import type { Deviation } from './types.ts';
import { emptyBody, type Expectation } from '../schemas/expectations.ts';
import { gatewayError, LLM_STREAM_BY_TARGET, LLMResponseWithNullDelta, runnerMsg, studioAjv, studioErrors, VideoResponseRunner } from '../schemas/index.ts';
import { EMPTY_PROMPT_REFUSED, runnerMismatch } from '../data/sdk-cases.ts';
import { backoffTrace, throwsError, throwsSummary, traceIs, type ThrowsPin } from '../schemas/sdk-outcome.ts';
import { NOT_A_MODEL } from '../data/validation-cases.ts';
import { UNKNOWN_KEY } from '../http/wire.ts';
import { LLM_CASES } from './responses.ts';

/** An SDK row's entry: its pin says what the target answers and what the SDK makes of it (`pinned.sdk`). */
export type SdkDeviation = Deviation<SdkId>;

// ---------------------------------------------------------------------------------------------
// The SDK's behaviour, confirmed in node_modules/@livepeer/ai (0.6.2) src/

const SDK = {
  matchers:
    'SDK src/funcs/generate*.ts match list (e.g. generateUpscale.ts L163-170): M.json(200, …), M.jsonErr([400, 401], HTTPError), M.jsonErr(422, HTTPValidationError), M.jsonErr(500, HTTPError), M.fail("4XX"), M.fail("5XX")',
  jsonErrParse:
    'SDK src/lib/matchers.ts L244-269: an error body is parsed with the error schema; a body that fails it becomes SDKValidationError "Response validation failed" (src/lib/schemas.ts safeParse)',
  httpErrorShape: 'SDK src/models/errors/httperror.ts L44-53 (HTTPError$inboundSchema: {detail: {msg}}; z.object strips StatusCode, so HTTPError keeps no status) and L30-34 (message "API error occurred: <json>")',
  validationShape:
    'SDK src/models/errors/httpvalidationerror.ts L32-41 (detail optional: a Studio {"errors":[…]} body parses with detail undefined) and L18-21 (message "API error occurred: {}")',
  failMatcher: 'SDK src/lib/matchers.ts L190-199, L230-238 (no matcher for the content type: SDKError "Unexpected API response status or content-type")',
  noSse: 'SDK src/funcs/generateLlm.ts L133-140: only M.json(200, GenLLMResponse) — no M.sse matcher, so a text/event-stream 200 matches nothing',
  llmChoice: 'SDK src/models/components/llmchoice.ts L32 (delta: LLMMessage$inboundSchema.optional(): undefined allowed, null not)',
  videoResponse: 'SDK src/models/components/videoresponse.ts L27-33 (VideoResponse$inboundSchema: {images: Media[]}, the gateway spec form)',
  connection: 'SDK src/lib/http.ts L259-281 (isConnectionError: TypeError "fetch failed") and src/lib/sdks.ts L290-292 (ConnectionError "Unable to make request")',
  modelDefault:
    'SDK src/models/components/texttoimageparams.ts L107, bodygenimagetoimage.ts L185, bodygenimagetovideo.ts L178, bodygenupscale.ts L149, bodygenaudiototext.ts L122, bodygensegmentanything2.ts L176, llmrequest.ts L66, bodygenimagetotext.ts L130, texttospeechparams.ts L56: modelId/model default ""',
  timestamps: 'SDK src/models/components/bodygenaudiototext.ts L123 (returnTimestamps default "true") and src/funcs/generateAudioToText.ts L84 (sent as the form field return_timestamps=true)',
  llmJson: 'SDK src/funcs/generateLlm.ts L61-66 (encodeJSON body, Content-Type application/json)',
  retryOff: 'SDK src/funcs/generate*.ts (e.g. generateTextToImage.ts L81-83): retryConfig = options.retries || client retryConfig || { strategy: "none" }; src/lib/retries.ts L88-89 (none: one attempt)',
  retryCodes: 'SDK src/funcs/generate*.ts (e.g. generateTextToImage.ts L84): retryCodes default ["429","500","502","503","504"]',
  backoff:
    'SDK src/lib/retries.ts L14-19 (default backoff 500 ms, ×x^1.5, cap 60000 ms, maxElapsedTime 3600000 ms) and L152-193 (wait = initialInterval × x^exponent + Math.random() × 1000 with x = 0, 1, 2…, capped at maxInterval; stops only when elapsed > maxElapsedTime, no attempt count)',
} as const;

const STUDIO = {
  multipartLlm: 'contract-notes.md §6 item 6 (Studio validates /llm against the old multipart Body_genLLM) and §2.3.3 422 row (middleware/validators.ts L28-32)',
  timestamps:
    'contract-notes.md §2.3.3 "Studio-specific type handling" (validators.ts L34-55: only "true"/"false" become booleans) and studio_ai-api-schema.yaml Body_genAudioToText.return_timestamps (type string)',
  gateway5xx: 'contract-notes.md §2.3.3 500 row (generate.ts L236-240: `Failed to generate ${type}`) and §3 item 4; the gateway serves no model "" or "not-a-model"',
  modelOverride: 'contract-notes.md §2.3.3 "model_id: always injected ({model_id: default, ...req.body}) … an explicit model_id overrides the default, and "" is forwarded as """',
  unknownKey: 'contract-notes.md §2.3.3 401 row "Bearer <unknown key>" (auth.ts L133-137)',
} as const;

const EXPECTS_MULTIPART = 'Expected multipart/form-data content-type';
const RESPONSE_VALIDATION_DETAIL = /^Response validation failed: .*"path": \[\s*"detail"\s*\]/s;

// The pins' parts, declared once.
const studioLlm422: Expectation = { summary: `422 {"errors":["${EXPECTS_MULTIPART}"]}`, status: 422, body: studioErrors(EXPECTS_MULTIPART) };
const studioTimestamps422: Expectation = {
  summary: '422 {"errors":["{\\"instancePath\\":\\"/return_timestamps\\",…,\\"message\\":\\"must be string\\"}"]}',
  status: 422,
  body: studioAjv({ instancePath: '/return_timestamps', keyword: 'type', params: { type: 'string' }, message: 'must be string' }),
};
const droppedAnswer: Expectation = { summary: 'connection closed without an HTTP response (gateway panic)', status: 'dropped' };

/** Studio's {"errors":[…]} at 422: HTTPValidationError with detail undefined, the message lost. */
const VALIDATION_EMPTY: ThrowsPin = { errorClass: 'HTTPValidationError', status: 422, message: 'API error occurred: {}', serverMessagesReachCaller: false };
/** A Studio or gateway body at 400/401/500 fails the {detail:{msg}} schema. */
const VALIDATION_FAILED: ThrowsPin = { errorClass: 'SDKValidationError', status: 'none', message: RESPONSE_VALIDATION_DETAIL, serverMessagesReachCaller: false };

/** An entry whose pin is the target's answer and the error the SDK throws for it. */
const entry = (d: SdkDeviation & { throws: ThrowsPin }): SdkDeviation => {
  const { throws, ...rest } = d;
  return { ...rest, pinned: { ...rest.pinned, summary: `${rest.pinned.summary}; ${throwsSummary(throws)}`, sdk: throwsError(throws) } };
};

/** The pipelines where Studio proxies the SDK's request (its validation refuses audio-to-text and llm first). */
const STUDIO_GENERATES: PipelineId[] = ['text-to-image', 'image-to-image', 'image-to-video', 'upscale', 'segment-anything-2'];
const ALL = Object.values(PIPELINES).map((p) => p.id);
const slug = (id: SdkId) => id.toLowerCase().replace('-', '');

/** Studio refuses the SDK's own request for these before proxying, whatever the model (`case`: only that call). */
const studioRefusesSdkRequest = (id: SdkId, caseId?: CaseOf<SdkId>): SdkDeviation[] => [
  entry({
    id: `studio-${slug(id)}-a2t-return-timestamps`,
    check: id,
    target: 'studio',
    pipelines: ['audio-to-text'],
    ...(caseId ? { case: caseId } : {}),
    summary: 'the SDK sends return_timestamps=true as a form field (its default); Studio reads "true" as a boolean and its schema wants a string: 422, whose message the SDK drops',
    pinned: studioTimestamps422,
    throws: VALIDATION_EMPTY,
    evidence: [SDK.timestamps, STUDIO.timestamps, SDK.validationShape],
  }),
  entry({
    id: `studio-${slug(id)}-llm-json`,
    check: id,
    target: 'studio',
    pipelines: ['llm'],
    ...(caseId ? { case: caseId } : {}),
    summary: "the SDK sends /llm as JSON (the gateway spec's LLMRequest); Studio's /llm takes only the old multipart form: 422, whose message the SDK drops",
    pinned: studioLlm422,
    throws: VALIDATION_EMPTY,
    evidence: [SDK.llmJson, STUDIO.multipartLlm, SDK.validationShape],
  }),
];

// ---------------------------------------------------------------------------------------------
// SDK-01: every 200 body parses

const sdk01: SdkDeviation[] = [
  entry({
    id: 'studio-sdk01-llm-no-200',
    check: 'SDK-01',
    target: 'studio',
    pipelines: ['llm'],
    summary: "Studio gives no 200 for the spec's JSON LLMRequest (it wants the old multipart form), so an SDK caller gets an HTTPValidationError whose message is lost",
    pinned: studioLlm422,
    throws: VALIDATION_EMPTY,
    evidence: [STUDIO.multipartLlm, SDK.validationShape, 'as responses.ts studio-doc15-llm-multipart-form'],
  }),
  entry({
    id: 'runner-sdk01-i2v-frames',
    check: 'SDK-01',
    target: 'runner',
    pipelines: ['image-to-video'],
    summary: "the runner's own image-to-video body {\"frames\":[[…]]} is not the SDK's VideoResponse {images}: Response validation failed at VideoResponse.images",
    pinned: { summary: '200 {"frames":[[{"url":"data:image/png;base64,…","seed":…,"nsfw":…}, …]]}', status: 200, body: VideoResponseRunner },
    throws: { errorClass: 'SDKValidationError', status: 'none', message: /^Response validation failed: .*"path": \[\s*"VideoResponse",\s*"images"\s*\]/s },
    evidence: [SDK.videoResponse, SDK.jsonErrParse, 'runner-observed.md O58 (image-to-video: 200 {"frames":[[…]]})'],
  }),
  entry({
    id: 'runner-sdk01-llm-null-delta',
    check: 'SDK-01',
    target: 'runner',
    pipelines: ['llm'],
    case: LLM_CASES.notStreamed,
    summary: 'the runner sends "delta": null in every choice; the SDK allows an absent delta, not null: Response validation failed at LLMResponse.choices.0.delta',
    pinned: { summary: '200 LLMResponse with choices[].delta = null', status: 200, body: LLMResponseWithNullDelta },
    throws: { errorClass: 'SDKValidationError', status: 'none', message: /^Response validation failed: .*"path": \[\s*"LLMResponse",\s*"choices",\s*0,\s*"delta"\s*\]/s },
    evidence: [SDK.llmChoice, SDK.jsonErrParse, 'runner-observed.md O83 ("delta":null)'],
  }),
  ...(['runner', 'gateway'] as const).map((target) =>
    entry({
      id: `${target}-sdk01-llm-stream-unsupported`,
      check: 'SDK-01',
      target,
      pipelines: ['llm'],
      case: LLM_CASES.streamed,
      summary: 'the SDK lets a caller ask for stream: true but reads only JSON: the text/event-stream 200 matches no matcher and comes back as an SDKError with status 200',
      pinned: { summary: '200 text/event-stream of LLMResponse chunks', status: 200, body: LLM_STREAM_BY_TARGET[target] },
      throws: { errorClass: 'SDKError', status: 200, message: /^Unexpected API response status or content-type: Status 200 Content-Type text\/event-stream/ },
      evidence: [SDK.noSse, SDK.failMatcher, 'runner-observed.md O84 and contract-notes.md §1.3 LLM stream row (both layers answer text/event-stream)'],
    }),
  ),
];

// ---------------------------------------------------------------------------------------------
// SDK-02: an error reaches the caller with status and message

const runnerHttpError = (message: string): ThrowsPin => ({
  errorClass: 'HTTPError',
  status: 'none',
  message: `API error occurred: ${JSON.stringify({ detail: { msg: message } })}`,
  serverMessagesReachCaller: true,
});

const sdk02: SdkDeviation[] = [
  ...STUDIO_GENERATES.map((p) =>
    entry({
      id: `studio-sdk02-unknown-model-${p}`,
      check: 'SDK-02',
      target: 'studio',
      pipelines: [p],
      case: 'unknown model',
      summary: "Studio's 500 {\"errors\":[…]} fails the SDK's HTTPError schema: the caller gets SDKValidationError, with neither the status nor Studio's message",
      pinned: { summary: `500 {"errors":["Failed to generate ${p}"]}`, status: 500, body: studioErrors(`Failed to generate ${p}`) },
      throws: VALIDATION_FAILED,
      evidence: [SDK.matchers, SDK.jsonErrParse, STUDIO.gateway5xx],
    }),
  ),
  // An unknown key is refused before the body is read (studio-sdk02-unknown-key).
  ...studioRefusesSdkRequest('SDK-02', 'unknown model'),
  entry({
    id: 'studio-sdk02-unknown-key',
    check: 'SDK-02',
    target: 'studio',
    pipelines: 'all',
    case: 'unknown key',
    summary: "Studio's 401 {\"errors\":[…]} fails the SDK's HTTPError schema: the caller gets SDKValidationError, with neither the 401 nor Studio's message",
    pinned: { summary: `401 {"errors":["no token ${UNKNOWN_KEY} found"]}`, status: 401, body: studioErrors(`no token ${UNKNOWN_KEY} found`) },
    throws: VALIDATION_FAILED,
    evidence: [SDK.matchers, SDK.jsonErrParse, STUDIO.unknownKey],
  }),
  ...(['studio', 'gateway'] as const).map((target) =>
    entry({
      id: `${target}-sdk02-empty-prompt-gateway-400`,
      check: 'SDK-02',
      target,
      pipelines: EMPTY_PROMPT_REFUSED,
      case: 'empty prompt',
      summary: "the gateway's 400 {\"error\":{\"message\"}} fails the SDK's HTTPError schema: the caller gets SDKValidationError, with neither the 400 nor the message",
      pinned: { summary: '400 {"error":{"message":": Prompt must be provided."}}', status: 400, body: gatewayError(': Prompt must be provided.') },
      throws: VALIDATION_FAILED,
      evidence: [
        SDK.matchers,
        SDK.jsonErrParse,
        'contract-notes.md §2.4 row "prompt omitted" and §2.2.4 (runner 400 passed up with a leading ": ")',
        ...(target === 'studio' ? ['contract-notes.md §2.3.3 first row (Studio passes gateway 4xx bodies through)'] : []),
      ],
    }),
  ),
  ...ALL.map((p) => {
    const message = runnerMismatch(p, NOT_A_MODEL);
    return entry({
      id: `runner-sdk02-unknown-model-${p}`,
      check: 'SDK-02',
      target: 'runner',
      pipelines: [p],
      case: 'unknown model',
      summary: "the runner's 400 {\"detail\":{\"msg\"}} is the SDK's HTTPError, which carries the message but no status code",
      pinned: { summary: `400 {"detail":{"msg":"${message}"}}`, status: 400, body: runnerMsg(message) },
      throws: runnerHttpError(message),
      evidence: [SDK.httpErrorShape, 'runner-observed.md O18, O53, O74, O80, O85, O94 (model mismatch: 400) and §"Refinements" 13'],
    });
  }),
  entry({
    id: 'gateway-sdk02-unknown-model-dropped',
    check: 'SDK-02',
    target: 'gateway',
    pipelines: 'all',
    case: 'unknown model',
    summary: 'the gateway closes the connection without an answer when no orchestrator serves the model (its no-orchestrator panic), so there is no status and no message: the caller gets the SDK\'s ConnectionError',
    pinned: droppedAnswer,
    throws: { errorClass: 'ConnectionError', status: 'none', message: 'Unable to make request: TypeError: fetch failed' },
    evidence: [SDK.connection, 'contract-notes.md §3 item 3 (no-orchestrator panic on nil liveParams, go-livepeer #3867/#3917)', 'as validation.ts gateway-doc04-no-orchestrator-panic'],
  }),
  entry({
    id: 'runner-sdk02-empty-prompt',
    check: 'SDK-02',
    target: 'runner',
    pipelines: EMPTY_PROMPT_REFUSED,
    case: 'empty prompt',
    summary: "the runner's 400 {\"detail\":{\"msg\"}} is the SDK's HTTPError, which carries the message but no status code",
    pinned: { summary: '400 {"detail":{"msg":"Prompt must be provided."}}', status: 400, body: runnerMsg('Prompt must be provided.') },
    throws: runnerHttpError('Prompt must be provided.'),
    evidence: [SDK.httpErrorShape, 'runner-observed.md O27 (empty prompt: 400 Prompt must be provided.)'],
  }),
];

// ---------------------------------------------------------------------------------------------
// SDK-03: the SDK's own request is accepted

const sdk03: SdkDeviation[] = [
  ...studioRefusesSdkRequest('SDK-03'),
  ...STUDIO_GENERATES.map((p) =>
    entry({
      id: `studio-sdk03-model-empty-${p}`,
      check: 'SDK-03',
      target: 'studio',
      pipelines: [p],
      case: 'no model',
      summary: 'the SDK sends model_id "" when the caller gives none; Studio forwards "" over its own default model, no orchestrator serves it, and Studio answers 500',
      pinned: { summary: `500 {"errors":["Failed to generate ${p}"]}`, status: 500, body: studioErrors(`Failed to generate ${p}`) },
      throws: VALIDATION_FAILED,
      evidence: [SDK.modelDefault, STUDIO.modelOverride, STUDIO.gateway5xx],
    }),
  ),
  entry({
    id: 'gateway-sdk03-model-empty-no-orchestrator',
    check: 'SDK-03',
    target: 'gateway',
    pipelines: 'all',
    case: 'no model',
    summary: 'the SDK sends model_id "" (llm: model "") when the caller gives none, instead of leaving it out for the gateway default; no orchestrator serves "" and the gateway drops the connection',
    pinned: droppedAnswer,
    throws: { errorClass: 'ConnectionError', status: 'none', message: 'Unable to make request: TypeError: fetch failed' },
    evidence: [SDK.modelDefault, SDK.connection, 'contract-notes.md §2.2.3 (with "model_id":"" selection runs for model "") and §3 item 3 (no-orchestrator panic, go-livepeer #3867/#3917)'],
  }),
];

// ---------------------------------------------------------------------------------------------
// SDK-04: retries against a cold model

/**
 * The cold answer SDK-04 scripts on every attempt: the documented one, "a cold model returns a
 * 503" (docs-job-debugging.txt), no body given. SDK-04 judges the SDK's retry configuration, a
 * property of client code: one `suite` column, not one per target.
 */
const COLD: Expectation = { summary: '503, no body, on every attempt (the documented cold answer)', status: 503, body: emptyBody };

const SHIPPED = { attempts: 1, waitsMs: [], totalWaitMs: 0, retriedStatuses: [] };
const DEFAULT_BACKOFF = { initialMs: 500, exponent: 1.5, capMs: 60_000, maxElapsedMs: 3_600_000, retriedStatuses: [429, 500, 502, 503, 504] };

const retries = (setup: CaseOf<'SDK-04'>, summary: string, sdk: { summary: string; outcome: z.ZodType }, evidence: string[]): SdkDeviation => ({
  id: `suite-sdk04-${setup.replace(/\s+/g, '-')}`,
  check: 'SDK-04',
  target: SUITE,
  pipelines: 'all',
  case: setup,
  summary,
  pinned: { ...COLD, summary: `${COLD.summary}; ${sdk.summary}`, sdk: sdk.outcome },
  evidence,
});

const sdk04: SdkDeviation[] = [
  retries(
    'shipped',
    'retries are off unless the caller configures them: one attempt, the cold answer thrown at once, no status retried (DOC-08 retries 503)',
    { summary: 'the SDK makes 1 attempt, waits nothing, retries no status', outcome: traceIs(SHIPPED) },
    [SDK.retryOff],
  ),
  retries(
    'default backoff',
    'turned on, the SDK retries 429/500/502/503/504 after 0, 500, 1414, 2598, 4000 … ms (jitter aside), capped at 60 s, for an hour: no attempt limit, not the documented 5 s ×1.5',
    { summary: 'waits min(500 × (n−1)^1.5, 60000) ms (jitter 0) until 3 600 000 ms have passed; retries 429, 500, 502, 503, 504', outcome: backoffTrace(DEFAULT_BACKOFF) },
    [SDK.retryCodes, SDK.backoff],
  ),
  retries(
    'closest',
    'even set to 5000 ms, exponent 1.5, cap 60 s, 503 only and the documented total as its time limit, the SDK waits initialInterval × (n−1)^1.5 (0, 5000, 14142, 25980, 40000 ms), not 5000 × 1.5^(n−1) (5000, 7500, 11250, 16875, 25312.5 ms), and counts time, not retries',
    {
      summary: 'the SDK makes 6 attempts, waits 0, 5000, 14142, 25980, 40000 ms (85122 ms), retries 503 only',
      outcome: traceIs({ attempts: 6, waitsMs: [0, 5000, 14142, 25980, 40000], totalWaitMs: 85122, retriedStatuses: [503] }),
    },
    [SDK.backoff, 'documented-behaviours.md DOC-08 (first wait 5 s, ×1.5, cap 60 s, at most 5 retries)'],
  ),
];

export const sdk: readonly SdkDeviation[] = [...sdk01, ...sdk02, ...sdk03, ...sdk04];
