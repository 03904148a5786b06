// Reads a run's record (`<reports>/verdicts.json`, written by support/report/verdict-reporter.ts)
// into what the gate and the matrix print: one outcome per contract test, and the check × column
// cells. Columns are the run's targets, and `suite` for checks of the client code. A self-check
// run's record is refused: it speaks for the suite's loopback servers, not for a target.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECK_IDS, CHECKS, subjectsOf, SUITE, TARGET_IDS, type CheckId, type Subject } from '../support/catalogue.ts';
import { reportsDirFrom, verdictsFile } from '../support/paths.ts';
import { readRunRecord, RunRecordError, type Notice, type Retirement, type RunRecord, type TestEntry } from '../support/report/run-record.ts';
import { OUTCOME_GROUP } from '../support/verdict/outcome.ts';

/** Worst first: a cell shows the worst outcome of its tests. */
export const TEST_OUTCOMES = ['no verdict', 'not sent', 'no answer', 'rate limited', 'changed', 'retired', 'known deviation', 'conforms', 'skipped'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];
/** A cell without tests: not applicable (the catalogue says why) or not run. */
export type CellOutcome = TestOutcome | 'not applicable' | 'not run';

/** Outcomes that make a run fail: a changed behaviour, anything that could not be judged, and (unless allowed) a retired route. */
export const BROKEN: ReadonlySet<TestOutcome> = new Set(['no verdict', 'not sent', 'no answer', 'rate limited']);
export const failing = (o: TestOutcome, allowRetired = false): boolean => o === 'changed' || BROKEN.has(o) || (o === 'retired' && !allowRetired);

export interface ContractResult {
  check: string;
  /** The column: a target, or `suite`. */
  subject: string;
  outcome: TestOutcome;
  name: string;
  /** The verdict's headline, or the first line of the error of a test that left none. */
  message?: string;
  pin?: string;
  /** Requests sent to the subject (0 for a check of the client code). */
  requests: number;
  pipeline?: string;
}

export interface RunResults {
  file: string;
  record: RunRecord;
  results: ContractResult[];
}

export class NoResultsError extends Error {
  override name = 'NoResultsError';
}

/** `<LIVEPEER_REPORTS_DIR or reports>` (support/paths.ts, as vitest.config.ts reads it). */
export const reportsDirFromEnv = (env: Record<string, string | undefined> = process.env) => reportsDirFrom(env);

/** A test's outcome: its verdict's, `skipped`, or `no verdict` for one that ran and left none (it broke before judging). */
export function testOutcome(t: TestEntry): TestOutcome {
  if (t.verdict) return t.verdict.outcome;
  if (t.state === 'skip' || t.state === 'pending') return 'skipped';
  return 'no verdict';
}

function toResult(t: TestEntry): ContractResult | undefined {
  const about = t.verdict ?? t.about;
  if (!about) return undefined; // not a contract test
  const outcome = testOutcome(t);
  const message = t.verdict ? t.verdict.headline : t.error;
  return {
    check: about.check,
    subject: about.subject,
    outcome,
    name: t.name,
    ...(message ? { message } : {}),
    ...(t.verdict?.pin ? { pin: t.verdict.pin } : {}),
    requests: t.verdict?.requests ?? 0,
    ...(about.pipeline ? { pipeline: about.pipeline } : {}),
  };
}

/** Reads a run record. Throws NoResultsError when there is nothing to judge, or it is a self-check's. */
export function readRunFile(file: string): RunResults {
  let record: RunRecord;
  try {
    record = readRunRecord(file);
  } catch (err) {
    if (err instanceof RunRecordError) throw new NoResultsError(err.message);
    throw err;
  }
  if (record.run.kind !== 'target') {
    throw new NoResultsError(`${file} is the record of a self-check run (${record.run.project}: the suite against its own loopback servers): it speaks for no target. Judge the run against the target: ${verdictsFile('<reports>')}.`);
  }
  const results = record.tests.flatMap((t) => toResult(t) ?? []);
  return { file, record, results };
}

/** Every retired route of the run, once per target and pipeline: found before the specs, or by a check. */
export function retirements(run: RunResults): Retirement[] {
  const all = [...run.record.run.retired, ...run.record.tests.flatMap((t) => (t.verdict?.retired ? [t.verdict.retired] : []))];
  return [...new Map(all.map((r) => [`${r.target} ${r.pipeline}`, r])).values()];
}

/** Every end-of-life header the run saw, once each. */
export function notices(run: RunResults): Notice[] {
  const all = [...run.record.run.notices, ...run.record.tests.flatMap((t) => t.verdict?.notices ?? [])];
  return [...new Map(all.map((n) => [JSON.stringify([n.target, n.path, n.deprecation, n.sunset, n.warning]), n])).values()];
}

/** The run in `<reportsDir>/verdicts.json`. */
export const readRun = (reportsDir: string): RunResults => readRunFile(verdictsFile(reportsDir));

/** An earlier run given by hand: a reports folder, or its verdicts file itself. */
export const readRunAt = (path: string): RunResults => readRunFile(path.endsWith('.json') ? path : verdictsFile(path));

export type Counts = Record<TestOutcome, number>;

export interface Cell {
  doc: string;
  /** The column: a target of the run, or `suite`. */
  target: string;
  outcome: CellOutcome;
  /** Tests judged in this cell; for a target, only those that sent it a request (a skip sends none). */
  tests: number;
  counts: Counts;
  /** Why the catalogue has no spec for this check here. */
  note?: string;
}

const emptyCounts = (): Counts => ({ 'no verdict': 0, 'not sent': 0, 'no answer': 0, 'rate limited': 0, changed: 0, retired: 0, 'known deviation': 0, conforms: 0, skipped: 0 });

/** DOC-01 … DOC-16, then SDK-01 …, then anything else, numbers in numeric order. */
export function compareChecks(a: string, b: string): number {
  const rank = (id: string) => (id.startsWith('DOC-') ? 0 : id.startsWith('SDK-') ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

/** The run's targets in catalogue order. */
const targetsOf = (run: RunResults) => TARGET_IDS.filter((t) => run.record.run.targets.includes(t));

/**
 * One cell per check and column: each check of the catalogue in the columns it speaks for (its
 * targets, or `suite` alone for a check of the client code); a cell the run did not reach shows
 * as `not run`, or `not applicable` where the catalogue says why.
 */
export function cells(run: RunResults): Cell[] {
  const targets = targetsOf(run);
  const checks = [...new Set<string>([...CHECK_IDS, ...run.results.map((r) => r.check)])].sort(compareChecks);
  const out: Cell[] = [];
  for (const doc of checks) {
    const known = (CHECK_IDS as readonly string[]).includes(doc);
    const subjects: string[] = known ? subjectsOf(doc as CheckId, targets) : [...new Set(run.results.filter((r) => r.check === doc).map((r) => r.subject))];
    for (const subject of subjects) {
      const here = run.results.filter((r) => r.check === doc && r.subject === subject);
      const counts = emptyCounts();
      for (const r of here) counts[r.outcome]++;
      const worst = TEST_OUTCOMES.find((o) => counts[o] > 0);
      const judged = here.filter((r) => r.outcome !== 'skipped' && (subject === SUITE || r.requests > 0 || BROKEN.has(r.outcome)));
      const note = known ? CHECKS[doc as CheckId].noSpec?.[subject as Subject] : undefined;
      const outcome: CellOutcome = worst ?? (note ? 'not applicable' : 'not run');
      out.push({ doc, target: subject, outcome, tests: judged.length, counts, ...(note ? { note } : {}) });
    }
  }
  return out;
}

/** Columns in order (targets, then suite), for tables. */
export const columns = (all: readonly Cell[]) => {
  const seen = new Set(all.map((c) => c.target));
  return [...TARGET_IDS.filter((t) => seen.has(t)), ...(seen.has(SUITE) ? [SUITE] : []), ...[...seen].filter((t) => t !== SUITE && !(TARGET_IDS as readonly string[]).includes(t))];
};
export const rows = (all: readonly Cell[]) => [...new Set(all.map((c) => c.doc))];

/** How the gate counts an outcome. */
export const groupOf = (o: TestOutcome): 'pass' | 'fail' | 'retired' | 'broken' | 'skipped' => (o === 'skipped' ? 'skipped' : o === 'no verdict' ? 'broken' : OUTCOME_GROUP[o]);

/** True when this module file is the process entry (`tsx scripts/x.ts`), not imported by a test. */
export const isEntry = (metaUrl: string) => !!process.argv[1] && metaUrl === pathToFileURL(resolve(process.argv[1])).href;
