// Benchmark 4: `npm run report` on the whole suite's results. The results are those of one full
// `vitest run` (every project, what `npm test` runs) into a temporary reports folder, or of an
// existing reports folder given with `--results <dir>`. Each timed run works on a fresh copy, so
// the report's history (history.jsonl) does not grow from one run to the next. Without a `report`
// script in package.json the Allure CLI's `generate` is timed directly.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { removeDir, replayEnv, ROOT, runChild, spread, tail, tempDir, VITEST, type Spread } from './lib.ts';

export interface ReportBench {
  command: string;
  /** Result files (one per test) the report was built from. */
  results: number;
  /** Wall time of the full vitest run that produced them (undefined when reused). */
  producedInMs?: number;
  report: Spread;
}

const hasReportScript = () => Boolean((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.report);

export async function benchReport(runs: number, log: (line: string) => void, resultsFrom?: string): Promise<ReportBench> {
  let source = resultsFrom ? resolve(resultsFrom) : undefined;
  let producedInMs: number | undefined;
  if (!source) {
    source = tempDir('full-run');
    log('  producing results: one full `vitest run` (all projects, as npm test) …');
    const run = await runChild(VITEST, ['run'], replayEnv(source));
    producedInMs = run.wallMs;
    log(`  full run: ${(run.wallMs / 1000).toFixed(1)} s, exit ${run.code}`);
    if (!existsSync(join(source, 'allure-results'))) throw new Error(`the full run wrote no allure-results (exit ${run.code}):\n${tail(run)}`);
  }
  const results = readdirSync(join(source, 'allure-results')).filter((f) => f.endsWith('-result.json')).length;
  const viaScript = hasReportScript();
  const command = viaScript ? 'npm run report' : 'allure generate <results> -o <report>';
  const walls: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const dir = tempDir('report');
      cpSync(join(source, 'allure-results'), join(dir, 'allure-results'), { recursive: true });
      const env = replayEnv(dir);
      const run = viaScript
        ? await runChild('npm', ['run', '--silent', 'report'], env)
        : await runChild(join(ROOT, 'node_modules', '.bin', 'allure'), ['generate', join(dir, 'allure-results'), '--output', join(dir, 'allure-report')], env);
      const built = existsSync(join(dir, 'allure-report', 'index.html'));
      removeDir(dir);
      if (run.code !== 0 || !built) throw new Error(`${command} failed (exit ${run.code}, index.html ${built ? 'written' : 'missing'}):\n${tail(run)}`);
      walls.push(run.wallMs);
      log(`  report ${i + 1}/${runs}: ${(run.wallMs / 1000).toFixed(1)} s`);
    }
  } finally {
    if (!resultsFrom) removeDir(source);
  }
  return { command, results, ...(producedInMs !== undefined ? { producedInMs } : {}), report: spread(walls) };
}
