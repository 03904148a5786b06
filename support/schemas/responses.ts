// 200 bodies: one schema per response model of the gateway spec v0.14.1
// (ai-runner runner/gateway.openapi.yaml, components.schemas; contract-notes.md §1.3).
//
// Strictness follows the spec: every `required` field is required, and extra keys are allowed
// (z.looseObject) because the spec sets no `additionalProperties: false` on any response model.
// Where a layer sends something the spec does not allow (the runner's `"delta": null`,
// runner-observed O83), the spec-faithful schema rejects it; a separately named schema describes
// what is sent, for deviation pins only.
import { z } from 'zod';
import type { ResponseModel, TargetId } from '../catalogue.ts';

// ---------------------------------------------------------------------------------------------
// Media models

export const Media = z.looseObject({
  url: z.string(),
  seed: z.int(),
  nsfw: z.boolean(),
});
export type Media = z.infer<typeof Media>;

export const ImageResponse = z.looseObject({
  images: z.array(Media),
});
export type ImageResponse = z.infer<typeof ImageResponse>;

/** image-to-video as the gateway spec (and so Studio, which passes it through) has it: `url` is an .mp4. */
export const VideoResponseGateway = z.looseObject({
  images: z.array(Media),
});
export type VideoResponseGateway = z.infer<typeof VideoResponseGateway>;

/** image-to-video as the runner's own spec (runner/openapi.yaml) has it: one data-URL PNG per frame. */
export const VideoResponseRunner = z.looseObject({
  frames: z.array(z.array(Media)),
});
export type VideoResponseRunner = z.infer<typeof VideoResponseRunner>;

export const MediaURL = z.looseObject({
  url: z.string(),
});
export type MediaURL = z.infer<typeof MediaURL>;

export const AudioResponse = z.looseObject({
  audio: MediaURL,
});
export type AudioResponse = z.infer<typeof AudioResponse>;

// ---------------------------------------------------------------------------------------------
// Text models

/** `timestamp` is an untyped array in the spec (`items: {}`); in practice `[start, end]`. */
export const Chunk = z.looseObject({
  timestamp: z.array(z.unknown()),
  text: z.string(),
});
export type Chunk = z.infer<typeof Chunk>;

export const TextResponse = z.looseObject({
  text: z.string(),
  chunks: z.array(Chunk),
});
export type TextResponse = z.infer<typeof TextResponse>;

/** Strings holding Python list reprs (`str(ndarray.tolist())`), not JSON arrays (contract-notes §1.3). */
export const MasksResponse = z.looseObject({
  masks: z.string(),
  scores: z.string(),
  logits: z.string(),
});
export type MasksResponse = z.infer<typeof MasksResponse>;

export const ImageToTextResponse = z.looseObject({
  text: z.string(),
});
export type ImageToTextResponse = z.infer<typeof ImageToTextResponse>;

// ---------------------------------------------------------------------------------------------
// LLM

export const LLMMessage = z.looseObject({
  role: z.string(),
  content: z.string(),
});
export type LLMMessage = z.infer<typeof LLMMessage>;

/**
 * Spec-faithful: `delta` and `message` are optional LLMMessage objects, so `null` is rejected.
 * The runner sends `"delta": null` in every non-streamed choice (runner-observed O83); the gateway
 * re-encodes its Go struct and omits nil pointers (contract-notes §1.3), which this accepts.
 */
export const LLMChoice = z.looseObject({
  index: z.int(),
  finish_reason: z.string().optional(), // spec: default ""
  delta: LLMMessage.optional(),
  message: LLMMessage.optional(),
});
export type LLMChoice = z.infer<typeof LLMChoice>;

export const LLMTokenUsage = z.looseObject({
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
  total_tokens: z.int(),
});
export type LLMTokenUsage = z.infer<typeof LLMTokenUsage>;

export const LLMResponse = z.looseObject({
  id: z.string(),
  model: z.string(),
  created: z.int(),
  usage: LLMTokenUsage,
  choices: z.array(LLMChoice),
});
export type LLMResponse = z.infer<typeof LLMResponse>;

/**
 * NOT the spec: what the runner sends for a non-streamed /llm (runner-observed O83), i.e.
 * LLMResponse with `"delta": null` in its choices. For the deviation pin of that difference only;
 * a documented expectation uses LLMResponse.
 */
export const LLMResponseWithNullDelta = LLMResponse.extend({
  choices: z.array(LLMChoice.extend({ delta: z.null() })),
});
export type LLMResponseWithNullDelta = z.infer<typeof LLMResponseWithNullDelta>;

// ---------------------------------------------------------------------------------------------
// LLM stream (`"stream": true`): text/event-stream. The spec publishes no schema for it (its /llm
// 200 is application/json LLMResponse only), so this is written from the sources: each event is
// an LLMResponse-shaped chunk carrying `delta` (runner routes/llm.py L109-122; runner-observed
// O84); the runner sets `"message": null` in chunks, the gateway omits nil fields.
// The runner ends with `data: [DONE]`; the gateway never sends it and stops after the first chunk
// with a non-empty finish_reason (contract-notes §1.3, LLM stream row; go-livepeer
// ai_process.go::handleSSEStream L1204-1245).

export const LLMStreamChoice = LLMChoice.extend({
  delta: LLMMessage,
  message: LLMMessage.nullish(),
});
export type LLMStreamChoice = z.infer<typeof LLMStreamChoice>;

export const LLMStreamChunk = LLMResponse.extend({
  choices: z.array(LLMStreamChoice),
});
export type LLMStreamChunk = z.infer<typeof LLMStreamChunk>;

/** A failure inside a started stream: status 200, one `data: {"error": "..."}`, no [DONE] (runner-observed O89, O133). */
export const LLMStreamError = z.strictObject({
  error: z.string(),
});
export type LLMStreamError = z.infer<typeof LLMStreamError>;

export interface SseBody {
  /** Each event's data, parsed as JSON; data that is not JSON stays a string (so a schema names it). */
  events: unknown[];
  /** True when the last event is `data: [DONE]` (not itself listed in events). */
  done: boolean;
}

const DONE = '[DONE]';

/**
 * Parses a text/event-stream body per the WHATWG SSE rules that matter here: events end at a
 * blank line; `data:` lines (one optional space after the colon) are joined with "\n"; comments
 * (`:`) and other fields (`event:`, `id:`, `retry:`) are ignored; CRLF, CR and LF all end a line.
 * A `[DONE]` that is not last stays in `events`, so a chunk schema rejects it.
 */
export function parseSse(text: string): SseBody {
  const datas: string[] = [];
  let lines: string[] | undefined;
  const flush = () => {
    if (lines) datas.push(lines.join('\n'));
    lines = undefined;
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') continue;
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    (lines ??= []).push(value);
  }
  flush(); // unlike a browser, keep an unterminated last event: quoted bodies often lose the final blank line
  const done = datas.at(-1) === DONE;
  const payloads = done ? datas.slice(0, -1) : datas;
  return { events: payloads.map(parseData), done };
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

const sseBody = z.string().transform(parseSse);

/** The runner's stream: at least one chunk, then `[DONE]` (runner-observed O84). */
export const LLMStreamRunner = sseBody.pipe(
  z.object({
    events: z.array(LLMStreamChunk).min(1),
    done: z.literal(true, { error: 'expected the stream to end with data: [DONE]' }),
  }),
);

/** The gateway's stream: at least one chunk, no `[DONE]` (contract-notes §1.3, LLM stream row). */
export const LLMStreamGateway = sseBody.pipe(
  z.object({
    events: z.array(LLMStreamChunk).min(1),
    done: z.literal(false, { error: 'a gateway never sends data: [DONE]' }),
  }),
);

/** Which stream form each target sends. Studio passes the gateway body through (contract-notes §2.3.3). */
export const LLM_STREAM_BY_TARGET: Record<TargetId, z.ZodType> = {
  studio: LLMStreamGateway,
  gateway: LLMStreamGateway,
  runner: LLMStreamRunner,
};

// ---------------------------------------------------------------------------------------------
// Choosing a schema for a pipeline

/** The gateway spec's schema for each response model the catalogue names. */
export const RESPONSE_SCHEMAS: Record<ResponseModel, z.ZodType> = {
  ImageResponse,
  VideoResponse: VideoResponseGateway,
  TextResponse,
  MasksResponse,
  LLMResponse,
  ImageToTextResponse,
  AudioResponse,
};

/**
 * Where a target's own contract uses another form of a model. Only image-to-video differs: the
 * runner answers with its own spec's `frames` (runner-observed O58); the gateway turns the frames
 * into one .mp4 and Studio passes that through.
 */
export const TARGET_FORMS: Partial<Record<ResponseModel, Partial<Record<TargetId, z.ZodType>>>> = {
  VideoResponse: { runner: VideoResponseRunner },
};

/** The 200-body schema a spec expects from `target` for a pipeline's response model. */
export function responseSchemaFor(model: ResponseModel, target: TargetId): z.ZodType {
  return TARGET_FORMS[model]?.[target] ?? RESPONSE_SCHEMAS[model];
}
