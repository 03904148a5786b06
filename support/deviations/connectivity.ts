// DOC-01 deviations: what GET and HEAD on a generate route answer instead of 405.
import type { Deviation } from './types.ts';
import { emptyBody } from '../schemas/expectations.ts';
import { studioErrors } from '../schemas/index.ts';

export const connectivity: readonly Deviation[] = [
  // DOC-01: GET/HEAD on a generate route.
  {
    id: 'studio-doc01-get-404',
    check: 'DOC-01',
    target: 'studio',
    pipelines: 'all',
    case: 'GET',
    summary: "Studio's catch-all answers any non-POST method on a generate path with 404 not found",
    pinned: { summary: '404 {"errors":["not found"]}', status: 404, body: studioErrors('not found') },
    evidence: ['contract-notes.md §2.3.3 (404 row: packages/api/src/app-router.ts L278-280, catch-all NotFoundError)', 'contract-notes.md §6.1'],
  },
  {
    id: 'studio-doc01-head-404',
    check: 'DOC-01',
    target: 'studio',
    pipelines: 'all',
    case: 'HEAD',
    summary: 'Express routes HEAD like GET, so HEAD meets the same catch-all 404, without a body',
    pinned: { summary: '404, empty body', status: 404, body: emptyBody },
    evidence: ['contract-notes.md §2.3.3 (404 row: app-router.ts L278-280)', 'contract-notes.md §2.4 (GET/HEAD row)'],
  },
  {
    id: 'gateway-doc01-200-empty',
    check: 'DOC-01',
    target: 'gateway',
    pipelines: 'all',
    summary: "go-livepeer's OpenAPI validator only logs a method mismatch and writes nothing, so Go sends an implicit 200 with an empty body",
    pinned: { summary: '200, empty body', status: 200, body: emptyBody },
    evidence: [
      'contract-notes.md §2.2.2 (server/ai_mediaserver.go L63-81: oapiReqValidator ErrorHandler only logs)',
      'contract-notes.md §2.2.5 (200, empty row)',
      'contract-notes.md §6.1',
    ],
  },
];

