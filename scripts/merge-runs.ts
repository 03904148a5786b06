// `npm run merge-runs -- <verdicts.json>…`: one run record from the records of a run's shards (CI
// runs the offline suite in three), written to `<reports>/verdicts.json` for the gate and the
// matrix. Only records of the same kind, mode and targets merge; the first names the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { verdictsFile } from '../support/paths.ts';
import { readRunRecord, RunRecordError, type RunRecord } from '../support/report/run-record.ts';
import { isEntry, reportsDirFromEnv } from './results.ts';

export function mergeRuns(records: readonly RunRecord[]): RunRecord {
  const [first, ...rest] = records;
  if (!first) throw new RunRecordError('merge-runs needs at least one verdicts.json');
  for (const r of rest) {
    if (r.run.kind !== first.run.kind || r.run.mode !== first.run.mode || r.run.targets.join() !== first.run.targets.join()) {
      throw new RunRecordError(`the records are of different runs (${first.run.kind} ${first.run.mode} ${first.run.targets.join(',')} and ${r.run.kind} ${r.run.mode} ${r.run.targets.join(',')}): merge only the shards of one run`);
    }
  }
  const finished = records.map((r) => r.run.finishedAt).sort().at(-1)!;
  return {
    ...first,
    run: { ...first.run, id: `${first.run.id} (+${rest.length} shard(s))`, finishedAt: finished },
    tests: records.flatMap((r) => r.tests),
    ...(records.some((r) => r.stopped) ? { stopped: records.map((r) => r.stopped).filter(Boolean).join('\n') } : {}),
  };
}

export function main(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env, print: (s: string) => void = console.log): number {
  try {
    const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {} });
    const merged = mergeRuns(positionals.map(readRunRecord));
    const out = verdictsFile(reportsDirFromEnv(env));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
    print(`merge-runs: ${positionals.length} record(s), ${merged.tests.length} tests → ${out}`);
    return 0;
  } catch (err) {
    if (!(err instanceof RunRecordError) && !(err instanceof TypeError)) throw err;
    print(`merge-runs: ${(err as Error).message}`);
    return 2;
  }
}

if (isEntry(import.meta.url)) process.exitCode = main();
