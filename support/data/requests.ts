// Request builders, from the catalogue: the smallest valid request of each pipeline, and the
// documented bad variants (a field missing, a field of the wrong type, JSON where multipart is
// required). A draft is a neutral list of fields; `build` encodes it as the pipeline wants, or as
// the variant deliberately gets wrong.
import { modelField, PIPELINES, type Encoding, type PipelineId } from '../catalogue.ts';
import { MEDIA, type MediaFile } from './media.ts';
import type { AuthMode, Body, RequestSpec } from '../http/wire.ts';

export type FieldValue = string | number | boolean | null | readonly unknown[] | { readonly [k: string]: unknown } | { file: MediaFile };

export interface RequestDraft {
  pipeline: PipelineId;
  /** Ordered: multipart parts are sent in this order. */
  fields: ReadonlyArray<readonly [string, FieldValue]>;
  encoding: Encoding;
  auth: AuthMode;
  /** Runs a model when the target accepts it. */
  paid: boolean;
  method?: string;
  headers?: Record<string, string>;
  /** Sent instead of the encoded fields: a body no encoder would make (malformed JSON, DOC-03). */
  raw?: { text: string; contentType?: string };
}

const isFile = (v: FieldValue): v is { file: MediaFile } => typeof v === 'object' && v !== null && 'file' in v;

/** The model the docs name for a pipeline: the warm model, else Studio's documented default. */
export function documentedModel(pipeline: PipelineId): string {
  const p = PIPELINES[pipeline];
  return p.warmModel ?? p.defaultModel.studio ?? p.defaultModel.gateway ?? '';
}

/** The smallest request each pipeline's spec accepts, with the documented model. */
const MINIMAL_FIELDS: Record<PipelineId, (model: string) => Array<[string, FieldValue]>> = {
  // DOC-10's request, exactly: {"prompt":"test","model_id":"SG161222/RealVisXL_V4.0_Lightning"}.
  'text-to-image': (m) => [['prompt', 'test'], ['model_id', m]],
  'image-to-image': (m) => [['prompt', 'test'], ['image', { file: MEDIA.image }], ['model_id', m]],
  'image-to-video': (m) => [['image', { file: MEDIA.image }], ['model_id', m]],
  upscale: (m) => [['prompt', 'test'], ['image', { file: MEDIA.image }], ['model_id', m]],
  'audio-to-text': (m) => [['audio', { file: MEDIA.audio }], ['model_id', m]],
  'segment-anything-2': (m) => [['image', { file: MEDIA.image }], ['model_id', m]],
  // The spec requires only `messages`; a go-livepeer gateway also requires model, max_tokens and
  // stream (contract-notes §1.2 llm), so a request that works everywhere names all four.
  llm: (m) => [['messages', [{ role: 'user', content: 'test' }]], ['model', m], ['max_tokens', 8], ['stream', false]],
  'image-to-text': (m) => [['image', { file: MEDIA.image }], ['model_id', m]],
  // `text` is optional in the spec but required in practice (contract-notes §6.13).
  'text-to-speech': (m) => [['text', 'test'], ['model_id', m]],
};

export function minimalDraft(pipeline: PipelineId, model = documentedModel(pipeline)): RequestDraft {
  return { pipeline, fields: MINIMAL_FIELDS[pipeline](model), encoding: PIPELINES[pipeline].encoding, auth: 'key', paid: true };
}

// ---------------------------------------------------------------------------------------------
// Variants. Each returns a new draft; none of them runs a model unless the target ignores the flaw.

export const withoutField = (d: RequestDraft, name: string): RequestDraft => ({ ...d, fields: d.fields.filter(([k]) => k !== name) });

/** Sets a field, replacing it in place or appending it. */
export function withField(d: RequestDraft, name: string, value: FieldValue): RequestDraft {
  const present = d.fields.some(([k]) => k === name);
  const fields = present ? d.fields.map(([k, v]) => [k, k === name ? value : v] as const) : [...d.fields, [name, value] as const];
  return { ...d, fields };
}

export const withModel = (d: RequestDraft, model: string): RequestDraft => withField(d, modelField(d.pipeline), model);
export const withoutModel = (d: RequestDraft): RequestDraft => withoutField(d, modelField(d.pipeline));
export const withAuth = (d: RequestDraft, auth: AuthMode): RequestDraft => ({ ...d, auth });
/** A request the target should reject before inference: costs nothing when it does. */
export const unpaid = (d: RequestDraft): RequestDraft => ({ ...d, paid: false });
export const encodedAs = (d: RequestDraft, encoding: Encoding): RequestDraft => ({ ...d, encoding });
/** The body as this text, with this content type, whatever the fields say. */
export const withRawBody = (d: RequestDraft, text: string, contentType?: string): RequestDraft => ({ ...d, raw: contentType === undefined ? { text } : { text, contentType } });

/** Integer fields of the pipeline's spec, each sent as a numeric string (DOC-06: "1024"). */
export function integersAsStrings(d: RequestDraft, values: Record<string, number>): RequestDraft {
  return Object.entries(values).reduce((draft, [name, n]) => withField(draft, name, String(n)), d);
}

// ---------------------------------------------------------------------------------------------
// Encoding.

const dataUrl = (f: MediaFile) => `data:${f.contentType};base64,${Buffer.from(f.bytes).toString('base64')}`;

function asText(v: FieldValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function encodeDraft(d: RequestDraft): Body {
  if (d.encoding === 'json') {
    // A file sent as JSON becomes a data URL string: what a user who skips multipart sends.
    return { kind: 'json', value: Object.fromEntries(d.fields.map(([k, v]) => [k, isFile(v) ? dataUrl(v.file) : v])) };
  }
  return {
    kind: 'multipart',
    parts: d.fields.map(([name, v]) => (isFile(v) ? { name, file: v.file } : { name, value: asText(v) })),
  };
}

export function build(d: RequestDraft): RequestSpec {
  return {
    method: d.method ?? 'POST',
    path: PIPELINES[d.pipeline].path,
    body: d.raw ? { kind: 'text', ...d.raw } : encodeDraft(d),
    auth: d.auth,
    paid: d.paid,
    ...(d.headers ? { headers: d.headers } : {}),
  };
}
