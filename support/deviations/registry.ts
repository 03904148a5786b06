// The registry of known deviations: where a target's code is known to differ from the docs, the
// entry pins exactly what it does instead (status and body shape) and cites its evidence.
// A spec passes on a deviation only while the target still behaves exactly as pinned.
import { CHECK_IDS, PIPELINE_IDS, TARGET_IDS, type CheckId, type PipelineId, type TargetId } from '../catalogue.ts';
import type { Expectation } from '../schemas/expectations.ts';
import { connectivity } from './connectivity.ts';
import { auth } from './auth.ts';
import { responses } from './responses.ts';
import { validation } from './validation.ts';
import { sdk } from './sdk.ts';
import { coldModels } from './cold-models.ts';
import { warmModels } from './warm-models.ts';
import { errorHandling } from './error-handling.ts';

export interface Deviation {
  /** Stable name, used in reports and the matrix: `<target>-<doc>-<what>`. */
  id: string;
  /** The row it deviates from: a DOC id, or an SDK id (support/deviations/sdk.ts). */
  doc: CheckId;
  target: TargetId;
  /** Pipelines it applies to. */
  pipelines: 'all' | readonly PipelineId[];
  /** A variant inside the DOC row (e.g. `HEAD`, `missing-key`), when the row has several. */
  case?: string;
  /** One sentence: what the target does instead of the documented behaviour. */
  summary: string;
  pinned: Expectation;
  /** Where this is known from: file and section/lines, an exchange id, an upstream issue. */
  evidence: readonly string[];
}

/** Every entry, one file per spec area under support/deviations/. */
export const DEVIATIONS: readonly Deviation[] = [...connectivity, ...auth, ...responses, ...validation, ...coldModels, ...warmModels, ...errorHandling, ...sdk];

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** The one entry for a spec × target (× pipeline × case), if any. Two matches is a registry bug. */
export function findDeviation(doc: CheckId, target: TargetId, pipeline?: PipelineId, caseId?: string, registry: readonly Deviation[] = DEVIATIONS): Deviation | undefined {
  const hits = registry.filter(
    (d) =>
      d.doc === doc &&
      d.target === target &&
      (d.pipelines === 'all' || (pipeline !== undefined && d.pipelines.includes(pipeline))) &&
      (d.case === undefined || d.case === caseId),
  );
  if (hits.length > 1) throw new RegistryError(`deviations ${hits.map((h) => `"${h.id}"`).join(' and ')} both pin ${doc} on ${target}${pipeline ? ` /${pipeline}` : ''}${caseId ? ` (${caseId})` : ''}: keep one.`);
  return hits[0];
}

/** Problems with the registry's own data: no evidence, unknown ids, duplicates. */
export function registryProblems(registry: readonly Deviation[] = DEVIATIONS): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of registry) {
    if (seen.has(d.id)) problems.push(`deviation "${d.id}" is declared twice`);
    seen.add(d.id);
    if (!(CHECK_IDS as readonly string[]).includes(d.doc)) problems.push(`deviation "${d.id}" names unknown doc ${d.doc}`);
    if (!(TARGET_IDS as readonly string[]).includes(d.target)) problems.push(`deviation "${d.id}" pins unknown target ${d.target}`);
    if (d.pipelines !== 'all') {
      for (const p of d.pipelines) if (!(PIPELINE_IDS as readonly string[]).includes(p)) problems.push(`deviation "${d.id}" pins unknown pipeline ${p}`);
    }
    if (d.evidence.length === 0 || d.evidence.some((e) => e.trim().length < 8)) problems.push(`deviation "${d.id}" names no evidence`);
    if (d.pinned.status !== 'dropped' && !d.pinned.body) problems.push(`deviation "${d.id}" pins a status but no body shape`);
  }
  return problems;
}
