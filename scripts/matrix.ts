// `npm run matrix`: the check × column table of the last run against the target(s) as Markdown (for
// a PR comment or $GITHUB_STEP_SUMMARY); columns are the run's targets, and `suite` for the checks
// of the client code (judged once). `npm run matrix -- --json`: one row per check and column,
// `{doc, target, outcome, tests}` (plus `counts`, and `note` where the catalogue has no spec);
// `npm run matrix -- --since <dir>`: only the cells whose outcome differs from an earlier run's.
import { parseArgs } from 'node:util';
import { CHECK_IDS, CHECKS, type CheckId } from '../support/catalogue.ts';
import { describeServed } from '../support/run/served.ts';
import { cells, columns, isEntry, NoResultsError, readRun, readRunAt, reportsDirFromEnv, rows, TEST_OUTCOMES, type Cell, type CellOutcome } from './results.ts';

const MARK: Record<CellOutcome, string> = {
  'no verdict': '💥',
  'not sent': '💥',
  'no answer': '🔌',
  'rate limited': '⏳',
  changed: '❌',
  retired: '🪦',
  'known deviation': '⚠️',
  conforms: '✅',
  skipped: '⏭️',
  'not applicable': '—',
  'not run': '·',
};

function cellText(c: Cell | undefined): string {
  if (!c) return '';
  if (c.tests === 0) return `${MARK[c.outcome]} ${c.outcome}`;
  const parts = TEST_OUTCOMES.filter((o) => c.counts[o] > 0);
  const detail = parts.length > 1 ? parts.map((o) => `${c.counts[o]} ${o}`).join(', ') : `${c.tests}`;
  return `${MARK[c.outcome]} ${c.outcome} (${detail})`;
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per check; a check of the client code fills the `suite` column only. */
export function markdown(all: readonly Cell[]): string {
  const targets = columns(all);
  const lines = [`| check | ${targets.join(' | ')} |`, `|---|${targets.map(() => '---').join('|')}|`];
  for (const doc of rows(all)) {
    const statement = (CHECK_IDS as readonly string[]).includes(doc) ? ` ${CHECKS[doc as CheckId].statement}` : '';
    const row = targets.map((t) => cellText(all.find((c) => c.doc === doc && c.target === t)));
    lines.push(`| **${doc}**${escapeCell(statement)} | ${row.map(escapeCell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function jsonRows(all: readonly Cell[]) {
  return all.map(({ doc, target, outcome, tests, counts, note }) => ({ doc, target, outcome, tests, counts, ...(note ? { note } : {}) }));
}

export interface Change {
  doc: string;
  target: string;
  before: CellOutcome;
  now: CellOutcome;
  testsBefore: number;
  testsNow: number;
}

/** Cells whose outcome differs between two runs; a cell missing from one run counts as not run. */
export function changesSince(before: readonly Cell[], now: readonly Cell[]): Change[] {
  const key = (c: Cell) => `${c.doc} ${c.target}`;
  const earlier = new Map(before.map((c) => [key(c), c]));
  const later = new Map(now.map((c) => [key(c), c]));
  const order = [...now, ...before.filter((c) => !later.has(key(c)))];
  return order
    .map((c) => ({ doc: c.doc, target: c.target, was: earlier.get(key(c)), is: later.get(key(c)) }))
    .filter(({ was, is }) => (was?.outcome ?? 'not run') !== (is?.outcome ?? 'not run'))
    .map(({ doc, target, was, is }) => ({ doc, target, before: was?.outcome ?? 'not run', now: is?.outcome ?? 'not run', testsBefore: was?.tests ?? 0, testsNow: is?.tests ?? 0 }));
}

export function changesMarkdown(changes: readonly Change[], since: string): string {
  if (changes.length === 0) return `No check changed outcome since ${since}.`;
  const lines = [`Changed since ${since}:`, '', '| check | target | before | now |', '|---|---|---|---|'];
  for (const c of changes) lines.push(`| **${c.doc}** | ${c.target} | ${MARK[c.before]} ${c.before} (${c.testsBefore}) | ${MARK[c.now]} ${c.now} (${c.testsNow}) |`);
  return lines.join('\n');
}

export function matrix(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env, print: (s: string) => void = console.log, printError: (s: string) => void = console.error): number {
  try {
    let values: { json?: boolean; since?: string };
    try {
      ({ values } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, since: { type: 'string' } }, strict: true }));
    } catch (err) {
      throw new NoResultsError(`${(err as Error).message}. Use: npm run matrix [-- --json] [-- --since <reports folder or verdicts.json of an earlier run>]`);
    }
    const run = readRun(reportsDirFromEnv(env));
    const all = cells(run);
    if (values.since !== undefined) {
      const changes = changesSince(cells(readRunAt(values.since)), all);
      print(values.json ? JSON.stringify(changes, null, 2) : changesMarkdown(changes, values.since));
      return 0;
    }
    print(values.json ? JSON.stringify(jsonRows(all), null, 2) : `Pipelines checked: ${describeServed(run.record.run)}.\n\n${markdown(all)}`);
    return 0;
  } catch (err) {
    if (!(err instanceof NoResultsError)) throw err;
    printError(`matrix: ${err.message}`);
    return 2;
  }
}

if (isEntry(import.meta.url)) process.exitCode = matrix();
