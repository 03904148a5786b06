// `npm run matrix`: the check × target table of the last run as Markdown (for a PR comment or
// $GITHUB_STEP_SUMMARY); `npm run matrix -- --json`: one row per check and target,
// `{doc, target, outcome, tests}` (plus `counts`, and `note` where the catalogue has no spec);
// `npm run matrix -- --since <dir>`: only the cells whose outcome differs from an earlier run's.
import { CHECK_IDS, CHECKS, type CheckId } from '../support/catalogue.ts';
import { cells, columns, isEntry, NoResultsError, readRun, readRunAt, reportsDirFromEnv, rows, TEST_OUTCOMES, type Cell, type CellOutcome } from './results.ts';

const MARK: Record<CellOutcome, string> = {
  broken: '💥',
  changed: '❌',
  'known deviation': '⚠️',
  conforms: '✅',
  skipped: '⏭️',
  'not applicable': '—',
  'not run': '·',
};

function cellText(c: Cell): string {
  if (c.tests === 0) return `${MARK[c.outcome]} ${c.outcome}`;
  const parts = TEST_OUTCOMES.filter((o) => c.counts[o] > 0);
  const detail = parts.length > 1 ? parts.map((o) => `${c.counts[o]} ${o}`).join(', ') : `${c.tests}`;
  return `${MARK[c.outcome]} ${c.outcome} (${detail})`;
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdown(all: readonly Cell[]): string {
  const targets = columns(all);
  const lines = [`| check | ${targets.join(' | ')} |`, `|---|${targets.map(() => '---').join('|')}|`];
  for (const doc of rows(all)) {
    const statement = (CHECK_IDS as readonly string[]).includes(doc) ? ` ${CHECKS[doc as CheckId].statement}` : '';
    const row = targets.map((t) => cellText(all.find((c) => c.doc === doc && c.target === t)!));
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

function sinceArg(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--since' || a.startsWith('--since='));
  if (i < 0) return undefined;
  const value = argv[i]!.includes('=') ? argv[i]!.slice('--since='.length) : argv[i + 1];
  if (!value || value.startsWith('--')) throw new NoResultsError('--since needs a folder: the reports folder (or allure-results folder) of an earlier run.');
  return value;
}

export function matrix(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env, print: (s: string) => void = console.log, printError: (s: string) => void = console.error): number {
  try {
    const json = argv.includes('--json');
    const since = sinceArg(argv);
    const all = cells(readRun(reportsDirFromEnv(env)));
    if (since !== undefined) {
      const changes = changesSince(cells(readRunAt(since)), all);
      print(json ? JSON.stringify(changes, null, 2) : changesMarkdown(changes, since));
      return 0;
    }
    print(json ? JSON.stringify(jsonRows(all), null, 2) : markdown(all));
    return 0;
  } catch (err) {
    if (!(err instanceof NoResultsError)) throw err;
    printError(`matrix: ${err.message}`);
    return 2;
  }
}

if (isEntry(import.meta.url)) process.exitCode = matrix();
