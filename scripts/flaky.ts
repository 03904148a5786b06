// `npm run flaky`: is the replay suite deterministic? Runs it N times in a row (default 20) in the
// declared order, then M more times (default 1) with vitest's `--sequence.shuffle` (files and
// tests in random order, the seed printed to replay it), each run with its own reports folder.
// Counts failed tests per run from its vitest.json and sorts failing tests into flaky (failed in
// some runs only) and consistent (failed in every run). Writes reports/bench/flaky.json and exits
// non-zero if any run failed (the goal is 0).
//
//   npm run flaky                       20 runs + 1 shuffled (also FLAKY_RUNS, FLAKY_SHUFFLED)
//   npm run flaky -- --runs 5 --shuffled 2
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCH_DIR, contractRun, intOption, option, table, tail, treeFingerprint } from '../bench/lib.ts';

interface RunRecord {
  run: number;
  order: 'declared' | 'shuffled';
  seed?: number;
  seconds: number;
  exitCode: number | null;
  tests?: number;
  failed?: number;
  skipped?: number;
  failedTests: string[];
  /** specs/, support/, fixtures/ and the vitest config as this run read them (bench/lib.ts treeFingerprint). */
  tree: string;
  /** Set when the run wrote no vitest.json: it stopped before the specs (configuration, cassettes). */
  setupError?: string;
}

const argv = process.argv.slice(2);
const runs = intOption(argv, 'runs', 'FLAKY_RUNS', 20);
const shuffledRaw = option(argv, 'shuffled', 'FLAKY_SHUFFLED');
const shuffled = shuffledRaw === '0' ? 0 : intOption(argv, 'shuffled', 'FLAKY_SHUFFLED', 1);

const records: RunRecord[] = [];
const started = performance.now();
const total = runs + shuffled;
for (let i = 0; i < total; i++) {
  const isShuffled = i >= runs;
  const seed = isShuffled ? Math.floor(Math.random() * 2 ** 31) : undefined;
  const args = isShuffled ? ['--sequence.shuffle', '--sequence.seed', String(seed)] : [];
  const tree = treeFingerprint();
  const run = await contractRun(args);
  const after = treeFingerprint();
  const record: RunRecord = {
    run: i + 1,
    order: isShuffled ? 'shuffled' : 'declared',
    ...(seed !== undefined ? { seed } : {}),
    seconds: Math.round(run.wallMs / 100) / 10,
    exitCode: run.code,
    failedTests: run.summary?.failedTests ?? [],
    tree: tree === after ? tree : `${tree}→${after}`,
    ...(run.summary
      ? { tests: run.summary.tests, failed: run.summary.failed, skipped: run.summary.skipped }
      : { setupError: tail(run, 8) }),
  };
  records.push(record);
  console.error(
    `run ${record.run}/${total} ${record.order}${seed !== undefined ? ` (seed ${seed})` : ''}: ${record.seconds} s, ` +
      (run.summary ? `${record.failed} failed of ${record.tests}` : 'no vitest.json: stopped before the specs') +
      `, exit ${run.code}`,
  );
}

// A test is flaky when it failed in some runs and passed in others; consistent when it failed in all.
const completed = records.filter((r) => r.tests !== undefined);
const failures = new Map<string, number>();
for (const r of completed) for (const t of r.failedTests) failures.set(t, (failures.get(t) ?? 0) + 1);
const flaky = [...failures].filter(([, n]) => n < completed.length).map(([name, n]) => ({ name, failedIn: n, of: completed.length }));
const consistent = [...failures].filter(([, n]) => n === completed.length).map(([name]) => name);
const failedRuns = records.filter((r) => r.failed !== 0 || r.exitCode !== 0);

console.log(
  table([
    ['run', 'order', 'seed', 'seconds', 'tests', 'failed', 'skipped', 'exit', 'tree'],
    ...records.map((r) => [
      String(r.run),
      r.order,
      r.seed === undefined ? '' : String(r.seed),
      String(r.seconds),
      String(r.tests ?? '-'),
      String(r.failed ?? 'setup error'),
      String(r.skipped ?? '-'),
      String(r.exitCode),
      r.tree,
    ]),
  ]),
);
const seconds = records.map((r) => r.seconds).sort((a, b) => a - b);
console.log(
  `\n${records.length} runs (${runs} declared order, ${shuffled} shuffled) in ${Math.round((performance.now() - started) / 1000)} s, ` +
    `median ${seconds[seconds.length >> 1]} s per run: ${failedRuns.length} run(s) with a failure or a non-zero exit; ` +
    `${flaky.length} flaky test(s), ${consistent.length} failing in every run.`,
);
for (const f of flaky) console.log(`  flaky: ${f.name} (failed in ${f.failedIn} of ${f.of} runs)`);
for (const name of consistent.slice(0, 20)) console.log(`  fails every run: ${name}`);
if (consistent.length > 20) console.log(`  … and ${consistent.length - 20} more (reports/bench/flaky.json)`);
const trees = new Set(records.map((r) => r.tree));
if (trees.size > 1) {
  console.log(`  the code or fixtures changed during these runs (${[...trees].join(', ')}): differences between runs may be edits, not flakiness — run again on an unchanged tree.`);
}
const exitOnly = records.filter((r) => r.failed === 0 && r.exitCode !== 0);
if (exitOnly.length) console.log(`  ${exitOnly.length} run(s) passed every test but exited non-zero: the hygiene check of a complete run (orphan cassette, unexercised deviation, DOC without spec) — run the suite once to see it.`);

mkdirSync(BENCH_DIR, { recursive: true });
const out = join(BENCH_DIR, 'flaky.json');
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), runs, shuffled, treeChanged: trees.size > 1, records, flaky, consistent }, null, 2)}\n`);
console.log(`\n${relative(process.cwd(), out)}`);
process.exitCode = failedRuns.length === 0 ? 0 : 1;
