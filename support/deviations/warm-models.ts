// DOC-09 deviations: a warm model of the documented table that does not answer its route with a
// 200 body of the spec's response model.
import type { Deviation } from './types.ts';
import { LLMResponseWithNullDelta, studioErrors } from '../schemas/index.ts';

export const warmModels: readonly Deviation[] = [
  {
    id: 'studio-doc09-llm-multipart-form',
    check: 'DOC-09',
    target: 'studio',
    pipelines: ['llm'],
    summary:
      "Studio validates /llm against the old multipart form schema (Body_genLLM), so the warm LLM cannot be asked with the spec's JSON LLMRequest: 422 before any gateway",
    pinned: { summary: '422 {"errors":["Expected multipart/form-data content-type"]}', status: 422, body: studioErrors('Expected multipart/form-data content-type') },
    evidence: [
      'contract-notes.md §6 item 6 (Studio registers llm as multipart with the old Body_genLLM schema)',
      'contract-notes.md §2.3.3 (422 row: middleware/validators.ts L28-32)',
      'documented-behaviours.md DOC-09 (studio: LLM route expects an old multipart form, §6.6)',
    ],
  },
  {
    id: 'runner-doc09-llm-null-delta',
    check: 'DOC-09',
    target: 'runner',
    pipelines: ['llm'],
    summary:
      'the warm LLM answers, but its body is not an LLMResponse of the spec: every non-streamed choice carries "delta": null (LLMChoice.delta is an LLMMessage, not nullable)',
    pinned: { summary: '200 LLMResponse with choices[].delta = null', status: 200, body: LLMResponseWithNullDelta },
    evidence: [
      'runner-observed.md O83 (llm, not streamed: "delta":null,"message":{…})',
      'contract-notes.md §1.3 (LLM non-stream row: runner routes/llm.py)',
    ],
  },
];
