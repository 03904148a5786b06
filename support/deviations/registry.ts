// The registry of known deviations: where a target's code is known to differ from the docs, the
// entry pins exactly what it does instead (status and body shape, and for the SDK rows what the
// SDK makes of it) and cites its evidence. A check passes on a deviation only while the target
// still behaves exactly as pinned.
import { CASES, CHECK_IDS, CHECKS, PIPELINE_IDS, SUBJECTS, SUITE, type CaseOf, type CheckId, type PipelineId, type Subject } from '../catalogue.ts';
import { namesAFacet } from '../schemas/expectations.ts';
import { auth } from './auth.ts';
import { coldModels } from './cold-models.ts';
import { connectivity } from './connectivity.ts';
import { errorHandling } from './error-handling.ts';
import { responses } from './responses.ts';
import { sdk } from './sdk.ts';
import { loadPinsFiles, PinsFileError, toDeviation } from './data-pins.ts';
import type { Deviation } from './types.ts';
import { validation } from './validation.ts';
import { warmModels } from './warm-models.ts';

export type { Deviation } from './types.ts';

/** Every entry in code, one file per spec area under support/deviations/. */
export const DEVIATIONS: readonly Deviation[] = [...connectivity, ...auth, ...responses, ...validation, ...coldModels, ...warmModels, ...errorHandling, ...sdk];

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/**
 * The registry of a run: the code pins, less those a pins file withdraws, and the data pins of
 * `<fixtures>/pins/` (support/deviations/data-pins.ts). Problems of the files themselves (one
 * that does not parse, a withdrawal of no code pin) are in `problems`.
 */
export interface RunRegistry {
  entries: readonly Deviation[];
  problems: string[];
}

export function registryOf(fixturesDir: string): RunRegistry {
  const problems: string[] = [];
  let files: ReturnType<typeof loadPinsFiles> = [];
  try {
    files = loadPinsFiles(fixturesDir);
  } catch (err) {
    if (!(err instanceof PinsFileError)) throw err;
    problems.push(err.message);
  }
  const codeIds = new Set(DEVIATIONS.map((d) => d.id));
  const withdrawn = new Set<string>();
  for (const { file, pins } of files) {
    for (const w of pins.withdrawn) {
      if (!codeIds.has(w.id)) problems.push(`${file}: withdraws "${w.id}", which is no pin in support/deviations/`);
      withdrawn.add(w.id);
    }
    for (const p of pins.entries) if (p.replaces !== undefined && !codeIds.has(p.replaces)) problems.push(`${file}: pin "${p.id}" replaces "${p.replaces}", which is no pin in support/deviations/`);
  }
  const data = files.flatMap(({ target, file, pins }) => pins.entries.map((p) => toDeviation(p, target, file)));
  return { entries: [...DEVIATIONS.filter((d) => !withdrawn.has(d.id)), ...data], problems };
}

/** The registry findDeviation reads by default: the code pins until a run names its fixtures. */
let active: readonly Deviation[] = DEVIATIONS;

/** Makes the registry of `fixturesDir` the one every check of this process is judged against. */
export function useRegistryOf(fixturesDir: string): RunRegistry {
  const r = registryOf(fixturesDir);
  active = r.entries;
  return r;
}

export const activeRegistry = (): readonly Deviation[] => active;

/** The one entry for a check × subject (× pipeline × case), if any. Two matches is a registry bug. */
export function findDeviation<C extends CheckId>(check: C, subject: Subject, pipeline?: PipelineId, caseId?: CaseOf<C>, registry: readonly Deviation[] = active): Deviation<C> | undefined {
  const all = registry.filter(
    (d) =>
      d.check === check &&
      d.target === subject &&
      (d.pipelines === 'all' || (pipeline !== undefined && d.pipelines.includes(pipeline))) &&
      (d.case === undefined || d.case === caseId),
  );
  // A pin from data, seen on the target and reviewed, overrides the pin in code it was proposed against.
  const fromData = all.filter((d) => d.from !== undefined);
  const hits = fromData.length > 0 ? fromData : all;
  if (hits.length > 1) throw new RegistryError(`deviations ${hits.map((h) => `"${h.id}"`).join(' and ')} both pin ${check} on ${subject}${pipeline ? ` /${pipeline}` : ''}${caseId ? ` (${caseId})` : ''}: keep one.`);
  return hits[0] as Deviation<C> | undefined;
}

/** Problems with the registry's own data: no evidence, unknown ids, cases or columns, duplicates, empty pins. */
export function registryProblems(registry: readonly Deviation[] = active): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of registry) {
    const at = `deviation "${d.id}"`;
    if (seen.has(d.id)) problems.push(`${at} is declared twice`);
    seen.add(d.id);
    if (!(CHECK_IDS as readonly string[]).includes(d.check)) {
      problems.push(`${at} names unknown check ${d.check}`);
      continue;
    }
    if (!(SUBJECTS as readonly string[]).includes(d.target)) problems.push(`${at} pins unknown target ${d.target}`);
    const clientScope = CHECKS[d.check].scope === 'client';
    if (clientScope !== (d.target === SUITE)) {
      problems.push(clientScope ? `${at} pins ${d.check}, a check of the client code, on ${d.target}: pin it on "suite"` : `${at} pins ${d.check}, a check of what a target answers, on "suite": pin it on a target`);
    }
    if (d.pipelines !== 'all') {
      for (const p of d.pipelines) if (!(PIPELINE_IDS as readonly string[]).includes(p)) problems.push(`${at} pins unknown pipeline ${p}`);
    }
    const cases: readonly string[] = CASES[d.check];
    if (d.case !== undefined && !cases.includes(d.case)) problems.push(`${at} names case "${d.case}", which ${d.check} does not have (${cases.length ? cases.join(', ') : 'it has none'})`);
    if (d.evidence.length === 0 || d.evidence.some((e) => e.trim().length < 8)) problems.push(`${at} names no evidence`);
    if (d.target !== SUITE && d.pinned.status === undefined) problems.push(`${at} pins no status: a pin on a target says what it answers`);
    if (typeof d.pinned.status === 'number' && !d.pinned.body) problems.push(`${at} pins a status but no body shape`);
    if (!namesAFacet(d.pinned)) problems.push(`${at} pins nothing`);
    if (d.check.startsWith('SDK-') && !d.pinned.sdk) problems.push(`${at} pins ${d.check} but not what the SDK makes of it (pinned.sdk)`);
  }
  return problems;
}
