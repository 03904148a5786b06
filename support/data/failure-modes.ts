// What each layer answers when a request fails for a reason outside the request: the rate limit
// (DOC-12), a server error (DOC-13), a route it does not have (RUN-01). Facts declared once, with
// their evidence, so specs loop over targets without asking which one they are on.
import type { z } from 'zod';
import { TARGETS, type PipelineId, type TargetId } from '../catalogue.ts';
import { gatewayError, plainText, runnerMsg, starletteDetail, studioErrors } from '../schemas/index.ts';
import { isFilePart, type RequestSpec } from '../http/wire.ts';

/** One answer of a layer, exactly: what a spec compares a response with. */
export interface LayerAnswer {
  summary: string;
  status: number;
  body: z.ZodType;
  evidence: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// DOC-12: rate limits

export type RateLimit =
  | {
      kind: 'limited';
      /** Requests a window allows by default (per user, across projects, keys and pipelines). */
      perMinute: number;
      /** The 429, with `Retry-After: <whole seconds ≥ 1>`. */
      answer: LayerAnswer;
      /** What a live check would cost: why DOC-12 runs from cassettes only there. */
      liveCost: string;
      /** Evidence of what the limiter counts: only requests that pass auth and validation, per user. */
      counting: readonly string[];
    }
  | { kind: 'none'; reason: string; evidence: readonly string[] };

export const RATE_LIMITS: Record<TargetId, RateLimit> = {
  studio: {
    kind: 'limited',
    perMinute: TARGETS.studio.rateLimitPerMin!,
    answer: {
      summary: '429 {"errors":["Too many AI requests"]} + Retry-After: <whole seconds>',
      status: 429,
      body: studioErrors('Too many AI requests'),
      evidence: [
        'contract-notes.md §2.3.3 (429 row: generate.ts L39-68; aiMaxRequestsPerMinutePerUser default 20, parse-cli.ts L416-420)',
        'contract-notes.md §3 (the only Retry-After anywhere is Studio\'s 429)',
      ],
    },
    liveCost:
      'reaching Studio\'s limit takes 20 generations inside one minute (rejected requests are not counted, contract-notes.md §2.3.2 item 5): more than the paid budget of a run',
    counting: [
      'studio-observed.md §7 after-limit-invalid (a rate-limited user\'s invalid body: 422, not 429)',
      'studio-observed.md §7 after-limit-other-pipeline (upscale: 429 too, the limit is per user across pipelines)',
      'studio-observed.md §7 notes (401, 422 and 429 are not logged, so they do not count)',
    ],
  },
  gateway: {
    kind: 'none',
    reason: 'go-livepeer has no rate limiter on batch AI routes: it never answers 429',
    evidence: ['contract-notes.md §2.2.5 ("There is no 401, 403, 413, 422 or 429 from go-livepeer itself for batch AI routes")', 'documented-behaviours.md DOC-12 (gateway: none)'],
  },
  runner: {
    kind: 'none',
    reason: 'ai-runner has no rate limiter: its answers are 400, 401, 404, 405, 413, 415, 422 and 500, never 429',
    evidence: ['contract-notes.md §2.1.1 (every body the runner sends, by status)', 'documented-behaviours.md DOC-12 (runner: none)'],
  },
};

// ---------------------------------------------------------------------------------------------
// DOC-13: the 500 each layer sends when inference fails

/** The runner's generic pipeline error per route (runner-observed O116-O132, error mode generic). */
const RUNNER_PIPELINE_ERROR: Record<PipelineId, string> = {
  'text-to-image': 'Text-to-image pipeline error.', // O116
  'image-to-image': 'Image-to-image pipeline error.', // O118
  'image-to-video': 'Image-to-video pipeline error.', // O120
  upscale: 'Upscale pipeline error.', // O122
  'audio-to-text': 'Audio-to-text pipeline error.', // O124
  'segment-anything-2': 'Segment-anything-2 pipeline error.', // O126
  llm: 'Internal server error during LLM processing.', // O132
  'image-to-text': 'Image-to-text pipeline error.', // O128
  'text-to-speech': 'Text-to-speech pipeline error.', // O130
};

export const SERVER_ERROR: Record<TargetId, (pipeline: PipelineId) => LayerAnswer> = {
  studio: (p) => ({
    summary: `500 {"errors":["Failed to generate ${p}"]}`,
    status: 500,
    body: studioErrors(`Failed to generate ${p}`),
    evidence: ['contract-notes.md §2.3.3 (500 row: any gateway status ≥ 500 for a non-admin user, generate.ts L236-240; generate.test.ts L350-390)'],
  }),
  gateway: () => ({
    summary: '500 {"error":{"message":"Internal Server Error"}}',
    status: 500,
    body: gatewayError('Internal Server Error'),
    evidence: ['contract-notes.md §2.2.1 (handlers.go L1722-1726: the message of a 500 is always "Internal Server Error")'],
  }),
  runner: (p) => ({
    summary: `500 {"detail":{"msg":"${RUNNER_PIPELINE_ERROR[p]}"}}`,
    status: 500,
    body: runnerMsg(RUNNER_PIPELINE_ERROR[p]),
    evidence: ['runner-observed.md O116-O132 (pipeline errors, error mode generic)', 'contract-notes.md §2.1.1 (handle_pipeline_exception)'],
  }),
};

/**
 * What DOC-13 tells a user to check when a 500 persists after one retry, filled in from the
 * request that got it: the model, the dimensions and the files it sent.
 */
export function serverErrorHint(spec: RequestSpec): string {
  const fields = sentFields(spec);
  const model = fields.get('model_id') ?? fields.get('model');
  const dims = ['height', 'width'].filter((f) => fields.has(f)).map((f) => `${f}=${fields.get(f)}`);
  const files = spec.body.kind === 'multipart' ? spec.body.parts.filter(isFilePart).map((p) => `${p.name}: ${p.file.filename} (${p.file.contentType}, ${p.file.bytes.byteLength} B)`) : [];
  return [
    `500 persists after one retry on ${spec.method} ${spec.path}: check, as DOC-13 says,`,
    `  - model_id: ${model === undefined ? "none sent (the layer's default model)" : model}`,
    `  - dimensions: ${dims.length ? dims.join(', ') : "none sent (the layer's defaults)"}`,
    `  - file format: ${files.length ? files.join('; ') : 'no file sent'}`,
  ].join('\n');
}

function sentFields(spec: RequestSpec): Map<string, string> {
  const b = spec.body;
  if (b.kind === 'json' && b.value && typeof b.value === 'object' && !Array.isArray(b.value)) {
    return new Map(Object.entries(b.value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  if (b.kind === 'multipart') return new Map(b.parts.flatMap((p) => (isFilePart(p) ? [] : [[p.name, p.value] as const])));
  return new Map();
}

// ---------------------------------------------------------------------------------------------
// RUN-01: what a layer answers on the route of a pipeline it does not serve

export const ROUTE_NOT_FOUND: Record<TargetId, LayerAnswer> = {
  studio: {
    summary: '404 {"errors":["not found"]}',
    status: 404,
    body: studioErrors('not found'),
    evidence: ['studio-observed.md §2 nokey-image-to-text, nokey-text-to-speech (minimal request, no key: 404 before any auth)', 'studio-observed.md §5 image-to-text-post (valid key: 404)'],
  },
  gateway: {
    summary: '404 "404 page not found" (text/plain)',
    status: 404,
    body: plainText(/^404 page not found\n?$/),
    evidence: ['contract-notes.md §2.2.2 (unknown path: Go ServeMux 404 `404 page not found`, text/plain; derived)'],
  },
  runner: {
    summary: '404 {"detail":"Not Found"}',
    status: 404,
    body: starletteDetail('Not Found'),
    evidence: ['runner-observed.md O138 (a container serving upscale: POST /text-to-image 404 {"detail":"Not Found"})', 'runner-observed.md O6 (unknown path)'],
  },
};

// ---------------------------------------------------------------------------------------------
// The runner's model check: a request for a model the container did not load.

/** Routes whose mismatch message has no final period (contract-notes §2.1.3; runner-observed O85, O80, O94). */
const MISMATCH_WITHOUT_PERIOD: readonly PipelineId[] = ['llm', 'image-to-text', 'text-to-speech'];

/** The runner's 400 message for a request that names another model than the one it loaded. */
export const runnerModelMismatch = (pipeline: PipelineId, loaded: string, requested: string): string =>
  `pipeline configured with ${loaded} but called with ${requested}${MISMATCH_WITHOUT_PERIOD.includes(pipeline) ? '' : '.'}`;
