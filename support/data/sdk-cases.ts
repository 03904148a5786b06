// The SDK calls of SDK-02 and SDK-03: what an SDK user passes, and on which targets and pipelines
// the case applies. Declared once because three readers need the same calls: the spec, the
// registry pins (support/deviations/sdk.ts) and the cassette authoring script (fixtures/authoring/sdk.ts).
import { modelField, PIPELINES, serves, TARGETS, type CaseOf, type PipelineId, type SdkId, type TargetId } from '../catalogue.ts';
import { runnerModelMismatch } from './failure-modes.ts';
import { documentedModel } from './requests.ts';
import type { SdkInput } from '../sdk/sdk.ts';
import { NOT_A_MODEL } from './validation-cases.ts';
import { UNKNOWN_KEY } from '../http/wire.ts';

export interface SdkCallCase {
  id: Extract<SdkId, 'SDK-02' | 'SDK-03'>;
  /** Registry case and cassette id word: `documented model`, `no model`, `unknown model`… */
  case: CaseOf<'SDK-02' | 'SDK-03'>;
  /** The test name without the target. */
  title: (pipeline: PipelineId) => string;
  input: (pipeline: PipelineId) => SdkInput;
  /** `httpBearer`, when not the user's own key. */
  bearer?: string;
  /** Runs a model when the target accepts it. */
  paid: boolean;
  applies: (target: TargetId, pipeline: PipelineId) => boolean;
}

/**
 * Pipelines whose runner route refuses an empty text before inference: text-to-image's prompt
 * (runner-observed O27, `Prompt must be provided.`). image-to-image and upscale accept an empty
 * multipart prompt on v0.14.1 (O47) and would generate.
 */
export const EMPTY_PROMPT_REFUSED: readonly PipelineId[] = ['text-to-image'];


/** What a runner that loaded the documented model says to a call for another model. */
export const runnerMismatch = (p: PipelineId, model: string) => runnerModelMismatch(p, documentedModel(p), model);

const path = (p: PipelineId) => PIPELINES[p].path;

export const SDK_CALL_CASES: readonly SdkCallCase[] = [
  {
    id: 'SDK-03',
    case: 'documented model',
    title: (p) => `SDK-03 the SDK's ${path(p)} request with the documented model is accepted`,
    input: (p) => ({ model: documentedModel(p) }),
    paid: true,
    applies: serves,
  },
  {
    // The SDK's types make the model optional; its outbound schemas then send "" (e.g.
    // src/models/components/texttoimageparams.ts L107 `modelId: z.string().default("")`).
    id: 'SDK-03',
    case: 'no model',
    title: (p) => `SDK-03 the SDK's ${path(p)} request without a model (${modelField(p)} "") is accepted`,
    input: () => ({}),
    paid: true,
    applies: serves,
  },
  {
    id: 'SDK-02',
    case: 'unknown model',
    title: (p) => `SDK-02 an unknown model on ${path(p)} reaches the SDK caller with status and message`,
    input: () => ({ model: NOT_A_MODEL }),
    paid: false,
    applies: serves,
  },
  {
    id: 'SDK-02',
    case: 'unknown key',
    title: (p) => `SDK-02 an unknown key on ${path(p)} reaches the SDK caller with status and message`,
    input: (p) => ({ model: documentedModel(p) }),
    bearer: UNKNOWN_KEY,
    paid: false,
    // Only a target that checks keys refuses one; elsewhere the call would generate.
    applies: (t, p) => serves(t, p) && TARGETS[t].auth === 'required',
  },
  {
    id: 'SDK-02',
    case: 'empty prompt',
    title: (p) => `SDK-02 an empty prompt on ${path(p)} reaches the SDK caller with status and message`,
    input: (p) => ({ model: documentedModel(p), text: '' }),
    paid: false,
    applies: (t, p) => serves(t, p) && EMPTY_PROMPT_REFUSED.includes(p),
  },
];
