// DOC-12 and DOC-13 deviations: a layer with no rate limit, where the docs tell users what to do
// when the rate-limit window is hit.
import type { Deviation } from './types.ts';
import { fastApiMissing, gatewayError } from '../schemas/index.ts';

/** Registry case of the DOC-12 burst check (specs/error-handling.spec.ts). */
export const BURST_CASE = 'burst';

export const errorHandling: readonly Deviation[] = [
  {
    id: 'gateway-doc12-no-rate-limit',
    check: 'DOC-12',
    target: 'gateway',
    pipelines: ['image-to-image'],
    case: BURST_CASE,
    summary:
      'go-livepeer has no rate limit: the last request of a burst gets the same answer as the first (here the 400 of a JSON body on a multipart route), never a 429',
    pinned: { summary: '400 {"error":{"message":"request Content-Type isn\'t multipart/form-data"}}', status: 400, body: gatewayError("request Content-Type isn't multipart/form-data") },
    evidence: [
      'contract-notes.md §2.2.5 (no 429 from go-livepeer itself for batch AI routes)',
      'contract-notes.md §2.2.2 (JSON sent where multipart is required: 400 "request Content-Type isn\'t multipart/form-data", Go http.ErrNotMultipart)',
      'documented-behaviours.md DOC-12 (gateway: none)',
    ],
  },
  {
    id: 'runner-doc12-no-rate-limit',
    check: 'DOC-12',
    target: 'runner',
    pipelines: ['image-to-image'],
    case: BURST_CASE,
    summary:
      'ai-runner has no rate limit: the last request of a burst gets the same answer as the first (here the 422 of a JSON body on a multipart route), never a 429',
    pinned: { summary: '422 {"detail":[missing body.prompt, missing body.image]}', status: 422, body: fastApiMissing(['prompt', 'image']) },
    evidence: [
      'runner-observed.md O40 (JSON body to multipart route /image-to-image: 422, prompt and image missing)',
      'contract-notes.md §2.1.1 (the runner\'s error bodies by status: no 429)',
      'documented-behaviours.md DOC-12 (runner: none)',
    ],
  },
];
