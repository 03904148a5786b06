// What the benchmarks and the flakiness script share: options, statistics, tables, and vitest
// runs of the contract project in a child process, read back from their vitest.json (the JSON reporter).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readRunSummary, type RunSummary } from '../support/report/vitest-summary.ts';
import { formatTable } from '../support/report/table.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const VITEST = join(ROOT, 'node_modules', '.bin', 'vitest');
/** Where `npm run bench` and `npm run flaky` write their JSON (git-ignored with reports/). */
export const BENCH_DIR = join(ROOT, 'reports', 'bench');

// ---------------------------------------------------------------------------------------------
// Options: `--name value` or `--name=value` on the command line (node:util parseArgs), else an environment variable.

export function option(argv: readonly string[], name: string, envName?: string): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: { [name]: { type: 'string' } }, strict: false, allowPositionals: true });
  const value = values[name];
  return typeof value === 'string' ? value : envName ? process.env[envName] : undefined;
}

export function intOption(argv: readonly string[], name: string, envName: string | undefined, fallback: number): number {
  const raw = option(argv, name, envName);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}${envName ? ` / ${envName}` : ''} must be a whole number ≥ 1, got ${JSON.stringify(raw)}`);
  return n;
}

/** True when the module is the process's entry point (run as a script, not imported). */
export const isMain = (importMetaUrl: string) => process.argv[1] !== undefined && importMetaUrl === pathToFileURL(resolve(process.argv[1])).href;

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export const spread = (values: readonly number[]): Spread => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
  runs: values.length,
});

/** Rounds for display and JSON: 3 significant digits below 100, whole numbers above. */
export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  if (Math.abs(n) >= 100) return Math.round(n);
  return Number(n.toPrecision(3));
}

export const fmtMs = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${round(ms)} ms` : `${round(ms * 1000)} µs`;
export const fmtRatio = (r: number) => (r >= 1000 ? `${Math.round(r).toLocaleString('en-US')}×` : `${round(r)}×`);

/** A plain-text table: the first row is the header. */
export const table = (rows: readonly (readonly string[])[]): string => formatTable(rows, { rule: true }).join('\n');

// ---------------------------------------------------------------------------------------------
// Child processes

export interface ChildRun {
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; wall time from spawn to exit. Output is kept, not shown (stderr may be passed through). */
export function runChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 600_000,
  opts: { stderr?: 'inherit' } = {},
): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', opts.stderr ?? 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ wallMs: performance.now() - started, code, stdout, stderr });
    });
  });
}

/** The environment of a replay run: this process's, less any LIVEPEER_* a user's shell or .env set. */
export function replayEnv(reportsDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('LIVEPEER_')) delete env[k];
  return { ...env, NO_COLOR: '1', LIVEPEER_TEST_MODE: 'replay', LIVEPEER_SKIP_DOTENV: '1', LIVEPEER_REPORTS_DIR: reportsDir, ...extra };
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `livepeer-bench-${prefix}-`));
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/**
 * A hash of what a replay run reads (specs, support code, fixtures, the vitest config). Runs
 * compared with each other must see the same tree: a file edited between runs is no flakiness.
 */
export function treeFingerprint(paths: readonly string[] = ['specs', 'support', 'fixtures', 'vitest.config.ts']): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    let stat;
    try {
      stat = statSync(join(ROOT, path));
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const name of readdirSync(join(ROOT, path)).sort()) visit(join(path, name));
    else if (stat.isFile()) hash.update(`${path}\0`).update(readFileSync(join(ROOT, path))).update('\0');
  };
  for (const p of paths) visit(p);
  return hash.digest('hex').slice(0, 12);
}

export interface ContractRun extends ChildRun {
  reportsDir: string;
  /** From the run's vitest.json; undefined when it stopped before the specs. */
  summary?: RunSummary;
}

/** One `vitest run --project contract …` in replay, with its own reports folder. */
export async function contractRun(args: readonly string[], opts: { reportsDir?: string; env?: Record<string, string>; keep?: boolean } = {}): Promise<ContractRun> {
  const reportsDir = opts.reportsDir ?? tempDir('reports');
  const run = await runChild(VITEST, ['run', '--project', 'contract', ...args], replayEnv(reportsDir, opts.env));
  const result = { ...run, reportsDir, summary: readRunSummary(reportsDir) };
  if (!opts.keep) removeDir(reportsDir);
  return result;
}

/** The last lines of a child's output, to show why a run failed. */
export const tail = (run: ChildRun, lines = 15) => `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-lines).join('\n');
