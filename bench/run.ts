// `npm run bench`: the five benchmarks of issue 7 and the cost of a live run (issue 16), each a ratio of two things measured side by
// side in this one run, medians over several runs. Prints a table and writes
// reports/bench/summary.json. Not part of `npm test`.
//
//   npm run bench                         all five, 5 runs each (3 for the suite-level growth runs)
//   npm run bench -- --runs 3             fewer runs (also BENCH_RUNS=3)
//   npm run bench -- --only client,retry  some of: suite, retry, client, report, cassettes, cost (also BENCH_ONLY)
//   npm run bench -- --growth-runs 1      suite runs per cassette scale (also BENCH_GROWTH_RUNS; 0 skips them)
//   npm run bench -- --results reports    build the report from an existing run instead of a fresh full run
//
// In-process benchmarks (retry, client, cassettes) run in their own Node process each, so one's
// interception or dispatcher never touches another's numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import type { CassetteBench } from './cassettes.ts';
import type { ClientBench } from './client.ts';
import { BENCH_DIR, fmtMs, fmtRatio, intOption, median, option, ROOT, round, runChild, table, treeFingerprint } from './lib.ts';
import { benchReport, type ReportBench } from './report.ts';
import type { RetryBench } from './retry.ts';
import { benchSuite, type SuiteBench } from './suite.ts';
import { benchCost, COST_GOAL, costMet, type CostBench } from './cost.ts';

const BENCHES = ['retry', 'client', 'suite', 'cassettes', 'report', 'cost'] as const;
type Bench = (typeof BENCHES)[number];

export const TARGETS = {
  suite: { max: 3, text: '≤ 3×' },
  retry: { min: 600, text: '≥ 600×' },
  client: { max: 1.2, text: '≤ 1.2×' },
  report: { maxMs: 10_000, text: '≤ 10 s' },
  cassettes: { maxExponent: 1.15, text: 'near linear (exponent ≤ 1.15)' },
  cost: { text: `0 duplicates; studio ≤ ${COST_GOAL.studioPaidBesidesRetries} paid besides DOC-07's retries, ≤ ${COST_GOAL.studioWaitMs / 60_000} min waiting` },
} as const;

const argv = process.argv.slice(2);
const runs = intOption(argv, 'runs', 'BENCH_RUNS', 5);
const growthRaw = option(argv, 'growth-runs', 'BENCH_GROWTH_RUNS');
const growthRuns = growthRaw === '0' ? 0 : intOption(argv, 'growth-runs', 'BENCH_GROWTH_RUNS', 3);
const onlyRaw = option(argv, 'only', 'BENCH_ONLY');
const only = (onlyRaw ? onlyRaw.split(',').map((s) => s.trim()) : [...BENCHES]) as Bench[];
for (const b of only) if (!(BENCHES as readonly string[]).includes(b)) throw new Error(`--only: unknown benchmark "${b}": use ${BENCHES.join(', ')}`);
const resultsFrom = option(argv, 'results');

const log = (line: string) => console.error(line);

/** Runs a bench module in a fresh Node process and reads the JSON it prints last. */
async function inChild<T>(file: string, args: string[]): Promise<T> {
  const run = await runChild(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', file), ...args], process.env, 1_800_000, { stderr: 'inherit' });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0 || !last.startsWith('{')) throw new Error(`bench/${file} failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(last) as T;
}

interface Summary {
  date: string;
  node: string;
  cpus: number;
  loadavg: { start: number[]; end?: number[] };
  /** specs/, support/, fixtures/, vitest config at start and end: an edit during the run skews the suite numbers. */
  tree: { start: string; end?: string };
  runs: number;
  growthRuns: number;
  results: Partial<{ retry: RetryBench; client: ClientBench; suite: SuiteBench; cassettes: CassetteBench; report: ReportBench; cost: CostBench }>;
  verdicts: Partial<Record<Bench | 'clientOwnWork', 'met' | 'missed'>>;
  durationMs?: number;
}

const started = performance.now();
const summary: Summary = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadavg: { start: loadavg().map(round) },
  tree: { start: treeFingerprint() },
  runs,
  growthRuns,
  results: {},
  verdicts: {},
};

for (const bench of BENCHES.filter((b) => only.includes(b))) {
  log(`bench ${bench} …`);
  switch (bench) {
    case 'retry':
      summary.results.retry = await inChild<RetryBench>('retry.ts', ['--runs', String(runs)]);
      break;
    case 'client':
      // Many short rounds rather than a few long ones: each round's ratios are taken back to back.
      summary.results.client = await inChild<ClientBench>('client.ts', ['--runs', String(runs * 6)]);
      break;
    case 'suite':
      summary.results.suite = await benchSuite(runs, log);
      break;
    case 'cassettes':
      summary.results.cassettes = await inChild<CassetteBench>('cassettes.ts', ['--runs', String(runs), '--growth-runs', String(growthRuns)]);
      break;
    case 'report':
      summary.results.report = await benchReport(runs, log, resultsFrom);
      break;
    case 'cost':
      summary.results.cost = await benchCost(log);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Verdicts and the table

const r = summary.results;
const rows: string[][] = [['#', 'benchmark', 'measured (medians)', 'ratio', 'target', 'verdict']];
const verdict = (bench: Bench | 'clientOwnWork', met: boolean) => {
  summary.verdicts[bench] = met ? 'met' : 'missed';
  return met ? 'met' : 'MISSED';
};
if (r.suite) {
  const s = r.suite;
  rows.push(['1', `replay suite (${s.tests.total} tests) ÷ empty run, same config`, `${fmtMs(s.suite.median)} ÷ ${fmtMs(s.floor.median)}`, fmtRatio(s.ratio), TARGETS.suite.text, verdict('suite', s.ratio <= TARGETS.suite.max)]);
  rows.push(['', '  breakdown: suite ÷ collect-only (-t no match)', `${fmtMs(s.suite.median)} ÷ ${fmtMs(s.collectOnly.median)}`, fmtRatio(s.ratioToCollectOnly), '', '']);
  if (s.phases.length) {
    const m = (k: 'durationMs' | 'setupMs' | 'importMs' | 'testsMs') => fmtMs(median(s.phases.map((p) => p[k] ?? 0)));
    rows.push(['', '  vitest phases (summed over files)', `duration ${m('durationMs')}: setup ${m('setupMs')}, import ${m('importMs')}, tests ${m('testsMs')}`, '', '', '']);
  }
}
if (r.retry) {
  const x = r.retry;
  rows.push(['2', 'DOC-08 backoff simulated ÷ real (retryWithPolicy)', `${fmtMs(x.simulatedMs)} ÷ ${fmtMs(x.realMs)}`, fmtRatio(x.ratio), TARGETS.retry.text, verdict('retry', x.ratio >= TARGETS.retry.min)]);
  rows.push(['', '  first (cold) run in the process', `${fmtMs(x.simulatedMs)} ÷ ${fmtMs(x.coldMs)}`, fmtRatio(x.simulatedMs / x.coldMs), '', '']);
}
if (r.suite?.doc08.length) {
  const d = r.suite.doc08;
  const ratio = median(d.map((t) => t.simulatedMs / t.realMs));
  rows.push([
    '',
    `  DOC-08 spec tests (${d[0]!.tests}, fake timers; Allure start/stop)`,
    `${fmtMs(median(d.map((t) => t.simulatedMs)))} ÷ ${fmtMs(median(d.map((t) => t.realMs)))}`,
    fmtRatio(ratio),
    TARGETS.retry.text,
    ratio >= TARGETS.retry.min ? 'met' : 'MISSED',
  ]);
}
if (r.client) {
  const c = r.client;
  const t = c.perRequestMs;
  rows.push(['3', 'ApiClient + judge ÷ bare undici.request (loopback)', `${fmtMs(t.client)} ÷ ${fmtMs(t.bare)}`, fmtRatio(c.ratio), TARGETS.client.text, verdict('client', c.ratio <= TARGETS.client.max)]);
  rows.push(['', '  same, CPU time', `${fmtMs(c.cpuPerRequestMs.client)} ÷ ${fmtMs(c.cpuPerRequestMs.bare)}`, fmtRatio(c.cpuRatio), '', '']);
  rows.push(['', '  step 1: global fetch ÷ bare undici.request', `${fmtMs(t.fetch)} ÷ ${fmtMs(t.bare)}`, fmtRatio(c.fetchToBare), '', '']);
  rows.push(['', '  step 2: fetch with deadline signal ÷ plain fetch', `${fmtMs(t.fetchAsClient)} ÷ ${fmtMs(t.fetch)}`, fmtRatio(c.fetchOptionsCost), '', '']);
  // The client must send through global fetch (nock intercepts nothing else), so step 1 is a floor
  // the client cannot go under; its own work is what step 3 measures, against the same target.
  rows.push([
    '3b',
    "the client's own work: ApiClient + judge ÷ the fetch it sits on",
    `${fmtMs(t.client)} ÷ ${fmtMs(t.fetchAsClient)}`,
    fmtRatio(c.clientToFetchAsClient),
    TARGETS.client.text,
    verdict('clientOwnWork', c.clientToFetchAsClient <= TARGETS.client.max),
  ]);
}
if (r.report) {
  const p = r.report;
  rows.push(['4', `${p.command} (${p.results} results)`, fmtMs(p.report.median), '', TARGETS.report.text, verdict('report', p.report.median <= TARGETS.report.maxMs)]);
}
if (r.cassettes) {
  const c = r.cassettes;
  const scales = c.scales;
  rows.push([
    '5',
    `replay load + match, ×${scales.map((s) => s.scale).join('/×')} cassettes (${scales.map((s) => s.interactions).join('/')} exchanges)`,
    scales.map((s) => fmtMs(s.totalMs)).join(' / '),
    scales.map((s) => fmtRatio(s.growth)).join(' / '),
    TARGETS.cassettes.text,
    verdict('cassettes', c.exponent <= TARGETS.cassettes.maxExponent),
  ]);
  rows.push(['', '  same, CPU time', scales.map((s) => fmtMs(s.cpuMs)).join(' / '), scales.map((s) => fmtRatio(s.cpuGrowth)).join(' / '), '', '']);
  rows.push(['', '  growth exponent ×1→×16, wall / CPU (1 = linear)', '', `${round(c.exponent)} / ${round(c.cpuExponent)}`, '', '']);
  if (c.suiteExponent !== undefined) {
    rows.push(['', '  whole replay suite, wall time', scales.map((s) => fmtMs(s.suite!.median)).join(' / '), scales.map((s) => fmtRatio(s.suiteGrowth!)).join(' / '), '', '']);
  }
}

if (r.cost) {
  const c = r.cost;
  const targets = Object.keys(c) as (keyof CostBench)[];
  const per = (f: (t: CostBench[keyof CostBench]) => string) => targets.map((t) => `${t} ${f(c[t])}`).join(', ');
  rows.push(['6', 'paid requests per full live run: before (each check its own copy) → planned', per((x) => `${x.before.paid} → ${x.planned.paid}`), '', TARGETS.cost.text, verdict('cost', costMet(c))]);
  rows.push(['', "  planned, besides DOC-07's retries of a cold model", per((x) => String(x.planned.withoutRetries)), '', '', '']);
  rows.push(['', '  sent live on loopback (no cold model): paid, duplicates', per((x) => (x.sent ? `${x.sent.paid}, ${x.sent.duplicates} dup.` : 'not run')), '', '', '']);
  rows.push(['', "  counted by studio's limit: before → planned, sent; least wait at 20/min", `${c.studio.before.counted} → ${c.studio.planned.counted}, ${c.studio.sent?.counted ?? '–'}; ${fmtMs(c.studio.leastWaitMs)}`, '', '', '']);
}

summary.loadavg.end = loadavg().map(round);
summary.tree.end = treeFingerprint();
summary.durationMs = Math.round(performance.now() - started);
mkdirSync(BENCH_DIR, { recursive: true });
const out = join(BENCH_DIR, 'summary.json');
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);

console.log(`\nlivepeer-ai-contracts benchmarks · node ${summary.node} · ${summary.cpus} CPUs · load ${summary.loadavg.start.join(' ')} → ${summary.loadavg.end.join(' ')} · ${runs} runs`);
console.log(table(rows));
if (summary.tree.end !== summary.tree.start) console.log('\nnote: specs/, support/ or fixtures/ changed during the run: the suite numbers mix two versions of the suite.');
console.log(`\nsummary: ${relative(process.cwd(), out)} (${Math.round(summary.durationMs / 1000)} s)`);
