// The one successful request of each pipeline (two on /llm: not streamed and streamed), sent once
// per run and judged by every check that asks about a success: DOC-15 its body, DOC-10 (the docs'
// minimal request is text-to-image's) and DOC-09 (the warm models are the documented models of
// these requests) its answer, SDK-01 what the SDK makes of it. Each one runs a model, so one
// request instead of four is what a live run pays (support/run/plan.ts counts them).
import type { CaseOf, PipelineId } from '../catalogue.ts';
import type { RequestSpec } from '../http/wire.ts';
import { build, minimalDraft, withField } from './requests.ts';

export interface SuccessVariant {
  /** Registry case, where the pipeline is asked more than once (DOC-15, SDK-01). */
  case?: CaseOf<'DOC-15'> & CaseOf<'SDK-01'>;
  /** /llm's `stream` field. */
  stream?: boolean;
}

/** The variants of a pipeline: /llm streamed and not; one plain request elsewhere. */
export function successVariants(pipeline: PipelineId): SuccessVariant[] {
  return pipeline === 'llm' ? [{ case: 'not streamed', stream: false }, { case: 'streamed', stream: true }] : [{}];
}

/** The smallest request the pipeline's spec accepts, with the documented model (DOC-10's, exactly, for text-to-image). */
export function successRequest(pipeline: PipelineId, variant: SuccessVariant = successVariants(pipeline)[0]!): RequestSpec {
  const draft = minimalDraft(pipeline);
  return build(variant.stream === undefined ? draft : withField(draft, 'stream', variant.stream));
}
