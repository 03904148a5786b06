// The catalogue: targets, pipelines and documented behaviours, declared once.
// Specs and helpers ask it; none of them branches on a target or pipeline name.
import { z } from 'zod';

export const TARGET_IDS = ['studio', 'gateway', 'runner'] as const;
export const TargetId = z.enum(TARGET_IDS);
export type TargetId = z.infer<typeof TargetId>;

export interface Target {
  id: TargetId;
  title: string;
  /** Base URL used in replay and, unless LIVEPEER_GATEWAY_URL says otherwise, live. */
  defaultUrl: string;
  /** Whether the target checks an API key (studio always; runner only with AUTH_TOKEN). */
  auth: 'required' | 'none' | 'optional-token';
  /** Whether live and record need LIVEPEER_API_KEY for this target. */
  keyRequired: boolean;
  /** A GET route that tells the target's version (`{"version": …}`), kept in recorded cassettes. */
  versionPath?: string;
  /**
   * One deployment serves one pipeline (an ai-runner container mounts only PIPELINE's routes):
   * the pipelines it does not serve in a run are checked to be really absent (RUN-01).
   */
  onePipeline?: boolean;
  /**
   * Requests a minute its rate limiter allows by default, per user across keys, projects and
   * pipelines (Studio's aiMaxRequestsPerMinutePerUser; contract-notes §2.3.3, studio-observed §7).
   */
  rateLimitPerMin?: number;
}

export const TARGETS: Record<TargetId, Target> = {
  studio: {
    id: 'studio',
    title: 'Livepeer Studio',
    defaultUrl: 'https://livepeer.studio/api/beta/generate',
    auth: 'required',
    keyRequired: true,
    rateLimitPerMin: 20,
  },
  gateway: {
    id: 'gateway',
    title: 'go-livepeer AI gateway',
    defaultUrl: 'https://dream-gateway.livepeer.cloud',
    auth: 'none',
    keyRequired: false,
  },
  runner: {
    id: 'runner',
    title: 'ai-runner container',
    defaultUrl: 'http://127.0.0.1:8000',
    auth: 'optional-token',
    keyRequired: false,
    versionPath: '/version', // runner-observed.md O12, O139: {"pipeline","model_id","version":"0.14.1"}
    onePipeline: true, // runner-observed.md O137-O139: create_app() mounts only PIPELINE's routes
  },
};

export const PIPELINE_IDS = [
  'text-to-image',
  'image-to-image',
  'image-to-video',
  'upscale',
  'audio-to-text',
  'segment-anything-2',
  'llm',
  'image-to-text',
  'text-to-speech',
] as const;
export const PipelineId = z.enum(PIPELINE_IDS);
export type PipelineId = z.infer<typeof PipelineId>;

export type Encoding = 'json' | 'multipart';
export type ResponseModel =
  | 'ImageResponse'
  | 'VideoResponse'
  | 'TextResponse'
  | 'MasksResponse'
  | 'LLMResponse'
  | 'ImageToTextResponse'
  | 'AudioResponse';

export interface FileField {
  name: string;
  media: 'image' | 'audio';
}

export interface Pipeline {
  id: PipelineId;
  path: `/${string}`;
  /** Request encoding in the gateway spec (v0.14.1). */
  encoding: Encoding;
  /** `required` list of the gateway spec's request schema. */
  required: readonly string[];
  /** Fields the spec types as integer. */
  integerFields: readonly string[];
  fileFields: readonly FileField[];
  responseModel: ResponseModel;
  /** Targets that serve the route; the others say why not. */
  servedBy: Record<TargetId, true | { notServed: string }>;
  /** The warm model of the documentation's warm table (DOC-09), if the pipeline has one. */
  warmModel?: string;
  /** The model each layer uses when `model_id` is omitted (contract-notes §4). */
  defaultModel: Partial<Record<TargetId, string>>;
}

const ALL_TARGETS = { studio: true, gateway: true, runner: true } as const;
const NOT_ON_STUDIO = {
  studio: { notServed: 'Studio registers no such route: 404 {"errors":["not found"]} (contract-notes §1.1, §2.3.3)' },
  gateway: true,
  runner: true,
} as const;

export const PIPELINES: Record<PipelineId, Pipeline> = {
  'text-to-image': {
    id: 'text-to-image',
    path: '/text-to-image',
    encoding: 'json',
    required: ['prompt', 'model_id'],
    integerFields: ['height', 'width', 'seed', 'num_inference_steps', 'num_images_per_prompt'],
    fileFields: [],
    responseModel: 'ImageResponse',
    servedBy: ALL_TARGETS,
    warmModel: 'SG161222/RealVisXL_V4.0_Lightning',
    defaultModel: { studio: 'SG161222/RealVisXL_V4.0_Lightning', gateway: 'stabilityai/sdxl-turbo' },
  },
  'image-to-image': {
    id: 'image-to-image',
    path: '/image-to-image',
    encoding: 'multipart',
    required: ['prompt', 'image', 'model_id'],
    integerFields: ['seed', 'num_inference_steps', 'num_images_per_prompt'],
    fileFields: [{ name: 'image', media: 'image' }],
    responseModel: 'ImageResponse',
    servedBy: ALL_TARGETS,
    warmModel: 'timbrooks/instruct-pix2pix',
    defaultModel: { studio: 'timbrooks/instruct-pix2pix', gateway: 'stabilityai/sdxl-turbo' },
  },
  'image-to-video': {
    id: 'image-to-video',
    path: '/image-to-video',
    encoding: 'multipart',
    required: ['image', 'model_id'],
    integerFields: ['height', 'width', 'fps', 'motion_bucket_id', 'seed', 'num_inference_steps'],
    fileFields: [{ name: 'image', media: 'image' }],
    responseModel: 'VideoResponse',
    servedBy: ALL_TARGETS,
    defaultModel: {
      studio: 'stabilityai/stable-video-diffusion-img2vid-xt-1-1',
      gateway: 'stabilityai/stable-video-diffusion-img2vid-xt',
    },
  },
  upscale: {
    id: 'upscale',
    path: '/upscale',
    encoding: 'multipart',
    required: ['prompt', 'image', 'model_id'],
    integerFields: ['seed', 'num_inference_steps'],
    fileFields: [{ name: 'image', media: 'image' }],
    responseModel: 'ImageResponse',
    servedBy: ALL_TARGETS,
    defaultModel: {
      studio: 'stabilityai/stable-diffusion-x4-upscaler',
      gateway: 'stabilityai/stable-diffusion-x4-upscaler',
    },
  },
  'audio-to-text': {
    id: 'audio-to-text',
    path: '/audio-to-text',
    encoding: 'multipart',
    required: ['audio', 'model_id'],
    integerFields: [],
    fileFields: [{ name: 'audio', media: 'audio' }],
    responseModel: 'TextResponse',
    servedBy: ALL_TARGETS,
    warmModel: 'openai/whisper-large-v3',
    defaultModel: { studio: 'openai/whisper-large-v3', gateway: 'openai/whisper-large-v3' },
  },
  'segment-anything-2': {
    id: 'segment-anything-2',
    path: '/segment-anything-2',
    encoding: 'multipart',
    required: ['image', 'model_id'],
    integerFields: [],
    fileFields: [{ name: 'image', media: 'image' }],
    responseModel: 'MasksResponse',
    servedBy: ALL_TARGETS,
    defaultModel: { studio: 'facebook/sam2-hiera-large', gateway: 'facebook/sam2-hiera-large' },
  },
  llm: {
    id: 'llm',
    path: '/llm',
    encoding: 'json',
    // The spec requires only `messages`; the model field of LLMRequest is `model`, not `model_id`.
    required: ['messages'],
    integerFields: ['max_tokens', 'top_k'],
    fileFields: [],
    responseModel: 'LLMResponse',
    servedBy: ALL_TARGETS,
    warmModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    defaultModel: {
      studio: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
      gateway: 'meta-llama/llama-3.1-8B-Instruct',
    },
  },
  'image-to-text': {
    id: 'image-to-text',
    path: '/image-to-text',
    encoding: 'multipart',
    required: ['image', 'model_id'],
    integerFields: [],
    fileFields: [{ name: 'image', media: 'image' }],
    responseModel: 'ImageToTextResponse',
    servedBy: NOT_ON_STUDIO,
    warmModel: 'Salesforce/blip-image-captioning-large',
    defaultModel: { gateway: 'Salesforce/blip-image-captioning-large' },
  },
  'text-to-speech': {
    id: 'text-to-speech',
    path: '/text-to-speech',
    encoding: 'json',
    required: ['model_id'],
    integerFields: [],
    fileFields: [],
    responseModel: 'AudioResponse',
    servedBy: NOT_ON_STUDIO,
    defaultModel: { gateway: 'parler-tts/parler-tts-large-v1' },
  },
};

export const pipelineList = (): Pipeline[] => PIPELINE_IDS.map((id) => PIPELINES[id]);

/** The pipeline whose route a path is (query aside), if any. */
export const pipelineOfPath = (path: string): PipelineId | undefined => PIPELINE_IDS.find((p) => PIPELINES[p].path === path.split('?')[0]);

export function serves(target: TargetId, pipeline: PipelineId): boolean {
  return PIPELINES[pipeline].servedBy[target] === true;
}

export function notServedReason(target: TargetId, pipeline: PipelineId): string | undefined {
  const served = PIPELINES[pipeline].servedBy[target];
  return served === true ? undefined : served.notServed;
}

/** The model field's name in a pipeline's request body. */
export const modelField = (pipeline: PipelineId): 'model' | 'model_id' => (pipeline === 'llm' ? 'model' : 'model_id');

// ---------------------------------------------------------------------------------------------
// Documented behaviours (../shared/reference/documented-behaviours.md), one row per DOC id.

export const DOCS_PAGE = {
  jobDebugging: 'https://docs.livepeer.org/v2/developers/guides/observability-and-debugging/job-debugging',
  troubleshooting: 'https://docs.livepeer.org/v2/developers/guides/ai/troubleshooting',
  productionChecklist: 'https://docs.livepeer.org/v2/developers/guides/ai/production-checklist',
  gatewaySpec: 'https://github.com/livepeer/ai-runner/blob/v0.14.1/runner/gateway.openapi.yaml',
  sdk: 'https://github.com/livepeer/livepeer-ai-js/tree/v0.6.2',
} as const;

export const AREAS = ['served pipelines', 'connectivity', 'validation', 'auth', 'retries', 'warm models', 'responses', 'timeouts', 'diagnosis', 'sdk'] as const;
export type Area = (typeof AREAS)[number];

export const DOC_IDS = [
  'DOC-01', 'DOC-02', 'DOC-03', 'DOC-04', 'DOC-05', 'DOC-06', 'DOC-07', 'DOC-08',
  'DOC-09', 'DOC-10', 'DOC-11', 'DOC-12', 'DOC-13', 'DOC-14', 'DOC-15', 'DOC-16',
] as const;
export const DocId = z.enum(DOC_IDS);
export type DocId = z.infer<typeof DocId>;

/** What a user of the official JavaScript SDK (@livepeer/ai) sees: its published types are the documentation. */
export const SDK_IDS = ['SDK-01', 'SDK-02', 'SDK-03', 'SDK-04'] as const;
export const SdkId = z.enum(SDK_IDS);
export type SdkId = z.infer<typeof SdkId>;

/** What a run itself establishes about a target: which pipelines it really serves. */
export const RUN_IDS = ['RUN-01'] as const;
export type RunId = (typeof RUN_IDS)[number];

export const CHECK_IDS = [...DOC_IDS, ...SDK_IDS, ...RUN_IDS] as const;
export const CheckId = z.enum(CHECK_IDS);
export type CheckId = z.infer<typeof CheckId>;

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';

/**
 * What a check judges: `target`, what a target answers (one column per target of the run);
 * `client`, a property of the client code the documentation tells users to write (the retry
 * schedule, the SDK's retry configuration, the global timeout): one `suite` column, judged once.
 */
export type Scope = 'target' | 'client';

/** The column of a client-scope check. */
export const SUITE = 'suite';
/** Whom a verdict speaks for: a target, or the suite's own client code. */
export type Subject = TargetId | typeof SUITE;
export const SUBJECTS = [...TARGET_IDS, SUITE] as const;
export const Subject = z.enum(SUBJECTS);

/** A row of the matrix: a documented behaviour (DOC-xx) or what an SDK user sees (SDK-xx). */
export interface CheckRow {
  id: CheckId;
  /** What the documentation promises, in its own terms. */
  statement: string;
  area: Area;
  link: string;
  severity: Severity;
  scope: Scope;
  /** Why a subject has no spec for this row, where it has none. */
  noSpec?: Partial<Record<Subject, string>>;
}

/** The columns a check has in a run of these targets: the targets, or the suite alone. */
export const subjectsOf = (check: CheckId, targets: readonly TargetId[]): Subject[] => (CHECKS[check].scope === 'client' ? [SUITE] : [...targets]);

/**
 * The variants inside a check that registry entries pin separately (`case`), per check: a typed
 * union, so a misspelt case is a type error rather than a silent "no pin".
 */
export const CASES = {
  'DOC-01': ['GET', 'HEAD'],
  'DOC-02': [],
  'DOC-03': ['missing field', 'malformed json', 'extra field', 'too large'],
  'DOC-04': [],
  'DOC-05': [],
  'DOC-06': [],
  'DOC-07': ['not ready', 'not advertised', 'loading'],
  'DOC-08': [],
  'DOC-09': [],
  'DOC-10': [],
  'DOC-11': ['missing-key', 'malformed-header', 'unknown-key', 'token-scheme', 'no key check'],
  'DOC-12': ['retry-after', 'no-retry-after', 'burst', 'not counted'],
  'DOC-13': ['retry helps', 'persists'],
  'DOC-14': [],
  'DOC-15': ['not streamed', 'streamed'],
  'DOC-16': [],
  'SDK-01': ['not streamed', 'streamed'],
  'SDK-02': ['unknown model', 'unknown key', 'empty prompt'],
  'SDK-03': ['documented model', 'no model'],
  'SDK-04': ['shipped', 'default backoff', 'closest'],
  'RUN-01': [],
} as const satisfies Record<CheckId, readonly string[]>;
export type CaseOf<C extends CheckId> = (typeof CASES)[C][number];
export type AnyCase = CaseOf<CheckId>;

export interface DocRow extends CheckRow {
  id: DocId;
}

export const DOCS: Record<DocId, DocRow> = {
  'DOC-01': {
    id: 'DOC-01',
    statement: 'GET (and HEAD, `curl -I`) on a generate route answers 405 Method Not Allowed, not a 200',
    area: 'connectivity',
    link: DOCS_PAGE.jobDebugging,
    severity: 'critical',
    scope: 'target',
  },
  'DOC-02': {
    id: 'DOC-02',
    statement: 'A request that omits model_id gets 422; model_id is required on all pipelines',
    area: 'validation',
    link: DOCS_PAGE.jobDebugging,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-03': {
    id: 'DOC-03',
    statement: 'A 422 body identifies the failing field: {"detail":[{"loc":["body","<field>"],"msg":…,"type":…}]}',
    area: 'validation',
    link: DOCS_PAGE.jobDebugging,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-04': {
    id: 'DOC-04',
    statement: 'A model_id that is not a Hugging Face model ID (org/name) gets 422',
    area: 'validation',
    link: DOCS_PAGE.jobDebugging,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-05': {
    id: 'DOC-05',
    statement: 'Image (or audio) input sent as JSON instead of multipart/form-data gets 422',
    area: 'validation',
    link: DOCS_PAGE.jobDebugging,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-06': {
    id: 'DOC-06',
    statement: 'Dimension values that are not integers ("1024" instead of 1024) get 422',
    area: 'validation',
    link: DOCS_PAGE.jobDebugging,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-07': {
    id: 'DOC-07',
    statement: 'A cold model answers 503 or a long pending response; loading takes 30 s to several minutes',
    area: 'retries',
    link: DOCS_PAGE.jobDebugging,
    severity: 'critical',
    scope: 'target',
    noSpec: { runner: 'a runner container serves the one model it loaded: there is no cold model to ask for (documented-behaviours.md, DOC-07: n/a)' },
  },
  'DOC-08': {
    id: 'DOC-08',
    statement: 'Retry 503 only, with exponential backoff: first wait 5 s, ×1.5 each time, capped at 60 s, at most 5 retries; any other error is thrown at once',
    area: 'retries',
    link: DOCS_PAGE.jobDebugging,
    severity: 'critical',
    scope: 'client',
  },
  'DOC-09': {
    id: 'DOC-09',
    statement: 'The warm models of the documented table answer without a cold start',
    area: 'warm models',
    link: DOCS_PAGE.jobDebugging,
    severity: 'critical',
    scope: 'target',
  },
  'DOC-10': {
    id: 'DOC-10',
    statement: 'The minimal request {"prompt":"test","model_id":"SG161222/RealVisXL_V4.0_Lightning"} with Authorization: Bearer <key> succeeds',
    area: 'responses',
    link: DOCS_PAGE.jobDebugging,
    severity: 'blocker',
    scope: 'target',
  },
  'DOC-11': {
    id: 'DOC-11',
    statement: 'A wrong or missing API key gets 401; do not retry it',
    area: 'auth',
    link: DOCS_PAGE.productionChecklist,
    severity: 'critical',
    scope: 'target',
  },
  'DOC-12': {
    id: 'DOC-12',
    statement: '429: back off and retry after the rate-limit window',
    area: 'retries',
    link: DOCS_PAGE.productionChecklist,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-13': {
    id: 'DOC-13',
    statement: '500: retry once; if it persists, check model_id, dimensions and file format',
    area: 'retries',
    link: DOCS_PAGE.productionChecklist,
    severity: 'normal',
    scope: 'target',
  },
  'DOC-14': {
    id: 'DOC-14',
    statement: 'Set a global timeout on every request; 300 s is recommended for cold models',
    area: 'timeouts',
    link: DOCS_PAGE.productionChecklist,
    severity: 'normal',
    scope: 'client',
  },
  'DOC-15': {
    id: 'DOC-15',
    statement: "Every pipeline's 200 body matches the published spec's response model",
    area: 'responses',
    link: DOCS_PAGE.gatewaySpec,
    severity: 'critical',
    scope: 'target',
  },
  'DOC-16': {
    id: 'DOC-16',
    statement: 'Diagnose a non-responsive job in order: connectivity, status page, request construction, model availability, gateway availability',
    area: 'diagnosis',
    link: DOCS_PAGE.jobDebugging,
    severity: 'minor',
    scope: 'client',
    noSpec: { suite: 'a procedure, not an API behaviour: `npm run diagnose` runs it against the configured target' },
  },
};

// ---------------------------------------------------------------------------------------------
// What an SDK user sees (@livepeer/ai 0.6.2, generated from the gateway spec): its published
// types and operations are the documentation these rows check (support/sdk/sdk.ts, specs/sdk.spec.ts).

export interface SdkRow extends CheckRow {
  id: SdkId;
}

export const SDKS: Record<SdkId, SdkRow> = {
  'SDK-01': {
    id: 'SDK-01',
    statement: "Every 200 body a target gives parses with the SDK's operation for the pipeline as its published result type (ImageResponse, VideoResponse, …)",
    area: 'sdk',
    link: DOCS_PAGE.sdk,
    severity: 'critical',
    scope: 'target',
  },
  'SDK-02': {
    id: 'SDK-02',
    statement: "Every error a target gives reaches an SDK caller as a typed error carrying the HTTP status and the server's message",
    area: 'sdk',
    link: DOCS_PAGE.sdk,
    severity: 'normal',
    scope: 'target',
  },
  'SDK-03': {
    id: 'SDK-03',
    statement: 'The request the SDK builds (its defaults, its encoding), with the documented model or with none as its types allow, is accepted by the target',
    area: 'sdk',
    link: DOCS_PAGE.sdk,
    severity: 'critical',
    scope: 'target',
  },
  'SDK-04': {
    id: 'SDK-04',
    statement: 'Retries as the SDK offers them, against a cold model, keep the documented schedule (DOC-08): 503 only, 5 s then ×1.5, capped at 60 s, at most 5 retries',
    area: 'sdk',
    link: DOCS_PAGE.sdk,
    severity: 'normal',
    scope: 'client',
  },
};

export const RUNS: Record<RunId, CheckRow & { id: RunId }> = {
  'RUN-01': {
    id: 'RUN-01',
    statement:
      'A pipeline the target does not serve in this run (by the catalogue, by what the target says of itself, or as LIVEPEER_PIPELINES tells of a one-pipeline runner) is really absent: its route answers 404, so its other checks do not apply',
    area: 'served pipelines',
    link: DOCS_PAGE.gatewaySpec,
    severity: 'normal',
    scope: 'target',
    noSpec: {
      gateway: 'a go-livepeer gateway registers every batch route whatever its orchestrators serve (contract-notes §2.2.2): no pipeline is absent there',
    },
  },
};

/** Every row of the matrix: DOC, SDK and RUN. */
export const CHECKS: Record<CheckId, CheckRow> = { ...DOCS, ...SDKS, ...RUNS };
