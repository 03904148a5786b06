// Runs the suite in a child vitest process, the way a user runs it (`npm run record`, `npm test`),
// with an environment that is exactly what the caller gives: nothing of the parent's vitest, no
// LIVEPEER_* of the caller's shell, no .env. Async, so loopback servers in this process keep answering.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { secretForms } from '../http/redact.ts';

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
