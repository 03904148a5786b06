// Reads the last run's allure results back: one verdict per contract test, and the check × target
// cells the gate and the matrix print. The labels come from support/report/allure.ts (LABELS).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CHECK_IDS, CHECKS, TARGET_IDS, type CheckId, type TargetId } from '../support/catalogue.ts';
import { allureResultsDir, ENVIRONMENT_FILE, parseEnvironment } from '../support/report/allure-env.ts';
import { LABELS } from '../support/report/allure.ts';

/** Worst first: a cell shows the worst outcome of its tests. */
export const TEST_OUTCOMES = ['broken', 'changed', 'known deviation', 'conforms', 'skipped'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];
/** A cell without tests: not applicable (the catalogue says why) or not run. */
export type CellOutcome = TestOutcome | 'not applicable' | 'not run';

/** Allure's result file, as far as the gate needs it; other fields pass through unread. */
const AllureResult = z.looseObject({
  uuid: z.string(),
  name: z.string(),
  fullName: z.string().optional(),
  historyId: z.string().optional(),
  status: z.enum(['passed', 'failed', 'broken', 'skipped', 'unknown']).optional(),
  statusDetails: z.looseObject({ message: z.string().optional(), trace: z.string().optional() }).optional(),
  labels: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).default([]),
  start: z.number().optional(),
  stop: z.number().optional(),
});
type AllureResult = z.infer<typeof AllureResult>;

export interface ContractResult {
  check: string;
  target: string;
  outcome: TestOutcome;
  status: string;
  name: string;
  /** First line of the failure message, for the gate's list of what failed. */
  message?: string;
  deviation?: string;
}

export interface RunResults {
  dir: string;
  results: ContractResult[];
  environment: Record<string, string>;
}

export class NoResultsError extends Error {
  override name = 'NoResultsError';
}

/** `<LIVEPEER_REPORTS_DIR or reports>`, read like vitest.config.ts reads it. */
export const reportsDirFromEnv = (env: Record<string, string | undefined> = process.env) => env.LIVEPEER_REPORTS_DIR?.trim() || 'reports';

const label = (r: AllureResult, name: string) => r.labels.findLast((l) => l.name === name)?.value;

/** Contract results carry the check label; one that broke before labelling is still a spec. */
const isContract = (r: AllureResult) => label(r, LABELS.check) !== undefined || /(^|:)specs\//.test(r.fullName ?? '');

export function testOutcome(status: string | undefined, outcome: string | undefined): TestOutcome {
  if (status === 'skipped') return 'skipped';
  if (status === 'passed') return outcome === 'known deviation' ? 'known deviation' : outcome === 'changed' ? 'changed' : 'conforms';
  // Failed, broken or unknown: a judged change, or a failure before (or after) the judgement.
  return outcome === 'changed' ? 'changed' : 'broken';
}

function toContractResult(r: AllureResult): ContractResult {
  const check = label(r, LABELS.check) ?? /^((?:DOC|SDK)-\d+)\b/.exec(r.name)?.[1] ?? 'unlabelled';
  const target = label(r, LABELS.target) ?? /\[(\w+)\]\s*$/.exec(r.name)?.[1] ?? 'unknown';
  const message = r.statusDetails?.message?.split('\n').find((l) => l.trim());
  const deviation = label(r, LABELS.deviation);
  return {
    check,
    target,
    outcome: testOutcome(r.status, label(r, LABELS.outcome)),
    status: r.status ?? 'unknown',
    name: r.name,
    ...(message ? { message } : {}),
    ...(deviation ? { deviation } : {}),
  };
}

/** Reads `<reportsDir>/allure-results`. Throws NoResultsError when there is nothing to judge. */
export const readRun = (reportsDir: string): RunResults => readResults(allureResultsDir(reportsDir));

/** An earlier run given by hand: a reports folder, or its allure-results folder itself. */
export const readRunAt = (dir: string): RunResults => readResults(existsSync(allureResultsDir(dir)) ? allureResultsDir(dir) : dir);

export function readResults(dir: string): RunResults {
  if (!existsSync(dir)) throw new NoResultsError(`No results: ${resolve(dir)} does not exist. Run the suite first (npm test), then this command.`);
  const latest = new Map<string, AllureResult>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json')).sort()) {
    let parsed: AllureResult;
    try {
      parsed = AllureResult.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    } catch (err) {
      throw new NoResultsError(`Unreadable result ${join(dir, file)}: ${(err as Error).message.split('\n')[0]}. Delete ${dir} and run the suite again.`);
    }
    if (!isContract(parsed)) continue;
    // A retried test leaves one file per attempt: the last attempt is the verdict. The same spec
    // run in another mode (replay, and live against loopback servers) has the same historyId
    // (allure-vitest ignores the vitest project), so the mode is part of the key.
    const key = `${parsed.historyId ?? parsed.uuid} ${label(parsed, LABELS.mode) ?? ''}`;
    const seen = latest.get(key);
    if (!seen || (parsed.stop ?? parsed.start ?? 0) >= (seen.stop ?? seen.start ?? 0)) latest.set(key, parsed);
  }
  if (latest.size === 0) throw new NoResultsError(`No contract results in ${resolve(dir)}: run the contract specs first (npm test, or npx vitest run --project contract).`);
  const envFile = join(dir, ENVIRONMENT_FILE);
  const environment = existsSync(envFile) ? parseEnvironment(readFileSync(envFile, 'utf8')) : {};
  return { dir, results: [...latest.values()].map(toContractResult), environment };
}

export type Counts = Record<TestOutcome, number>;

export interface Cell {
  doc: string;
  target: string;
  outcome: CellOutcome;
  tests: number;
  counts: Counts;
  /** Why the catalogue has no spec for this check on this target. */
  note?: string;
}

const emptyCounts = (): Counts => ({ broken: 0, changed: 0, 'known deviation': 0, conforms: 0, skipped: 0 });

/** DOC-01 … DOC-16, then SDK-01 …, then anything else, numbers in numeric order. */
export function compareChecks(a: string, b: string): number {
  const rank = (id: string) => (id.startsWith('DOC-') ? 0 : id.startsWith('SDK-') ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

function orderedTargets(run: RunResults): string[] {
  const fromEnv = run.environment.targets?.split(',').map((t) => t.trim()).filter(Boolean) ?? [];
  const all = new Set([...fromEnv, ...run.results.map((r) => r.target)]);
  const known = TARGET_IDS.filter((t) => all.has(t));
  return [...known, ...[...all].filter((t) => !(TARGET_IDS as readonly string[]).includes(t)).sort()];
}

/**
 * One cell per check and target: every check in the results plus every DOC row of the catalogue
 * (a row the run did not reach shows as `not run`, or `not applicable` where the catalogue says so).
 */
export function cells(run: RunResults): Cell[] {
  const targets = orderedTargets(run);
  const checks = [...new Set<string>([...CHECK_IDS, ...run.results.map((r) => r.check)])].sort(compareChecks);
  const out: Cell[] = [];
  for (const doc of checks) {
    for (const target of targets) {
      const here = run.results.filter((r) => r.check === doc && r.target === target);
      const counts = emptyCounts();
      for (const r of here) counts[r.outcome]++;
      const worst = TEST_OUTCOMES.find((o) => counts[o] > 0);
      const note = (CHECK_IDS as readonly string[]).includes(doc) ? CHECKS[doc as CheckId].noSpec?.[target as TargetId] : undefined;
      const outcome: CellOutcome = worst ?? (note ? 'not applicable' : 'not run');
      out.push({ doc, target, outcome, tests: here.length, counts, ...(note ? { note } : {}) });
    }
  }
  return out;
}

/** Targets in column order, for tables. */
export const columns = (all: readonly Cell[]) => [...new Set(all.map((c) => c.target))];
export const rows = (all: readonly Cell[]) => [...new Set(all.map((c) => c.doc))];

/** True when this module file is the process entry (`tsx scripts/x.ts`), not imported by a test. */
export const isEntry = (metaUrl: string) => !!process.argv[1] && metaUrl === pathToFileURL(resolve(process.argv[1])).href;
