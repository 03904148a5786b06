// Runs the suite in a child vitest process, the way a user runs it (`npm run record`, `npm test`),
// with an environment that is exactly what the caller gives: nothing of the parent's vitest, no
// LIVEPEER_* of the caller's shell, no .env. Async, so loopback servers in this process keep answering.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { secretForms } from '../http/redact.ts';
import type { TargetId } from '../catalogue.ts';
import { SLOTS_VARIABLE, type LoopbackContext } from './projects.ts';
import { startLoopbackTarget, startStatusPage, type LoopbackOptions } from './server.ts';

const ROOT = process.cwd();
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The parent's environment without what would change the child's behaviour. */
export function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|LIVEPEER_)/.test(k) || k === 'TEST' || k === 'NODE_ENV' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', LIVEPEER_SKIP_DOTENV: '1', ...vars };
}

export function runVitest(args: readonly string[], vars: Record<string, string>, timeoutMs = 240_000): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', ...args], { cwd: ROOT, env: childEnv(vars), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

export interface Hit {
  where: string;
  form: string;
}

/** Every place a secret appears, in any of the forms redaction covers (raw, JSON, URL, base64). */
export function secretHits(secret: string, texts: Record<string, string>): Hit[] {
  const forms = secretForms(secret);
  const hits: Hit[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const form of forms) if (text.includes(form)) hits.push({ where, form: form === secret ? 'raw' : `encoded (${form.length} chars)` });
  }
  return hits;
}

/** Every file under the folders, as text, keyed by its path. */
export function filesAsText(...roots: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else out[path] = readFileSync(path).toString('utf8');
  };
  roots.forEach(walk);
  return out;
}

/** The last lines of a run, for a failure message. */
export function tail(run: ChildRun, lines = 60): string {
  return `exit ${run.code} after ${run.ms} ms\n${`${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-lines).join('\n')}`;
}

export interface LoopbackRun {
  run: ChildRun;
  /** The first server's base URL, as LIVEPEER_GATEWAY_URL had it. */
  url: string;
}

/**
 * A child run in live or record mode against loopback servers of one target, one per worker (each
 * test restarts its server's sequences, support/loopback/per-test.ts), with short deadlines and a
 * loopback status page: what a user's live command does, on 127.0.0.1 only.
 */
export async function runOnLoopback(o: {
  target: TargetId;
  mode: 'live' | 'record';
  /** How the servers behave (a one-pipeline runner, a token, a retired gateway…). */
  server?: Omit<LoopbackOptions, 'target' | 'fixturesDir'>;
  /** What the servers answer from (default: the committed fixtures). */
  serverFixtures?: string;
  files?: readonly string[];
  vars: Record<string, string>;
  slots?: number;
  timeoutMs?: number;
}): Promise<LoopbackRun> {
  const slots = o.slots ?? 2;
  const servers = await Promise.all(Array.from({ length: slots }, () => startLoopbackTarget({ target: o.target, fixturesDir: o.serverFixtures ?? 'fixtures', ...o.server })));
  const status = await startStatusPage();
  const context: LoopbackContext = { target: o.target, slots: servers.map((s) => ({ url: s.url, resetUrl: s.resetUrl })) };
  try {
    const run = await runVitest(['--config', 'support/loopback/vitest.child.config.ts', '--project', 'contract', `--maxWorkers=${slots}`, ...(o.files ?? [])], {
      LIVEPEER_TEST_MODE: o.mode,
      LIVEPEER_TARGET: o.target,
      LIVEPEER_GATEWAY_URL: servers[0]!.url,
      LIVEPEER_STATUS_URL: status.url,
      LIVEPEER_CONNECT_TIMEOUT_MS: '2000',
      LIVEPEER_CHECK_TIMEOUT_MS: '5000',
      LIVEPEER_REQUEST_TIMEOUT_MS: '10000',
      LIVEPEER_RETRY_SCALE: '0.001',
      LIVEPEER_MAX_PAID_REQUESTS: '1000',
      [SLOTS_VARIABLE]: JSON.stringify(context),
      ...o.vars,
    }, o.timeoutMs);
    return { run, url: servers[0]!.url };
  } finally {
    await Promise.all([...servers.map((s) => s.close()), status.close()]);
  }
}
