// What a target serves is a fact of the run, not of the catalogue: the catalogue's routes, narrowed
// by what the target says of itself (a runner container's GET /version names its one pipeline) and
// by LIVEPEER_PIPELINES. Specs ask pipelineStatus(): a served pipeline gets its checks; one the
// target lacks gets RUN-01, "it is really absent", and its other checks are skipped with the reason;
// one the run only leaves out is skipped; one retired upstream (410 Gone) is skipped as retired.
import { notServedReason, PIPELINE_IDS, TARGETS, type PipelineId, type TargetId } from '../catalogue.ts';
import { ConfigError, type Config } from '../config.ts';
import type { Retirement, RunInfo, Served } from '../report/run-record.ts';

export const SOURCES = { catalogue: 'catalogue', version: 'GET /version', variable: 'LIVEPEER_PIPELINES' } as const;

/**
 * The pipelines a run checks on a target: those the catalogue says it serves, the one its
 * /version names (when it names one), those LIVEPEER_PIPELINES names. A variable that names a
 * pipeline the target itself says it does not serve is a configuration error.
 */
export function servedOn(config: Pick<Config, 'pipelines'>, target: TargetId, baseUrl: string, versionPipeline?: PipelineId): Served {
  let pipelines = PIPELINE_IDS.filter((p) => notServedReason(target, p) === undefined);
  const sources: string[] = [];
  if (versionPipeline) {
    pipelines = pipelines.filter((p) => p === versionPipeline);
    sources.push(SOURCES.version);
  }
  if (config.pipelines) {
    const other = config.pipelines.filter((p) => !pipelines.includes(p));
    if (other.length) {
      const says = versionPipeline ? `the ${target} at ${baseUrl} serves ${versionPipeline} only (its GET /version)` : `the catalogue says ${target} does not serve ${other.join(', ')}`;
      throw new ConfigError(`Configuration error: the suite did not start.\n  - LIVEPEER_PIPELINES=${JSON.stringify(config.pipelines.join(','))} names ${other.join(', ')}, but ${says}.\n    Name only pipelines this target serves, or unset LIVEPEER_PIPELINES to check all it serves.`);
    }
    pipelines = pipelines.filter((p) => config.pipelines!.includes(p));
    sources.push(SOURCES.variable);
  }
  return { pipelines, source: sources.length ? sources.join(' + ') : SOURCES.catalogue };
}

export type PipelineStatus =
  | { served: true }
  /** `checkAbsent`: the target itself lacks it (the catalogue, its /version, or a one-pipeline runner as the variable tells): RUN-01 checks it is really absent. */
  | { served: false; retired?: undefined; reason: string; checkAbsent: boolean }
  | { served: false; retired: Retirement; reason: string; checkAbsent: false };

/** How a spec treats a pipeline on a target in this run. */
export function pipelineStatus(run: Pick<RunInfo, 'served' | 'retired'>, target: TargetId, pipeline: PipelineId): PipelineStatus {
  const catalogue = notServedReason(target, pipeline);
  if (catalogue) return { served: false, reason: `not served on ${target}: ${catalogue}`, checkAbsent: true };
  const retired = run.retired.find((r) => r.target === target && r.pipeline === pipeline);
  if (retired) return { served: false, retired, reason: retiredReason(retired), checkAbsent: false };
  const served = run.served[target];
  if (!served || served.pipelines.includes(pipeline)) return { served: true };
  const which = served.pipelines.join(', ') || 'no pipeline';
  return TARGETS[target].onePipeline
    ? { served: false, reason: `not served in this run: the ${target} serves ${which} (${served.source})`, checkAbsent: true }
    : { served: false, reason: `not checked in this run: ${served.source} names ${which}`, checkAbsent: false };
}

export const retiredReason = (r: Retirement): string => `retired upstream: ${r.target} answers 410 Gone on /${r.pipeline}${r.sunset ? ` (Sunset: ${r.sunset})` : ''}: ${r.message}`;

/** One line for the banner: per target, what the run checks and why. */
export function describeServed(run: Pick<RunInfo, 'served' | 'retired'>): string {
  return Object.entries(run.served)
    .map(([t, s]) => {
      const retired = run.retired.filter((r) => r.target === t).map((r) => r.pipeline);
      const all = PIPELINE_IDS.filter((p) => notServedReason(t as TargetId, p) === undefined);
      const what = s.pipelines.length === all.length ? `all ${all.length} pipelines` : s.pipelines.join(', ') || 'no pipeline';
      return `${t}: ${what} (${s.source})${retired.length ? `, retired: ${retired.join(', ')}` : ''}`;
    })
    .join('; ');
}
