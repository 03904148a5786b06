// DOC-15 deviations: 200 bodies that do not parse with the gateway spec's response model
// (ai-runner runner/gateway.openapi.yaml v0.14.1), and a route that answers no 200 at all.
import type { Deviation } from './types.ts';
import { LLMResponseWithNullDelta, LLMStreamRunner, studioErrors, VideoResponseRunner } from '../schemas/index.ts';

/** Registry cases of the /llm checks (specs/responses.spec.ts). */
export const LLM_CASES = { notStreamed: 'not streamed', streamed: 'streamed' } as const;

export const responses: readonly Deviation[] = [
  {
    id: 'runner-doc15-i2v-frames',
    check: 'DOC-15',
    target: 'runner',
    pipelines: ['image-to-video'],
    summary:
      "the runner answers image-to-video with its own spec's VideoResponse, {\"frames\":[[Media…]]} (one data-URL PNG per frame); only the gateway turns the frames into one .mp4 in {\"images\":[…]}",
    pinned: { summary: '200 {"frames":[[{"url":"data:image/png;base64,…","seed":…,"nsfw":…}, …]]}', status: 200, body: VideoResponseRunner },
    evidence: [
      'contract-notes.md §1.3 (VideoResponse: gateway spec {images: Media[]}, runner spec {frames: Media[][]}; gen_openapi.py translate_to_gateway rewrites it)',
      'runner-observed.md O58 (image-to-video, valid: 200 {"frames":[[…]]})',
    ],
  },
  {
    id: 'runner-doc15-llm-null-delta',
    check: 'DOC-15',
    target: 'runner',
    pipelines: ['llm'],
    case: LLM_CASES.notStreamed,
    summary:
      'the runner sends "delta": null in every non-streamed choice; the spec types LLMChoice.delta as an LLMMessage object (OpenAPI 3.1, not nullable), so null is not allowed',
    pinned: { summary: '200 LLMResponse with choices[].delta = null', status: 200, body: LLMResponseWithNullDelta },
    evidence: [
      'runner-observed.md O83 (llm, not streamed: "delta":null,"message":{…})',
      'contract-notes.md §1.3 (LLM non-stream row: runner routes/llm.py; the gateway re-encodes and omits nil delta)',
      'ai-runner runner/gateway.openapi.yaml v0.14.1 components.schemas.LLMChoice (delta: $ref LLMMessage, no null)',
    ],
  },
  {
    id: 'runner-doc15-llm-stream-null-message',
    check: 'DOC-15',
    target: 'runner',
    pipelines: ['llm'],
    case: LLM_CASES.streamed,
    summary:
      'the runner streams chunks with "message": null (not an LLMMessage, as the spec types it) and ends the stream with data: [DONE]',
    pinned: { summary: '200 text/event-stream: LLMResponse chunks with "message": null, then data: [DONE]', status: 200, body: LLMStreamRunner },
    evidence: [
      'runner-observed.md O84 (llm, streamed: each chunk "delta":{…},"message":null; last line data: [DONE])',
      'contract-notes.md §1.3 (LLM stream row: routes/llm.py L109-122)',
      'ai-runner runner/gateway.openapi.yaml v0.14.1 components.schemas.LLMChoice (message: $ref LLMMessage, no null)',
    ],
  },
  {
    id: 'studio-doc15-llm-multipart-form',
    check: 'DOC-15',
    target: 'studio',
    pipelines: ['llm'],
    summary:
      "Studio validates /llm against the old multipart form schema (Body_genLLM: prompt, system_msg, history…), so the spec's JSON LLMRequest is refused before it reaches a gateway",
    pinned: { summary: '422 {"errors":["Expected multipart/form-data content-type"]}', status: 422, body: studioErrors('Expected multipart/form-data content-type') },
    evidence: [
      'contract-notes.md §6 item 6 (Studio registers llm as multipart with the old Body_genLLM schema; JSON and urlencoded bodies get 422)',
      'contract-notes.md §2.3.3 (422 row: middleware/validators.ts L28-32, "Expected multipart/form-data content-type")',
      'documented-behaviours.md DOC-09 studio column (LLM route expects an old multipart form)',
    ],
  },
];
