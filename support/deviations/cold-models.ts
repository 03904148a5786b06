// DOC-07 deviations: what a layer answers for a cold model instead of "503 or a long pending
// response". Cases are states of the network (the cassettes play each with its own model id).
import type { Deviation } from './types.ts';
import { studioErrors } from '../schemas/index.ts';

/** Registry cases of specs/cold-models.spec.ts: the state of the network behind the gateway. */
export const COLD_CASES = {
  /** No orchestrator can take the model within the gateway's 2 s selection window (yet). */
  notReady: 'not ready',
  /** No orchestrator advertises the model at all. */
  notAdvertised: 'not advertised',
  /** An orchestrator advertises it cold and loads it while the request waits. */
  loading: 'loading',
} as const;

export const coldModels: readonly Deviation[] = [
  {
    id: 'studio-doc07-gateway-503-500',
    check: 'DOC-07',
    target: 'studio',
    pipelines: ['text-to-image'],
    case: COLD_CASES.notReady,
    summary:
      "Studio turns the gateway's 503 (no orchestrator can serve the model) into 500 Failed to generate <pipeline>: a Studio user never sees the 503 the docs' snippet retries",
    pinned: { summary: '500 {"errors":["Failed to generate text-to-image"]}', status: 500, body: studioErrors('Failed to generate text-to-image') },
    evidence: [
      'contract-notes.md §3 item 4 (through Studio, any gateway 5xx becomes 500 "Failed to generate <pipeline>")',
      'contract-notes.md §2.3.3 (500 row: generate.ts L236-240; generate.test.ts L350-390)',
      'contract-notes.md §6 item 4 (cold model gives 503: through Studio all of these become 500)',
    ],
  },
  {
    id: 'studio-doc07-dropped-500-fetcherror',
    check: 'DOC-07',
    target: 'studio',
    pipelines: ['text-to-image'],
    case: COLD_CASES.notAdvertised,
    summary:
      'when the gateway drops the connection (no orchestrator advertises the model), Studio answers 500 Internal server error: FetchError',
    pinned: { summary: '500 {"errors":["Internal server error: FetchError"]}', status: 500, body: studioErrors('Internal server error: FetchError') },
    evidence: [
      'contract-notes.md §3 item 4 (a dropped connection becomes 500 "Internal server error: FetchError")',
      'contract-notes.md §2.3.3 (500 row: generate.ts L214-233; generate.test.ts L392-412)',
    ],
  },
  {
    id: 'gateway-doc07-no-orchestrator-dropped',
    check: 'DOC-07',
    target: 'gateway',
    pipelines: ['text-to-image'],
    case: COLD_CASES.notAdvertised,
    summary:
      'when no orchestrator advertises the model, go-livepeer (since 609f72238, 2025-08-18) dereferences a nil liveParams and panics: the connection closes without a response instead of a 503',
    pinned: { summary: 'connection closed without a response (ECONNRESET / socket hang up)', status: 'dropped' },
    evidence: [
      'contract-notes.md §3 item 3 (ai_process.go L1587-1602, nil params.liveParams; builds before 2025-08-18 answer 503)',
      'go-livepeer issue #3867 (gateway panics with nil pointer dereference when no AI orchestrators are available, text-to-image)',
      'go-livepeer issue #3917 (curl: (52) Empty reply from server, audio-to-text); fix PR #3939 open in the stored copy',
    ],
  },
];
