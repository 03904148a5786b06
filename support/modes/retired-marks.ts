// Pipelines found retired (410 Gone) while the run goes on, shared by its workers as one file each
// under the run's scratch folder: the checks of that pipeline that have not started yet are
// skipped as retired instead of each failing on the same 410.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineId, TargetId } from '../catalogue.ts';
import { runDir } from '../paths.ts';
import { Retirement } from '../report/run-record.ts';

const markFile = (reportsDir: string, target: TargetId, pipeline: PipelineId) => join(runDir(reportsDir), 'retired', `${target}--${pipeline}.json`);

export function markRetired(reportsDir: string, r: Retirement): void {
  const file = markFile(reportsDir, r.target, r.pipeline);
  mkdirSync(join(runDir(reportsDir), 'retired'), { recursive: true });
  writeFileSync(file, JSON.stringify(r));
}

/** The retirement another check of this run found, if any. */
export function retiredMark(reportsDir: string, target: TargetId, pipeline: PipelineId): Retirement | undefined {
  try {
    return Retirement.parse(JSON.parse(readFileSync(markFile(reportsDir, target, pipeline), 'utf8')));
  } catch {
    return undefined;
  }
}
