// What a registry entry is. Its own file, so that the entries (one file per spec area) and the
// registry that collects them import it without importing each other.
import type { CaseOf, CheckId, PipelineId, Subject } from '../catalogue.ts';
import type { Expectation } from '../schemas/expectations.ts';

/** A known deviation: where a target's code (or the SDK) is known to differ from the docs. */
export interface Deviation<C extends CheckId = CheckId> {
  /** Stable name, used in reports and the matrix: `<target>-<check>-<what>`. */
  id: string;
  /** The row it deviates from: a DOC id, or an SDK id. */
  check: C;
  /** A target, or `suite` for a check of client code (catalogue scope `client`). */
  target: Subject;
  /** Pipelines it applies to. */
  pipelines: 'all' | readonly PipelineId[];
  /** A variant inside the check (catalogue CASES), when the check has several. */
  case?: CaseOf<C>;
  /** One sentence: what the target does instead of the documented behaviour. */
  summary: string;
  /** Exactly what it does instead: for a target, at least the status and, unless dropped, the body's shape. */
  pinned: Expectation;
  /** Where this is known from: file and section/lines, an exchange id, an upstream issue. */
  evidence: readonly string[];
  /**
   * A fact of the run the entry depends on: a runner that checks a bearer token (AUTH_TOKEN) or
   * not. A run where the fact is otherwise never exercises the entry, and no check asks it to.
   */
  when?: { checksToken: boolean };
  /** A pin from data (`<fixtures>/pins/<target>.json`, proposed from a live run): its file. It overrides a code pin of the same check, target, pipeline and case. */
  from?: string;
}

/** Builds an entry with its case checked against the check's own cases. */
export const deviation = <C extends CheckId>(d: Deviation<C>): Deviation<C> => d;
