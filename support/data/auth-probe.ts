// DOC-11's requests: the credential cases of the docs ("a wrong or missing key"), and per target
// the request that shows how it treats them without running a model. Specs and the
// cassette authoring script both build from here, so the two cannot drift apart.
import { TARGETS, type CaseOf, type PipelineId, type Target, type TargetId } from '../catalogue.ts';
import { build, encodedAs, minimalDraft, unpaid, withAuth, withModel, type RequestDraft } from './requests.ts';
import type { AuthMode, RequestSpec } from '../http/wire.ts';

export interface AuthCase {
  /** Case id, as registry entries and test names use it. */
  id: Exclude<CaseOf<'DOC-11'>, typeof NO_KEY_CHECK>;
  auth: Exclude<AuthMode, 'key'>;
  /** What is sent, for test names and reports. */
  sends: string;
}

export const AUTH_CASES: readonly AuthCase[] = [
  { id: 'missing-key', auth: 'none', sends: 'no Authorization header' },
  { id: 'malformed-header', auth: 'malformed', sends: '`Authorization: Bearer` with no token' },
  { id: 'unknown-key', auth: 'unknown-key', sends: 'a well-formed key no target knows' },
  // A key under the wrong scheme (`Authorization: Token <key>`): a wrong key as much as an unknown
  // one. The key is the configured one, added at send time and redacted like any other; a target
  // that needs none gets the unknown key instead (support/http/wire.ts authorizationHeader).
  { id: 'token-scheme', auth: 'token-scheme', sends: '`Authorization: Token <key>`: a well-formed key under a scheme other than Bearer' },
];

/** A well-formed Hugging Face id (org/name) that no runner has loaded. */
export const NOT_LOADED_MODEL = 'lp-contract-suite/not-loaded';

/**
 * The request DOC-11 sends, by how a target checks keys (catalogue `auth`). None of them runs a
 * model, whether or not the target asks for a key:
 * - `required` (Studio): authentication comes before anything else reads the body
 *   (contract-notes.md §2.3.2), so the pipeline's valid minimal request is refused first.
 * - `none` (gateway): there is no key check (§5: NoopAuthenticationFunc). A valid request would
 *   generate, and bill whoever runs the gateway, for each of 4 cases × 9 pipelines; so the
 *   minimal request goes in the encoding the route does not take, which the gateway rejects when
 *   decoding the body, before it picks an orchestrator (§2.2.2). A key check, at the gateway or in
 *   a proxy in front of it, would answer 401 before the body is read.
 * - `optional-token` (runner): validation (422) runs before the token check, the model check
 *   after it (§2.1.1 order; runner-observed O102, O103). Asking for a model the runner did not
 *   load gets 401 with AUTH_TOKEN set and 400 without, and never reaches the model.
 */
const PROBES: Record<Target['auth'], (d: RequestDraft) => RequestDraft> = {
  required: (d) => d,
  none: (d) => encodedAs(d, d.encoding === 'json' ? 'multipart' : 'json'),
  'optional-token': (d) => withModel(d, NOT_LOADED_MODEL),
};

export function authProbe(target: TargetId, pipeline: PipelineId, auth: AuthMode): RequestSpec {
  return build(withAuth(unpaid(PROBES[TARGETS[target].auth](minimalDraft(pipeline))), auth));
}

/**
 * The registry case for a target that checks no key in this run: the gateway always, a runner
 * unless it checks a token (AUTH_TOKEN), as the run established before any spec (its answer to a
 * request without one, live; its cassettes, in replay: support/run/preflight.ts). Where it checks
 * one, the case is the credential case itself, no entry matches, and the documented 401 must hold.
 */
export const NO_KEY_CHECK = 'no key check' satisfies CaseOf<'DOC-11'>;

export function checksKeys(target: TargetId, checksToken: boolean): boolean {
  const auth = TARGETS[target].auth;
  return auth === 'required' || (auth === 'optional-token' && checksToken);
}

export const authCaseFor = (target: TargetId, c: AuthCase, checksToken: boolean): CaseOf<'DOC-11'> =>
  checksKeys(target, checksToken) ? c.id : NO_KEY_CHECK;
