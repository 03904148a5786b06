// DOC-11 deviations: targets that check no key. The probes are support/data/auth-probe.ts's: what
// each pins is how the target answers the probe when nothing asks for a key.
import { pipelineList } from '../catalogue.ts';
import { NO_KEY_CHECK, NOT_LOADED_MODEL } from '../data/auth-probe.ts';
import type { Deviation } from './types.ts';
import { gatewayError, runnerMsg } from '../schemas/index.ts';

const byEncoding = (encoding: 'json' | 'multipart') => pipelineList().filter((p) => p.encoding === encoding).map((p) => p.id);

const NO_AUTH_EVIDENCE = 'contract-notes.md §5 (go-livepeer ai_mediaserver.go L70-74: the spec\'s HTTPBearer is ignored via NoopAuthenticationFunc; no API-key auth on batch AI routes)';

export const auth: readonly Deviation[] = [
  {
    id: 'gateway-doc11-no-auth-json-routes',
    check: 'DOC-11',
    target: 'gateway',
    pipelines: byEncoding('json'),
    case: NO_KEY_CHECK,
    summary:
      'go-livepeer checks no key: a request without a valid one is decoded like any other, so the probe (a JSON route sent multipart) gets the JSON decoder\'s 400 instead of 401',
    pinned: { summary: '400 {"error":{"message":"invalid character \'-\' in numeric literal"}}', status: 400, body: gatewayError("invalid character '-' in numeric literal") },
    evidence: [
      NO_AUTH_EVIDENCE,
      'contract-notes.md §2.2.2 (JSON routes decode with json.NewDecoder, server/utils.go L13-15: a multipart body gives 400 `invalid character \'-\' in numeric literal`; derived, not observed)',
      'contract-notes.md §2.4 (no/invalid auth row: "none")',
    ],
  },
  {
    id: 'gateway-doc11-no-auth-multipart-routes',
    check: 'DOC-11',
    target: 'gateway',
    pipelines: byEncoding('multipart'),
    case: NO_KEY_CHECK,
    summary:
      'go-livepeer checks no key: a request without a valid one is decoded like any other, so the probe (a multipart route sent JSON) gets the multipart reader\'s 400 instead of 401',
    pinned: {
      summary: '400 {"error":{"message":"request Content-Type isn\'t multipart/form-data"}}',
      status: 400,
      body: gatewayError("request Content-Type isn't multipart/form-data"),
    },
    evidence: [
      NO_AUTH_EVIDENCE,
      'contract-notes.md §2.2.2 (multipart routes: r.MultipartReader() fails with Go http.ErrNotMultipart → 400)',
      'contract-notes.md §2.4 (JSON sent to a multipart route row; no/invalid auth row: "none")',
    ],
  },
  {
    id: 'runner-doc11-no-token',
    check: 'DOC-11',
    target: 'runner',
    pipelines: 'all',
    case: NO_KEY_CHECK,
    when: { checksToken: false },
    summary:
      'a runner started without AUTH_TOKEN checks no key: the probe passes the token check and meets the model check, 400 `pipeline configured with <loaded> but called with <requested>` (with a final period except on llm, image-to-text and text-to-speech)',
    pinned: {
      summary: `400 {"detail":{"msg":"pipeline configured with <loaded model> but called with ${NOT_LOADED_MODEL}[.]"}}`,
      status: 400,
      body: runnerMsg(new RegExp(`^pipeline configured with \\S+ but called with ${NOT_LOADED_MODEL.replace(/[/.]/g, '\\$&')}\\.?$`)),
    },
    evidence: [
      'contract-notes.md §2.1.1 (auth only when AUTH_TOKEN is set; order of checks: 422, empty prompt/text, auth, model_id mismatch)',
      'runner-observed.md O18, O53, O74, O80, O85, O94 (model mismatch bodies, no AUTH_TOKEN); O103 (with AUTH_TOKEN, auth comes before the model check)',
      'contract-notes.md §2.1.3 (no trailing period in llm, image-to-text and text-to-speech)',
    ],
  },
];
