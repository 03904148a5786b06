// `npm run gate`: the pre-release verdict on the last run. Passes when every contract test conforms
// or shows exactly its pinned deviation (skips allowed); fails on anything changed, failed or
// broken, on no results at all, and on recorded fixtures older than LIVEPEER_FIXTURE_MAX_AGE_DAYS.
import { cells, columns, compareChecks, isEntry, NoResultsError, readRun, reportsDirFromEnv, rows, type Cell, type RunResults } from './results.ts';

export const EXIT = { pass: 0, fail: 1, noResults: 2 } as const;

/** The console lists this many problems; the report has them all. */
const SHOWN = 40;

export interface GateVerdict {
  pass: boolean;
  /** Why it fails, one line each. */
  problems: string[];
  /** Non-blocking notes. */
  warnings: string[];
}

function fixtureAge(run: RunResults, maxAgeDays: number | undefined): { problem?: string; warning?: string } {
  const oldest = Number(run.environment['fixtures.oldestRecordedDays']);
  if (run.environment.mode !== 'replay' || !Number.isFinite(oldest)) return {};
  if (maxAgeDays !== undefined && oldest > maxAgeDays) {
    return { problem: `the oldest recorded cassette is ${oldest} days old, more than LIVEPEER_FIXTURE_MAX_AGE_DAYS=${maxAgeDays}: record again (npm run record)` };
  }
  return maxAgeDays === undefined ? { warning: `the oldest recorded cassette is ${oldest} days old (set LIVEPEER_FIXTURE_MAX_AGE_DAYS to fail on stale fixtures)` } : {};
}

export function judgeRun(run: RunResults, maxAgeDays?: number): GateVerdict {
  const problems = run.results
    .filter((r) => r.outcome === 'changed' || r.outcome === 'broken')
    .sort((a, b) => compareChecks(a.check, b.check) || a.target.localeCompare(b.target) || a.name.localeCompare(b.name))
    .map((r) => `${r.outcome}: ${r.name}${r.message ? ` — ${r.message}` : ''}`);
  const age = fixtureAge(run, maxAgeDays);
  if (age.problem) problems.push(age.problem);
  return { pass: problems.length === 0, problems, warnings: age.warning ? [age.warning] : [] };
}

/** The short DOC × target table: conforms / known deviation / changed (and broken, skipped). */
export function gateTable(all: readonly Cell[]): string {
  const head = ['check', 'target', 'conforms', 'known dev.', 'changed', 'broken', 'skipped'];
  const body = rows(all).flatMap((doc) =>
    columns(all)
      .map((target) => all.find((c) => c.doc === doc && c.target === target)!)
      .filter((c) => c.tests > 0)
      .map((c) => [c.doc, c.target, c.counts.conforms, c.counts['known deviation'], c.counts.changed, c.counts.broken, c.counts.skipped].map(String)),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function maxAgeFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.LIVEPEER_FIXTURE_MAX_AGE_DAYS?.trim();
  if (!raw) return undefined;
  const days = Number(raw);
  if (!Number.isInteger(days) || days <= 0) throw new NoResultsError(`LIVEPEER_FIXTURE_MAX_AGE_DAYS="${raw}" must be a whole number of days greater than 0.`);
  return days;
}

/** Runs the gate; returns the exit code. Output goes through `print` so tests can read it. */
export function gate(env: Record<string, string | undefined> = process.env, print: (s: string) => void = console.log): number {
  let run: RunResults;
  let maxAge: number | undefined;
  try {
    maxAge = maxAgeFromEnv(env);
    run = readRun(reportsDirFromEnv(env));
  } catch (err) {
    if (!(err instanceof NoResultsError)) throw err;
    print(`gate: FAIL — ${err.message}`);
    return EXIT.noResults;
  }
  const verdict = judgeRun(run, maxAge);
  const about = run.environment;
  print(`gate: ${run.results.length} contract results from ${run.dir}${about.mode ? ` · mode ${about.mode}` : ''}${about.targets ? ` · targets ${about.targets}` : ''}${about.commit ? ` · commit ${about.commit}` : ''}`);
  print(gateTable(cells(run)));
  for (const w of verdict.warnings) print(`note: ${w}`);
  if (verdict.pass) {
    print('gate: PASS — every check conforms or matches its pinned deviation.');
    return EXIT.pass;
  }
  print(`gate: FAIL — ${verdict.problems.length} problem(s):`);
  for (const p of verdict.problems.slice(0, SHOWN)) print(`  ✗ ${p}`);
  if (verdict.problems.length > SHOWN) print(`  … and ${verdict.problems.length - SHOWN} more: npm run report shows them all.`);
  return EXIT.fail;
}

if (isEntry(import.meta.url)) process.exitCode = gate();
