// `npm run gate`: the pre-release verdict on the last run against the target(s), read from its
// record (`<reports>/verdicts.json`). It says which run it judged (id, mode, targets, hosts,
// commit) and passes when every contract test that ran left a verdict that conforms or matches its
// pinned deviation (skips allowed). It fails on anything changed, on anything that could not be
// judged (no answer from the target, a request not sent, a test that broke before its verdict),
// on a route retired upstream (410 Gone: one line per target and pipeline, with its Sunset date;
// `-- --allow-retired` accepts it), on no record at all, and on recorded fixtures older than
// LIVEPEER_FIXTURE_MAX_AGE_DAYS. A self-check run (loopback) writes its record elsewhere and is
// never judged here.
import { parseArgs } from 'node:util';
import { pinsDir, PROPOSE_COMMAND } from '../support/deviations/data-pins.ts';
import { waitingProposals } from '../support/deviations/pin-review.ts';
import { formatTable } from '../support/report/table.ts';
import { describeEndOfLife } from '../support/report/end-of-life.ts';
import { cells, columns, compareChecks, failing, isEntry, NoResultsError, notices, readRun, reportsDirFromEnv, retirements, rows, type Cell, type ContractResult, type RunResults } from './results.ts';

export const EXIT = { pass: 0, fail: 1, noResults: 2 } as const;

/** The console lists this many failing tests per target; the report has them all. */
const SHOWN = 5;

export interface GateVerdict {
  pass: boolean;
  /** Why it fails, one line each. */
  problems: string[];
  /** Non-blocking notes. */
  warnings: string[];
}

function fixtureAge(run: RunResults, maxAgeDays: number | undefined): { problem?: string; warning?: string } {
  const oldest = run.record.run.fixtures?.oldestRecordedDays;
  if (run.record.run.mode !== 'replay' || oldest === undefined) return {};
  if (maxAgeDays !== undefined && oldest > maxAgeDays) {
    return { problem: `the oldest recorded cassette is ${oldest} days old, more than LIVEPEER_FIXTURE_MAX_AGE_DAYS=${maxAgeDays}: record again (npm run record)` };
  }
  return maxAgeDays === undefined ? { warning: `the oldest recorded cassette is ${oldest} days old (set LIVEPEER_FIXTURE_MAX_AGE_DAYS to fail on stale fixtures)` } : {};
}

const byCheck = (a: ContractResult, b: ContractResult) => compareChecks(a.check, b.check) || a.name.localeCompare(b.name);

export interface GateOptions {
  maxAgeDays?: number;
  /** Accept routes retired upstream (410 Gone) instead of failing on them. */
  allowRetired?: boolean;
}

/** Per column (target or suite) that failed: the counts by outcome, then the first few tests; a retired route once per target and pipeline. */
export function judgeRun(run: RunResults, options: GateOptions = {}): GateVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (run.record.stopped) {
    problems.push(`${run.record.run.targets.join(', ')}: the run stopped before any spec — ${run.record.stopped.split('\n').map((l) => l.trim()).join(' ')}`);
    return { pass: false, problems, warnings };
  }
  const bad = run.results.filter((r) => r.outcome !== 'retired' && failing(r.outcome));
  for (const subject of [...new Set(bad.map((r) => r.subject))]) {
    const here = bad.filter((r) => r.subject === subject).sort(byCheck);
    const counts = [...new Set(here.map((r) => r.outcome))].map((o) => `${here.filter((r) => r.outcome === o).length} ${o}`).join(', ');
    problems.push(`${subject}: ${here.length} test(s) failed (${counts})`);
    for (const r of here.slice(0, SHOWN)) problems.push(`  ✗ ${r.outcome}: ${r.name}${r.message ? ` — ${r.message}` : ''}`);
    if (here.length > SHOWN) problems.push(`  … and ${here.length - SHOWN} more on ${subject}: npm run report shows them all.`);
  }
  for (const r of retirements(run)) {
    const skipped = run.results.filter((x) => x.subject === r.target && x.pipeline === r.pipeline && x.outcome === 'skipped').length;
    const line = `retired: ${r.target} /${r.pipeline} answers 410 Gone${r.sunset ? ` (Sunset: ${r.sunset})` : ''}: ${r.message} — the docs still promise it; seen in ${r.seenIn}, ${skipped} of its checks skipped`;
    (options.allowRetired ? warnings : problems).push(line);
  }
  // A run that judged with data pins not committed yet is no reviewed verdict (support/deviations/pin-review.ts).
  const unreviewed = run.record.run.pins?.waiting ?? [];
  if (unreviewed.length) problems.push(`the run judged with ${unreviewed.length} pin(s) not committed yet (${unreviewed.join(', ')}): review git diff of the pins folder, commit, and run again`);
  const ran = run.record.tests.filter((t) => t.about && (t.state === 'pass' || t.state === 'fail')).length;
  const verdicts = run.record.tests.filter((t) => t.verdict).length;
  if (verdicts < ran) problems.push(`${ran} contract tests ran but only ${verdicts} left a verdict`);
  if (ran === 0 && retirements(run).length === 0) problems.push('no contract test ran: nothing was judged');
  const age = fixtureAge(run, options.maxAgeDays);
  if (age.problem) problems.push(age.problem);
  if (age.warning) warnings.push(age.warning);
  warnings.push(...describeEndOfLife({ retired: [], notices: notices(run) }));
  return { pass: problems.length === 0, problems, warnings };
}

/** The short check × column table: how many tests conform, deviate as pinned, changed, could not be judged, were skipped. */
export function gateTable(all: readonly Cell[]): string {
  const head = ['check', 'target', 'conforms', 'known dev.', 'changed', 'retired', 'no answer', 'rate limited', 'broken', 'skipped'];
  const body = rows(all).flatMap((doc) =>
    columns(all)
      .flatMap((target) => all.filter((c) => c.doc === doc && c.target === target))
      .filter((c) => c.tests > 0 || c.counts.skipped > 0)
      .map((c) => [c.doc, c.target, c.counts.conforms, c.counts['known deviation'], c.counts.changed, c.counts.retired, c.counts['no answer'], c.counts['rate limited'], c.counts['not sent'] + c.counts['no verdict'], c.counts.skipped].map(String)),
  );
  return formatTable([head, ...body], { rule: true, align: head.map((_, i) => (i < 2 ? 'left' : 'right')) }).join('\n');
}

function maxAgeFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.LIVEPEER_FIXTURE_MAX_AGE_DAYS?.trim();
  if (!raw) return undefined;
  const days = Number(raw);
  if (!Number.isInteger(days) || days <= 0) throw new NoResultsError(`LIVEPEER_FIXTURE_MAX_AGE_DAYS="${raw}" must be a whole number of days greater than 0.`);
  return days;
}

/** The run judged, in one line: never a key, never a URL path. */
export function describeRun(run: RunResults): string {
  const r = run.record.run;
  const hosts = Object.entries(r.hosts).map(([t, h]) => `${t}=${h}`).join(' ');
  return `run ${r.id} (${r.project}, started ${r.startedAt}) · mode ${r.mode} · targets ${r.targets.join(', ')} · ${hosts}${r.commit ? ` · commit ${r.commit}` : ''}`;
}

/** The summary's last lines: the proposals waiting for review, and what this run could propose. */
function pinLines(run: RunResults, env: Record<string, string | undefined>): string[] {
  const fixturesDir = env.LIVEPEER_FIXTURES_DIR?.trim() || 'fixtures';
  const proposable = run.record.run.mode === 'replay' ? 0 : run.results.filter((r) => r.outcome === 'changed' || r.outcome === 'retired').length;
  const waiting = waitingProposals(fixturesDir);
  return [
    ...(proposable ? [`pins: ${proposable} changed verdict(s) of this run can be proposed as pins: ${PROPOSE_COMMAND}`] : []),
    `pins: ${waiting.length} proposal(s) waiting for review in ${pinsDir(fixturesDir)}${waiting.length ? ` (git diff ${pinsDir(fixturesDir)}, then commit): ${waiting.join(', ')}` : ''}`,
  ];
}

/** Runs the gate; returns the exit code. Output goes through `print` so tests can read it. */
export function gate(env: Record<string, string | undefined> = process.env, print: (s: string) => void = console.log, argv: readonly string[] = process.argv.slice(2)): number {
  let run: RunResults;
  let options: GateOptions;
  try {
    let values: { 'allow-retired'?: boolean };
    try {
      ({ values } = parseArgs({ args: [...argv], options: { 'allow-retired': { type: 'boolean' } }, strict: true }));
    } catch (err) {
      throw new NoResultsError(`${(err as Error).message}. Use: npm run gate [-- --allow-retired]`);
    }
    options = { allowRetired: values['allow-retired'] === true };
    const maxAgeDays = maxAgeFromEnv(env);
    if (maxAgeDays !== undefined) options.maxAgeDays = maxAgeDays;
    run = readRun(reportsDirFromEnv(env));
  } catch (err) {
    if (!(err instanceof NoResultsError)) throw err;
    print(`gate: FAIL — ${err.message}`);
    return EXIT.noResults;
  }
  const verdict = judgeRun(run, options);
  const closing = pinLines(run, env);
  const ran = run.record.tests.filter((t) => t.about && t.state !== 'skip' && t.state !== 'pending').length;
  print(`gate: judging ${describeRun(run)}`);
  print(`gate: ${ran} contract tests ran, ${run.record.tests.filter((t) => t.verdict).length} verdicts, ${run.results.filter((r) => r.outcome === 'skipped').length} skipped (${run.file})`);
  print(gateTable(cells(run)));
  for (const w of verdict.warnings) print(`note: ${w}`);
  if (verdict.pass) {
    print(`gate: PASS — on ${run.record.run.targets.join(', ')}, every check conforms or matches its pinned deviation.`);
    for (const line of closing) print(line);
    return EXIT.pass;
  }
  print(`gate: FAIL — on ${run.record.run.targets.join(', ')}:`);
  for (const p of verdict.problems) print(p.startsWith('  ') ? p : `  ${p}`);
  for (const line of closing) print(line);
  return EXIT.fail;
}

if (isEntry(import.meta.url)) process.exitCode = gate();
