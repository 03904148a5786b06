// DOC-02 to DOC-06 deviations: what each target answers instead of the documented 422 whose
// `detail` names the failing field. Entries that differ only by pipeline (a message naming the
// pipeline or its model, a 200 body of the pipeline's model) are generated from the catalogue.
import type { z } from 'zod';
import { PIPELINES, type DocId, type Pipeline, type PipelineId, type ResponseModel } from '../catalogue.ts';
import type { Deviation } from './types.ts';
import { runnerModelMismatch } from '../data/failure-modes.ts';
import { documentedModel } from '../data/requests.ts';
import { gatewayError, LLMResponseWithNullDelta, responseSchemaFor, runnerMsg, studioAjv, studioErrors } from '../schemas/index.ts';
import { EXTRA_FIELD, missingFieldFor, NOT_A_MODEL, validationCases } from '../data/validation-cases.ts';

const pipelines = (...ids: PipelineId[]): Pipeline[] => ids.map((id) => PIPELINES[id]);
const ALL = Object.values(PIPELINES);
/** The pipelines Studio proxies; image-to-text and text-to-speech are not served there. */
const STUDIO_MULTIPART = pipelines('image-to-image', 'image-to-video', 'upscale', 'audio-to-text', 'segment-anything-2');
const STUDIO_GENERATES = [PIPELINES['text-to-image'], ...STUDIO_MULTIPART];
const MULTIPART = ALL.filter((p) => p.encoding === 'multipart');

const docSlug = (doc: DocId) => doc.toLowerCase().replace('-', '');

/** What the runner sends as a 200 where it differs from the spec's model (runner-observed O83). */
const RUNNER_SENDS: Partial<Record<ResponseModel, z.ZodType>> = { LLMResponse: LLMResponseWithNullDelta };
const runnerBody = (p: Pipeline) => RUNNER_SENDS[p.responseModel] ?? responseSchemaFor(p.responseModel, 'runner');

// ---------------------------------------------------------------------------------------------
// Shared by several DOCs

const EXPECTS_MULTIPART = 'Expected multipart/form-data content-type';

/** Studio's /llm still takes the old form schema: any JSON LLMRequest stops at the content-type check. */
const studioLlmNeedsMultipart = (doc: DocId): Deviation => ({
  id: `studio-${docSlug(doc)}-llm-expects-multipart`,
  check: doc,
  target: 'studio',
  pipelines: ['llm'],
  summary:
    'Studio registers /llm as a multipart route validated against the old Body_genLLM form schema, so the JSON LLMRequest of the spec is refused before any field is checked: a 422 whose body names no field',
  pinned: { summary: `422 {"errors":["${EXPECTS_MULTIPART}"]}`, status: 422, body: studioErrors(EXPECTS_MULTIPART) },
  evidence: [
    'contract-notes.md §6 item 6 (Studio /llm: multipart with the old Body_genLLM schema)',
    'contract-notes.md §2.3.3, 422 row "multipart route without multipart/form-data" (middleware/validators.ts L28-32)',
    'studio_ai-api-schema.yaml /api/generate/llm (Body_genLLM: prompt, model_id, system_msg, …)',
  ],
});

/** go-livepeer's no-orchestrator branch panics on nil liveParams for every batch request. */
const NO_ORCHESTRATOR_PANIC = [
  'contract-notes.md §3 item 3 (processAIRequest: Select returns nil, the loop breaks with resp == nil, and since 609f72238 the stream_trace event dereferences params.liveParams, nil for batch requests)',
  'go-livepeer issue #3867 (text-to-image without model_id, no orchestrator: "http: panic serving …", no response) and #3917 (audio-to-text: curl (52) Empty reply from server); fix PR #3939 still open',
  'contract-notes.md §2.2.3 last bullet (net/http recovers a handler panic by closing the connection; no recovery middleware, mediaserver.go L252)',
  'choice: current go-livepeer drops the connection; builds before 2025-08-18, or a 2 s deadline passing first, give 503 {"error":{"message":"Service Unavailable Error"}} instead',
];

const dropped = { summary: 'connection closed without an HTTP response (gateway panic)', status: 'dropped' } as const;

// ---------------------------------------------------------------------------------------------
// DOC-02: model_id omitted

const doc02: Deviation[] = [
  ...STUDIO_GENERATES.map(
    (p): Deviation => ({
      id: `studio-doc02-default-model-${p.id}`,
      check: 'DOC-02',
      target: 'studio',
      pipelines: [p.id],
      summary: `Studio injects its default model (${p.defaultModel.studio}) and generates: 200 with the gateway's ${p.responseModel}`,
      pinned: { summary: `200 ${p.responseModel} (gateway body passed through)`, status: 200, body: responseSchemaFor(p.responseModel, 'studio') },
      evidence: [
        'contract-notes.md §2.3.3, "model_id: always injected ({model_id: default, ...req.body}, generate.ts L70-78)"',
        'contract-notes.md §4 (Studio defaults, pull-ai-schema.js L8-16) and §2.4 row "model_id omitted"',
        'contract-notes.md §2.3.3, 200 row (gateway body and status passed through, generate.ts L242-248)',
        'contract-notes.md §6 item 2',
      ],
    }),
  ),
  studioLlmNeedsMultipart('DOC-02'),
  {
    id: 'gateway-doc02-nil-model-id-panic',
    check: 'DOC-02',
    target: 'gateway',
    pipelines: ['text-to-image', 'image-to-image', 'image-to-video'],
    summary: 'The handler dereferences the nil model_id (latency score for t2i/i2i, a log argument for i2v), panics, and net/http closes the connection without a response',
    pinned: dropped,
    evidence: [
      'contract-notes.md §2.2.3 (CalculateTextToImageLatencyScore / CalculateImageToImageLatencyScore dereference *req.ModelId, ai_process.go L150, L291; image-to-video at ai_mediaserver.go L213)',
      'contract-notes.md §2.4 row "model_id omitted" and §6 item 17',
      'contract-notes.md §2.2.3 last bullet (panic → connection closed, mediaserver.go L252)',
    ],
  },
  {
    id: 'gateway-doc02-no-orchestrator-panic',
    check: 'DOC-02',
    target: 'gateway',
    pipelines: ['upscale', 'audio-to-text', 'segment-anything-2', 'image-to-text', 'text-to-speech'],
    summary:
      'The request keeps a nil model_id; every orchestrator fails on it (handleAIRequest dereferences *v.ModelId) and is removed, and the exhausted loop hits the no-orchestrator panic: no response',
    pinned: dropped,
    evidence: ['contract-notes.md §2.2.3, "Other pipelines" (orchestrator ai_http.go ~L1406-1562, modelID = *v.ModelId)', ...NO_ORCHESTRATOR_PANIC],
  },
  {
    id: 'gateway-doc02-llm-missing-fields',
    check: 'DOC-02',
    target: 'gateway',
    pipelines: ['llm'],
    summary: 'The gateway requires model (with max_tokens and stream) itself and answers 400 without naming the field',
    pinned: { summary: '400 {"error":{"message":"missing required fields"}}', status: 400, body: gatewayError('missing required fields') },
    evidence: ['contract-notes.md §1.2 llm, "Gateway check" (ai_mediaserver.go L315-318)', 'contract-notes.md §2.2.3, "LLM: a missing model is caught up front"', 'contract-notes.md §2.4 row "model_id omitted"'],
  },
  ...ALL.map(
    (p): Deviation => ({
      id: `runner-doc02-loaded-model-${p.id}`,
      check: 'DOC-02',
      target: 'runner',
      pipelines: [p.id],
      summary: `model_id is optional on the runner ("" means the model it loaded), so it runs: 200 ${p.responseModel} in the runner's form`,
      pinned: { summary: `200 ${p.responseModel} (runner form)`, status: 200, body: runnerBody(p) },
      evidence: [
        'runner-observed.md O15 (text-to-image without model_id: 200) and §"Refinements" 13 ("model_id is optional")',
        'runner-observed.md O46, O58, O62, O65, O75, O79, O83, O92 (200 bodies of requests without model_id)',
        'contract-notes.md §1.2 (runner spec: model_id default "", not required) and §2.4 row "model_id omitted"',
      ],
    }),
  ),
];

// ---------------------------------------------------------------------------------------------
// DOC-03: the 422 names the failing field (a required input left out; on /text-to-image also
// malformed JSON, an unknown field and a body over 100 kB). An entry names its case where more
// than one DOC-03 case runs on its pipeline (text-to-image); elsewhere an entry without a case
// pins the one case there is, the missing field.

/** The case an entry of a pipeline names: only where other DOC-03 cases run beside the missing field. */
const missingFieldCase = (p: PipelineId) => (validationCases().some((c) => c.doc === 'DOC-03' && c.pipeline === p && c.case !== 'missing field') ? ({ case: 'missing field' } as const) : {});

const doc03: Deviation[] = [
  ...STUDIO_GENERATES.map((p): Deviation => {
    const field = missingFieldFor(p);
    return {
      id: `studio-doc03-ajv-required-${p.id}`,
      check: 'DOC-03',
      target: 'studio',
      pipelines: [p.id],
      ...missingFieldCase(p.id),
      summary: `Studio's 422 names ${field}, but as one ajv error serialised as JSON text in {"errors":[…]}, not a FastAPI detail list`,
      pinned: {
        summary: `422 {"errors":["{\\"instancePath\\":\\"\\",\\"keyword\\":\\"required\\",\\"params\\":{\\"missingProperty\\":\\"${field}\\"},…}"]}`,
        status: 422,
        body: studioAjv({ instancePath: '', keyword: 'required', params: { missingProperty: field }, message: `must have required property '${field}'` }),
      },
      evidence: [
        'contract-notes.md §2.3.3, 422 row "JSON schema failure (ajv v8, allErrors off, so exactly one error)" (middleware/validators.ts L4-20) and the ajv messages list',
        'studio middleware/validators.ts validateFormData: each uploaded file counts as a field ("dummy"), so a missing file is a `required` error',
        'contract-notes.md §2.4 row "prompt omitted (t2i JSON)"; documented-behaviours.md DOC-03 (studio column)',
      ],
    };
  }),
  studioLlmNeedsMultipart('DOC-03'),
  {
    id: 'gateway-doc03-prompt-from-runner-400',
    check: 'DOC-03',
    target: 'gateway',
    pipelines: ['text-to-image'],
    ...missingFieldCase('text-to-image'),
    summary: 'The gateway does not check prompt; the runner refuses the empty prompt with 400 and the gateway passes its message up with a leading ": "',
    pinned: { summary: '400 {"error":{"message":": Prompt must be provided."}}', status: 400, body: gatewayError(': Prompt must be provided.') },
    evidence: [
      'contract-notes.md §2.4 row "prompt omitted (t2i JSON)" and §2.2.2 ("A missing prompt is not caught by the gateway")',
      'contract-notes.md §2.2.4 steps 1-5 (parseBadRequestError splits on "returned 400", ai_process.go L67-86) and §6 item 9',
      'runner-observed.md O27 (runner: empty prompt → 400 Prompt must be provided.)',
    ],
  },
  {
    id: 'gateway-doc03-missing-file-no-orchestrator-panic',
    check: 'DOC-03',
    target: 'gateway',
    pipelines: MULTIPART.map((p) => p.id),
    summary:
      'The gateway binds the form without the file (required-ness is never enforced); measuring the empty upload fails at every orchestrator, each is removed, and the exhausted loop hits the no-orchestrator panic: no response',
    pinned: dropped,
    evidence: [
      'contract-notes.md §2.2.2 ("Missing fields are not errors at bind time")',
      'go-livepeer server/ai_process.go submitImageToImage/submitUpscale/submitSegmentAnything2 (image.DecodeConfig of the empty upload) and submitAudioToText (common.CalculateAudioDuration → "Error getting codec info"): not retryable, not a 400, so sessManager.Remove and the next try',
      ...NO_ORCHESTRATOR_PANIC,
    ],
  },
  {
    id: 'gateway-doc03-llm-missing-fields',
    check: 'DOC-03',
    target: 'gateway',
    pipelines: ['llm'],
    summary: 'The gateway requires messages (with model, max_tokens and stream) itself and answers 400 without naming the field',
    pinned: { summary: '400 {"error":{"message":"missing required fields"}}', status: 400, body: gatewayError('missing required fields') },
    evidence: ['contract-notes.md §1.2 llm, "Gateway check" (ai_mediaserver.go L315-318: req.Messages == nil)'],
  },
  {
    id: 'gateway-doc03-tts-no-orchestrator-panic',
    check: 'DOC-03',
    target: 'gateway',
    pipelines: ['text-to-speech'],
    summary: 'text-to-speech requires only model_id in the spec; without it the request fails as DOC-02 does: no response',
    pinned: dropped,
    evidence: ['contract-notes.md §2.2.3, "Other pipelines"', ...NO_ORCHESTRATOR_PANIC],
  },
  {
    id: 'studio-doc03-malformed-json-400',
    check: 'DOC-03',
    target: 'studio',
    pipelines: ['text-to-image'],
    case: 'malformed json',
    summary: "Studio's JSON body parser refuses the body before any validation: 400 with Node's JSON.parse message in {\"errors\":[…]}, which neither names a field nor locates the error",
    pinned: { summary: '400 {"errors":["Unexpected end of JSON input"]}', status: 400, body: studioErrors('Unexpected end of JSON input') },
    evidence: [
      'studio-observed.md §3 malformed-json (the same body, `{"prompt":`: 400 {"errors":["Unexpected end of JSON input"]}, not forwarded)',
      'contract-notes.md §2.3.3, 400 row "malformed JSON (body-parser SyntaxError, status 400)" (errorHandler.ts) and §2.4 row "malformed JSON"',
      "studio-observed.md header and §3 notes: the JSON.parse texts are Node 20's (v20.20.2), the only part of Studio's answers that depends on the Node version; Node 22 changes the other one (malformed-json-2), not this",
    ],
  },
  {
    id: 'studio-doc03-ajv-additional-properties',
    check: 'DOC-03',
    target: 'studio',
    pipelines: ['text-to-image'],
    case: 'extra field',
    summary: `Studio's 422 names ${EXTRA_FIELD.name}, but as one ajv additionalProperties error serialised as JSON text in {"errors":[…]}, not a FastAPI detail list`,
    pinned: {
      summary: `422 {"errors":["{\\"instancePath\\":\\"\\",\\"keyword\\":\\"additionalProperties\\",\\"params\\":{\\"additionalProperty\\":\\"${EXTRA_FIELD.name}\\"},…}"]}`,
      status: 422,
      body: studioAjv({ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: EXTRA_FIELD.name }, message: 'must NOT have additional properties' }),
    },
    evidence: [
      'studio-observed.md §3 extra-field (the same request: 422, additionalProperty "foo", not forwarded)',
      'contract-notes.md §2.3.3 ajv messages ("must NOT have additional properties"; every request schema sets additionalProperties:false, pull-ai-schema.js L101-132) and §2.4 row "unknown extra field"',
    ],
  },
  {
    id: 'studio-doc03-body-too-large-413',
    check: 'DOC-03',
    target: 'studio',
    pipelines: ['text-to-image'],
    case: 'too large',
    summary: "Studio's JSON body parser stops at its 100 kB default: 413 with a message that names no field, before any validation",
    pinned: { summary: '413 {"errors":["request entity too large"]}', status: 413, body: studioErrors('request entity too large') },
    evidence: [
      'studio-observed.md §3 json-over-100kb (a prompt of 120000 "a": 413 {"errors":["request entity too large"]}, not forwarded)',
      'contract-notes.md §2.3.2 item 2 (global bodyParser.json(), default 100 kB limit), §2.3.3 413 row and §2.4 row "big upload"',
    ],
  },
  {
    id: 'gateway-doc03-malformed-json-400',
    check: 'DOC-03',
    target: 'gateway',
    pipelines: ['text-to-image'],
    case: 'malformed json',
    summary: "go-livepeer decodes the body with Go's json.Decoder and answers its error as 400: the text says the input ended, with neither field nor offset",
    pinned: { summary: '400 {"error":{"message":"unexpected EOF"}}', status: 400, body: gatewayError('unexpected EOF') },
    evidence: [
      'contract-notes.md §2.2.2, JSON routes (json.NewDecoder(r.Body).Decode, server/utils.go L13-15: "Malformed JSON gives 400, e.g. `invalid character \'x\' looking for beginning of value` or `unexpected EOF`") and §2.2.1 (a decoder error gives 400 with err.Error())',
      'contract-notes.md §2.4 row "malformed JSON" (gateway: 400 `invalid character …` / `unexpected EOF`)',
      "derived, not observed: Go's Decoder returns io.ErrUnexpectedEOF (`unexpected EOF`) when the input ends inside a value, as `{\"prompt\":` does",
    ],
  },
  {
    id: 'runner-doc03-tts-loaded-model',
    check: 'DOC-03',
    target: 'runner',
    pipelines: ['text-to-speech'],
    summary: 'text-to-speech requires only model_id in the spec, which the runner treats as optional: 200 AudioResponse, no 422',
    pinned: { summary: '200 AudioResponse (runner form)', status: 200, body: runnerBody(PIPELINES['text-to-speech']) },
    evidence: ['runner-observed.md O92 (text-to-speech without model_id: 200)', 'contract-notes.md §1.2 text-to-speech (runner: model_id default "")'],
  },
];

// ---------------------------------------------------------------------------------------------
// DOC-04: a model_id that is not `org/name`


const doc04: Deviation[] = [
  ...STUDIO_GENERATES.map(
    (p): Deviation => ({
      id: `studio-doc04-gateway-5xx-${p.id}`,
      check: 'DOC-04',
      target: 'studio',
      pipelines: [p.id],
      summary: 'Studio checks only that model_id is a string and forwards it; no orchestrator serves it, and Studio hides the gateway 5xx as a 500',
      pinned: { summary: `500 {"errors":["Failed to generate ${p.id}"]}`, status: 500, body: studioErrors(`Failed to generate ${p.id}`) },
      evidence: [
        'contract-notes.md §2.3.3, 500 row "gateway returned ≥500 and the user is not admin" (generate.ts L236-240: `Failed to generate ${type}`)',
        'contract-notes.md §3 item 4 and §2.4 row "model no orchestrator serves"; documented-behaviours.md DOC-04 (studio column)',
        "uncertain: Studio's gateway version is unknown (§6 item 11); if it runs current go-livepeer and drops the connection, Studio answers 500 {\"errors\":[\"Internal server error: FetchError\"]} instead",
      ],
    }),
  ),
  studioLlmNeedsMultipart('DOC-04'),
  {
    id: 'gateway-doc04-no-orchestrator-panic',
    check: 'DOC-04',
    target: 'gateway',
    pipelines: 'all',
    summary: 'The gateway takes any model_id; no orchestrator advertises "not-a-model", and the no-orchestrator branch panics: no response',
    pinned: dropped,
    evidence: ['contract-notes.md §2.4 row "model no orchestrator serves"', ...NO_ORCHESTRATOR_PANIC],
  },
  ...ALL.map((p): Deviation => {
    const message = runnerModelMismatch(p.id, documentedModel(p.id), NOT_A_MODEL);
    return {
      id: `runner-doc04-model-mismatch-${p.id}`,
      check: 'DOC-04',
      target: 'runner',
      pipelines: [p.id],
      summary: 'The runner does not check the format; any model_id other than the one it loaded gets a 400 route error',
      pinned: { summary: `400 {"detail":{"msg":"${message}"}}`, status: 400, body: runnerMsg(message) },
      evidence: [
        'runner-observed.md O18 (t2i), O53 (i2i), O74 (a2t), O80 (i2t), O85 (llm), O94 (tts)',
        'contract-notes.md §2.1.3 and runner-observed.md §"Refinements" 13 (the period rule: with a period on t2i, i2i, i2v, upscale, a2t, sam2; without on llm, i2t, tts)',
      ],
    };
  }),
];

// ---------------------------------------------------------------------------------------------
// DOC-05: JSON sent to a multipart route

const doc05: Deviation[] = [
  {
    id: 'studio-doc05-expects-multipart',
    check: 'DOC-05',
    target: 'studio',
    pipelines: STUDIO_MULTIPART.map((p) => p.id),
    summary: 'Studio answers 422 as documented, but with a plain message in {"errors":[…]} that names no field',
    pinned: { summary: `422 {"errors":["${EXPECTS_MULTIPART}"]}`, status: 422, body: studioErrors(EXPECTS_MULTIPART) },
    evidence: ['contract-notes.md §2.3.3, 422 row "multipart route without multipart/form-data" (middleware/validators.ts L28-32)', 'contract-notes.md §2.4 row "JSON sent to a multipart route"'],
  },
  {
    id: 'gateway-doc05-not-multipart-400',
    check: 'DOC-05',
    target: 'gateway',
    pipelines: MULTIPART.map((p) => p.id),
    summary: "r.MultipartReader() fails with Go's http.ErrNotMultipart, answered as 400",
    pinned: {
      summary: `400 {"error":{"message":"request Content-Type isn't multipart/form-data"}}`,
      status: 400,
      body: gatewayError("request Content-Type isn't multipart/form-data"),
    },
    evidence: ['contract-notes.md §2.2.2, multipart routes ("JSON sent where multipart is required gives 400", server/utils.go L18-24)', 'contract-notes.md §2.4 row "JSON sent to a multipart route"'],
  },
];

// ---------------------------------------------------------------------------------------------
// DOC-06: integers sent as strings on JSON routes

const doc06: Deviation[] = [
  {
    id: 'studio-doc06-ajv-must-be-integer',
    check: 'DOC-06',
    target: 'studio',
    pipelines: ['text-to-image'],
    summary: 'Studio answers 422 naming height, but as one ajv error serialised as JSON text in {"errors":[…]}, not a FastAPI detail list',
    pinned: {
      summary: '422 {"errors":["{\\"instancePath\\":\\"/height\\",…,\\"message\\":\\"must be integer\\"}"]}',
      status: 422,
      body: studioAjv({ instancePath: '/height', keyword: 'type', params: { type: 'integer' }, message: 'must be integer' }),
    },
    evidence: [
      'contract-notes.md §2.3.3, "Studio-specific type handling": JSON has no coercion, "1024" gives 422 must be integer; the 422 row shows the ajv item',
      'studio_ai-api-schema.yaml TextToImageParams lists height before width; ajv (allErrors off) stops at the first failing property in schema order',
    ],
  },
  studioLlmNeedsMultipart('DOC-06'),
  ...(
    [
      ['text-to-image', 'TextToImageParams.width'],
      ['llm', 'LLMRequest.max_tokens'],
    ] as const
  ).map(([id, field]): Deviation => {
    const message = `json: cannot unmarshal string into Go struct field ${field} of type int`;
    return {
      id: `gateway-doc06-unmarshal-400-${id}`,
      check: 'DOC-06',
      target: 'gateway',
      pipelines: [id],
      summary: "Go's JSON decoder refuses the string and the gateway answers 400 with the decoder's text (the first bad field in the body)",
      pinned: { summary: `400 {"error":{"message":"${message}"}}`, status: 400, body: gatewayError(message) },
      evidence: [
        'contract-notes.md §2.2.2, JSON routes ("width":"1024" → 400 json: cannot unmarshal string into Go struct field TextToImageParams.width of type int; runner.gen.go L508)',
        'contract-notes.md §2.2.1 (a decoder error gives 400 with err.Error()); llm decodes LLMRequest the same way (derived)',
      ],
    };
  }),
  ...pipelines('text-to-image', 'llm').map(
    (p): Deviation => ({
      id: `runner-doc06-coerced-${p.id}`,
      check: 'DOC-06',
      target: 'runner',
      pipelines: [p.id],
      summary: `pydantic v2 lax mode coerces numeric strings to int, so the runner runs the request: 200 ${p.responseModel}`,
      pinned: { summary: `200 ${p.responseModel} (runner form)`, status: 200, body: runnerBody(p) },
      evidence: ['runner-observed.md O20 ("width":"1024" accepted) and §"Refinements" 12', 'contract-notes.md §2.1.2 ("width":"1024" on JSON: ACCEPTED) and §6 item 3'],
    }),
  ),
];

export const validation: readonly Deviation[] = [...doc02, ...doc03, ...doc04, ...doc05, ...doc06];
