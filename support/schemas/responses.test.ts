// Each 200-body schema accepts a real body from the reference and rejects a wrong one with a
// message naming the field. Bodies are quoted from runner-observed.md (exchange ids) or, for the
// gateway forms nobody has recorded yet, derived as contract-notes.md §1.3 says the gateway
// re-encodes them (alphabetical Go struct order, object-store URLs, nil fields omitted).
import { describe, expect, test } from 'vitest';
import { PIPELINES, TARGET_IDS, pipelineList, serves, type ResponseModel, type TargetId } from '../catalogue.ts';
import {
  AudioResponse,
  Chunk,
  ImageResponse,
  ImageToTextResponse,
  LLMChoice,
  LLMMessage,
  LLMResponse,
  LLMResponseWithNullDelta,
  LLMStreamChunk,
  LLMStreamError,
  LLMStreamGateway,
  LLMStreamRunner,
  LLMTokenUsage,
  LLM_STREAM_BY_TARGET,
  MasksResponse,
  Media,
  MediaURL,
  RESPONSE_SCHEMAS,
  TextResponse,
  VideoResponseGateway,
  VideoResponseRunner,
  parseSse,
  responseSchemaFor,
} from './responses.ts';
import { accepted, rejection } from './schema-assertions.ts';

const PNG_1X1 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC';

// runner-observed O46: image-to-image, valid (200).
const O46 = { images: [{ url: PNG_1X1, seed: 3, nsfw: false }] };
// runner-observed O15: text-to-image, model_id omitted (200).
const O15 = { images: [{ url: PNG_1X1, seed: 2840245575, nsfw: false }] };
// Gateway form of an image body (contract-notes §1.3: alphabetical keys, object-store URL).
const GATEWAY_IMAGE = { images: [{ nsfw: false, seed: 3, url: 'https://gateway.example/stream/2b835716/01c0e9a6.png' }] };
// runner-observed O58: image-to-video, valid (200).
const O58 = { frames: [[{ url: PNG_1X1, seed: 5, nsfw: false }, { url: PNG_1X1, seed: 5, nsfw: false }]] };
// Gateway image-to-video: the docs example URL (contract-notes §1.3, ai/pipelines/image-to-video.mdx L104).
const GATEWAY_VIDEO = { images: [{ nsfw: false, seed: 5, url: '/stream/2b835716/01c0e9a6.mp4' }] };
// runner-observed O65, O66, O67: audio-to-text (200).
const O65 = { text: ' Runner loopback stub transcript.', chunks: [{ timestamp: [0.0, 1.0], text: ' Runner loopback stub transcript.' }] };
const O66 = { text: ' Runner loopback stub transcript.', chunks: [] };
const O67 = {
  text: ' Runner loopback stub transcript.',
  chunks: [
    { timestamp: [0.0, 0.25], text: ' Runner' },
    { timestamp: [0.25, 0.5], text: ' loopback' },
    { timestamp: [0.5, 0.75], text: ' stub' },
    { timestamp: [0.75, 1.0], text: ' transcript.' },
  ],
};
// runner-observed O75, O76: segment-anything-2 (200).
const O75 = {
  masks: '[[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]]',
  scores: '[0.75, 0.5, 0.25]',
  logits: '[[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]]',
};
const O76 = { masks: '[[[False, False], [False, False]]]', scores: '[0.25]', logits: '[[[0.0, 0.0], [0.0, 0.0]]]' };
// runner-observed O79: image-to-text, valid (200).
const O79 = { text: 'a photo of runner loopback stub caption' };
// runner-observed O92: text-to-speech, valid (200); the WAV is 1179 'A's of silence, rebuilt here.
const O92 = {
  audio: { url: 'data:audio/wav;base64,UklGRpYDAABXQVZFZm10IBAAAAABAAEARKwAAIhYAQACABAAZGF0YXID' + 'A'.repeat(1179) + '=' },
};
// runner-observed O83: llm, not streamed (200). Note `"delta": null`.
const O83 = {
  id: 'chatcmpl-bee90ad6-f156-4b56-8a80-9606de981104',
  model: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
  created: 1795606586,
  usage: { prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 },
  choices: [{ index: 0, finish_reason: 'stop', delta: null, message: { role: 'assistant', content: 'Runner loopback stub reply.' } }],
};
// The same reply through a gateway: Go struct re-encoded, nil `delta` omitted (contract-notes §1.3, LLM non-stream row).
const GATEWAY_LLM = {
  choices: [{ finish_reason: 'stop', index: 0, message: { content: 'Runner loopback stub reply.', role: 'assistant' } }],
  created: 1795606586,
  id: 'chatcmpl-bee90ad6-f156-4b56-8a80-9606de981104',
  model: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
  usage: { completion_tokens: 4, prompt_tokens: 2, total_tokens: 6 },
};

// runner-observed O84: llm, streamed (200 text/event-stream), verbatim.
const O84_CHUNK = (completion: number, total: number, content: string, finish = '') =>
  `{"id":"chatcmpl-dcd1358b-2eca-4e50-9af4-55420ec9dc0a","model":"meta-llama/Meta-Llama-3.1-8B-Instruct","created":1795606586,"usage":{"prompt_tokens":1,"completion_tokens":${completion},"total_tokens":${total}},"choices":[{"index":0,"finish_reason":"${finish}","delta":{"role":"assistant","content":"${content}"},"message":null}]}`;
const O84 = [
  O84_CHUNK(1, 2, 'Runner'),
  O84_CHUNK(2, 3, ' loopback'),
  O84_CHUNK(3, 4, ' stub'),
  O84_CHUNK(4, 5, ' reply.'),
  O84_CHUNK(4, 5, '', 'stop'),
  '[DONE]',
]
  .map((data) => `data: ${data}\n\n`)
  .join('');
// The gateway's stream: each chunk re-marshalled, nil `message` omitted, no [DONE]; it ends after
// the first chunk with a non-empty finish_reason (contract-notes §1.3, LLM stream row). Derived.
const GATEWAY_CHUNK = (content: string, finish?: string) =>
  JSON.stringify({
    choices: [{ delta: { content, role: 'assistant' }, ...(finish ? { finish_reason: finish } : {}), index: 0 }],
    created: 1795606586,
    id: 'chatcmpl-dcd1358b-2eca-4e50-9af4-55420ec9dc0a',
    model: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
    usage: { completion_tokens: 1, prompt_tokens: 1, total_tokens: 2 },
  });
const GATEWAY_STREAM = [GATEWAY_CHUNK('Runner'), GATEWAY_CHUNK('', 'stop')].map((data) => `data: ${data}\n\n`).join('');
// runner-observed O89: llm, messages empty, streamed: 200 with one error event and no [DONE].
const O89 = 'data: {"error": "Messages cannot be empty"}\n\n';

describe('media models', () => {
  test('Media accepts the image of runner-observed O46', () => {
    expect(accepted(Media, O46.images[0])).toEqual(O46.images[0]);
  });
  test('Media rejects a string seed and a missing nsfw, naming each field', () => {
    expect(rejection(Media, { url: PNG_1X1, seed: '3', nsfw: false })).toContain('→ at seed');
    const missing = rejection(Media, { url: PNG_1X1, seed: 3 });
    expect(missing).toContain('expected boolean, received undefined');
    expect(missing).toContain('→ at nsfw');
  });

  test('ImageResponse accepts runner O46 and O15 (seed above 2^31) and the gateway form of contract-notes §1.3', () => {
    accepted(ImageResponse, O46);
    accepted(ImageResponse, O15);
    accepted(ImageResponse, GATEWAY_IMAGE);
  });
  test('ImageResponse keeps keys the spec does not list: it sets no additionalProperties:false', () => {
    expect(accepted(ImageResponse, { ...O46, timings: { inference: 1 } })).toHaveProperty('timings');
  });
  test('ImageResponse rejects a fractional seed inside images and a missing images', () => {
    expect(rejection(ImageResponse, { images: [{ url: PNG_1X1, seed: 1.5, nsfw: false }] })).toContain('→ at images[0].seed');
    expect(rejection(ImageResponse, { image: O46.images })).toContain('→ at images');
  });

  test('VideoResponseRunner accepts runner-observed O58 (frames)', () => {
    accepted(VideoResponseRunner, O58);
  });
  test('VideoResponseRunner rejects frames that are not arrays of Media, and the gateway form', () => {
    expect(rejection(VideoResponseRunner, { frames: O58.frames[0] })).toContain('→ at frames[0]');
    expect(rejection(VideoResponseRunner, GATEWAY_VIDEO)).toContain('→ at frames');
  });
  test('VideoResponseGateway accepts the docs example .mp4 body (contract-notes §1.3)', () => {
    accepted(VideoResponseGateway, GATEWAY_VIDEO);
  });
  test('VideoResponseGateway rejects the runner form O58 and a missing url', () => {
    expect(rejection(VideoResponseGateway, O58)).toContain('→ at images');
    expect(rejection(VideoResponseGateway, { images: [{ seed: 5, nsfw: false }] })).toContain('→ at images[0].url');
  });

  test('MediaURL and AudioResponse accept runner-observed O92 (text-to-speech)', () => {
    accepted(MediaURL, O92.audio);
    accepted(AudioResponse, O92);
  });
  test('AudioResponse rejects a bare URL string and a MediaURL without url', () => {
    expect(rejection(AudioResponse, { audio: O92.audio.url })).toContain('→ at audio');
    expect(rejection(AudioResponse, { audio: {} })).toContain('→ at audio.url');
    expect(rejection(MediaURL, { href: 'x' })).toContain('→ at url');
  });
});

describe('text models', () => {
  test('Chunk accepts each chunk of runner-observed O67 (word timestamps)', () => {
    for (const chunk of O67.chunks) accepted(Chunk, chunk);
  });
  test('Chunk rejects a timestamp that is not an array', () => {
    expect(rejection(Chunk, { timestamp: '0.0-1.0', text: ' Runner' })).toContain('→ at timestamp');
  });

  test('TextResponse accepts runner-observed O65, O66 (no chunks) and O67', () => {
    accepted(TextResponse, O65);
    accepted(TextResponse, O66);
    accepted(TextResponse, O67);
  });
  test('TextResponse rejects a missing chunks list and a chunk with numeric text', () => {
    expect(rejection(TextResponse, { text: O65.text })).toContain('→ at chunks');
    expect(rejection(TextResponse, { text: 'x', chunks: [{ timestamp: [0, 1], text: 1 }] })).toContain('→ at chunks[0].text');
  });

  test('MasksResponse accepts runner-observed O75 and O76 (Python list reprs)', () => {
    accepted(MasksResponse, O75);
    accepted(MasksResponse, O76);
  });
  test('MasksResponse rejects masks sent as a JSON array, and a missing logits', () => {
    expect(rejection(MasksResponse, { ...O75, masks: [[[0, 0]]] })).toContain('→ at masks');
    const { logits: _omitted, ...noLogits } = O75;
    expect(rejection(MasksResponse, noLogits)).toContain('→ at logits');
  });

  test('ImageToTextResponse accepts runner-observed O79', () => {
    accepted(ImageToTextResponse, O79);
  });
  test('ImageToTextResponse rejects a body without text', () => {
    expect(rejection(ImageToTextResponse, { caption: O79.text })).toContain('→ at text');
  });
});

describe('LLM, not streamed', () => {
  test('LLMMessage accepts the message of runner-observed O83 and rejects one without role', () => {
    accepted(LLMMessage, O83.choices[0]?.message);
    expect(rejection(LLMMessage, { content: 'hi' })).toContain('→ at role');
  });
  test('LLMTokenUsage accepts the usage of O83 and rejects a string count', () => {
    accepted(LLMTokenUsage, O83.usage);
    expect(rejection(LLMTokenUsage, { ...O83.usage, total_tokens: '6' })).toContain('→ at total_tokens');
  });
  test('LLMChoice accepts the gateway choice (nil delta omitted) and rejects a missing index', () => {
    accepted(LLMChoice, GATEWAY_LLM.choices[0]);
    expect(rejection(LLMChoice, { finish_reason: 'stop' })).toContain('→ at index');
  });
  test('LLMChoice is spec-faithful: the runner\'s "delta": null (O83) is rejected at delta', () => {
    const message = rejection(LLMChoice, O83.choices[0]);
    expect(message).toContain('expected object, received null');
    expect(message).toContain('→ at delta');
  });

  test('LLMResponse accepts the gateway re-encoding of O83 (contract-notes §1.3, LLM non-stream row)', () => {
    accepted(LLMResponse, GATEWAY_LLM);
  });
  test('LLMResponse rejects the runner body O83 verbatim at choices[0].delta: a deviation to pin, not to loosen', () => {
    expect(rejection(LLMResponse, O83)).toContain('→ at choices[0].delta');
  });
  test('LLMResponse rejects a missing usage and a string created', () => {
    const { usage: _omitted, ...noUsage } = GATEWAY_LLM;
    expect(rejection(LLMResponse, noUsage)).toContain('→ at usage');
    expect(rejection(LLMResponse, { ...GATEWAY_LLM, created: '1795606586' })).toContain('→ at created');
  });
  test('LLMResponseWithNullDelta describes O83 exactly, and rejects the spec form (delta omitted)', () => {
    accepted(LLMResponseWithNullDelta, O83);
    expect(rejection(LLMResponseWithNullDelta, GATEWAY_LLM)).toContain('→ at choices[0].delta');
  });
});

describe('LLM stream', () => {
  test('parseSse reads runner-observed O84: five chunks, then [DONE]', () => {
    const sse = parseSse(O84);
    expect(sse.done).toBe(true);
    expect(sse.events).toHaveLength(5);
    expect(sse.events.map((e) => (e as { choices: { delta: { content: string } }[] }).choices[0]?.delta.content).join('')).toBe(
      'Runner loopback stub reply.',
    );
  });
  test('parseSse: no [DONE] from a gateway, CRLF lines, comments, other fields, multi-line data, no final blank line', () => {
    expect(parseSse(GATEWAY_STREAM)).toMatchObject({ done: false, events: [{ id: expect.any(String) }, { id: expect.any(String) }] });
    expect(parseSse(': keep-alive\r\nevent: message\r\nid: 7\r\ndata: {"a":\r\ndata:1}\r\n\r\ndata: [DONE]')).toEqual({
      events: [{ a: 1 }],
      done: true,
    });
  });
  test('parseSse keeps data that is not JSON, and a [DONE] that is not last, as strings', () => {
    expect(parseSse('data: [DONE]\n\ndata: oops\n\n')).toEqual({ events: ['[DONE]', 'oops'], done: false });
  });

  test('LLMStreamChunk accepts the first chunk of O84 ("message": null) and a gateway chunk (message omitted)', () => {
    accepted(LLMStreamChunk, parseSse(O84).events[0]);
    accepted(LLMStreamChunk, parseSse(GATEWAY_STREAM).events[1]);
  });
  test('LLMStreamChunk rejects a chunk without delta', () => {
    expect(rejection(LLMStreamChunk, { ...GATEWAY_LLM })).toContain('→ at choices[0].delta');
  });
  test('LLMStreamError accepts the error event of runner-observed O89 and rejects a chunk', () => {
    accepted(LLMStreamError, parseSse(O89).events[0]);
    expect(rejection(LLMStreamError, parseSse(O84).events[0])).toContain('→ at error');
  });

  test('LLMStreamRunner accepts the O84 body text', () => {
    accepted(LLMStreamRunner, O84);
  });
  test('LLMStreamRunner rejects a stream without [DONE] and the O89 error stream, naming where', () => {
    const noDone = rejection(LLMStreamRunner, GATEWAY_STREAM);
    expect(noDone).toContain('expected the stream to end with data: [DONE]');
    expect(noDone).toContain('→ at done');
    expect(rejection(LLMStreamRunner, O89)).toContain('→ at events[0].id');
  });
  test('LLMStreamGateway accepts the gateway stream and rejects one ending in [DONE]', () => {
    accepted(LLMStreamGateway, GATEWAY_STREAM);
    const message = rejection(LLMStreamGateway, O84);
    expect(message).toContain('a gateway never sends data: [DONE]');
    expect(message).toContain('→ at done');
  });
  test('LLM_STREAM_BY_TARGET: the runner ends with [DONE]; the gateway and Studio (pass-through) do not', () => {
    accepted(LLM_STREAM_BY_TARGET.runner, O84);
    accepted(LLM_STREAM_BY_TARGET.gateway, GATEWAY_STREAM);
    accepted(LLM_STREAM_BY_TARGET.studio, GATEWAY_STREAM);
  });
});

describe('choosing the schema for a pipeline', () => {
  // One real (or §1.3-derived) body per model and form.
  const SPEC_FORM: Record<ResponseModel, unknown> = {
    ImageResponse: O46,
    VideoResponse: GATEWAY_VIDEO,
    TextResponse: O65,
    MasksResponse: O75,
    LLMResponse: GATEWAY_LLM,
    ImageToTextResponse: O79,
    AudioResponse: O92,
  };
  const TARGET_FORM: Partial<Record<TargetId, Partial<Record<ResponseModel, unknown>>>> = { runner: { VideoResponse: O58 } };
  const bodyFor = (model: ResponseModel, target: TargetId) => TARGET_FORM[target]?.[model] ?? SPEC_FORM[model];

  test('RESPONSE_SCHEMAS has a schema for every response model the catalogue names', () => {
    const models = new Set(pipelineList().map((p) => p.responseModel));
    expect(Object.keys(RESPONSE_SCHEMAS).sort()).toEqual([...models].sort());
  });

  const rows = pipelineList().flatMap((p) => TARGET_IDS.filter((t) => serves(t, p.id)).map((t) => ({ pipeline: p.id, target: t })));
  test.for(rows)('responseSchemaFor($pipeline, $target) accepts that target\'s form', ({ pipeline, target }) => {
    const model = PIPELINES[pipeline].responseModel;
    accepted(responseSchemaFor(model, target), bodyFor(model, target));
  });

  test('image-to-video: gateway and Studio expect images, the runner frames; each rejects the other form', () => {
    expect(rejection(responseSchemaFor('VideoResponse', 'gateway'), O58)).toContain('→ at images');
    expect(rejection(responseSchemaFor('VideoResponse', 'studio'), O58)).toContain('→ at images');
    expect(rejection(responseSchemaFor('VideoResponse', 'runner'), GATEWAY_VIDEO)).toContain('→ at frames');
  });
});
