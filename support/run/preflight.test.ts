// Real targets as they are, on 127.0.0.1: a port nobody listens on, a server that never answers, a
// runner with AUTH_TOKEN and no key configured (each: one setup error, and no spec runs), a runner
// container that serves one pipeline (every other pipeline is a RUN-01 check that passes on its 404,
// nothing is "changed", the gate passes), and a gateway whose routes are retired (the gate fails
// with one line per pipeline and its Sunset date). Each in a child vitest run, as a user runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { gate } from '../../scripts/gate.ts';
import { readRun } from '../../scripts/results.ts';
import { runOnLoopback, runVitest, tail, type ChildRun } from '../loopback/child-run.ts';
import { existsSync } from 'node:fs';
import { verdictsFile } from '../paths.ts';
import { readRunRecord } from '../report/run-record.ts';

const tmp = mkdtempSync(join(tmpdir(), 'preflight-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const reportsDir = () => join(tmp, `reports-${++n}`);

function runGate(dir: string, argv: string[] = []) {
  const lines: string[] = [];
  const code = gate({ LIVEPEER_REPORTS_DIR: dir }, (s) => lines.push(s), argv);
  return { code, out: lines.join('\n') };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A live run of the contract specs against a URL, with short deadlines. */
const liveAt = (url: string, reports: string, target = 'runner') =>
  runVitest(['--project', 'contract'], {
    LIVEPEER_TEST_MODE: 'live',
    LIVEPEER_TARGET: target,
    LIVEPEER_GATEWAY_URL: url,
    LIVEPEER_REPORTS_DIR: reports,
    LIVEPEER_CONNECT_TIMEOUT_MS: '1000',
    LIVEPEER_CHECK_TIMEOUT_MS: '1000',
  });

/** One setup error, shown once, and not a single spec: no verdicts, no tests. */
function expectStoppedBeforeAnySpec(run: ChildRun, reports: string, message: RegExp): void {
  const out = `${run.stdout}\n${run.stderr}`;
  expect(run.code, tail(run)).not.toBe(0);
  expect(out).toMatch(message);
  expect(out.match(/PreflightError: Preflight:/g), 'the message comes once').toHaveLength(1);
  expect(out).not.toMatch(/Tests\s+\d+ (passed|failed)/);
  // The record says what was judged and why nothing else was: the gate fails, naming it.
  const record = readRunRecord(verdictsFile(reports));
  expect(record.tests).toEqual([]);
  expect(record.stopped).toMatch(message);
  const g = runGate(reports);
  expect(g.code).toBe(1);
  expect(g.out).toMatch(/runner: the run stopped before any spec — Preflight: /);
}

describe('preflight: a target that does not answer stops the run once, before any spec', () => {
  test('a refused port: the URL, ECONNREFUSED, the variable to fix and npm run diagnose', { timeout: 60_000 }, async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const reports = reportsDir();
    const run = await liveAt(`http://127.0.0.1:${port}`, reports);
    expectStoppedBeforeAnySpec(run, reports, new RegExp(`Preflight: no answer from runner at http://127\\.0\\.0\\.1:${port}: unreachable \\(ECONNREFUSED\\)\\.[\\s\\S]*LIVEPEER_GATEWAY_URL is its base URL \\(LIVEPEER_TARGET=runner\\)[\\s\\S]*npm run diagnose[\\s\\S]*No spec ran`));
  });

  test('a silent port (accepts, never answers): cut at LIVEPEER_CHECK_TIMEOUT_MS, named', { timeout: 60_000 }, async () => {
    const silent = createServer((socket) => socket.resume());
    const port = await listen(silent);
    const reports = reportsDir();
    try {
      const run = await liveAt(`http://127.0.0.1:${port}`, reports);
      expectStoppedBeforeAnySpec(run, reports, /Preflight: no answer from runner at http:\/\/127\.0\.0\.1:\d+: timeout \(TimeoutError\), nothing came within LIVEPEER_CHECK_TIMEOUT_MS=1000 ms\.[\s\S]*npm run diagnose/);
    } finally {
      silent.close();
    }
  });

  test('a server that closes every connection: dropped, named, no spec runs', { timeout: 60_000 }, async () => {
    const closing = createServer((socket) => socket.destroy());
    const port = await listen(closing);
    const reports = reportsDir();
    try {
      const run = await liveAt(`http://127.0.0.1:${port}`, reports);
      expectStoppedBeforeAnySpec(run, reports, /Preflight: no answer from runner at http:\/\/127\.0\.0\.1:\d+: dropped \((ECONNRESET|UND_ERR_SOCKET)\)/);
    } finally {
      closing.close();
    }
  });
});

describe('token runners', () => {
  test('a runner with AUTH_TOKEN and no key configured: one setup error naming LIVEPEER_API_KEY, no spec runs', { timeout: 60_000 }, async () => {
    const reports = reportsDir();
    const { run } = await runOnLoopback({ target: 'runner', mode: 'live', server: { token: 'runner-token-0001' }, vars: { LIVEPEER_REPORTS_DIR: reports } });
    expectStoppedBeforeAnySpec(run, reports, /Preflight: the runner at http:\/\/127\.0\.0\.1:\d+ checks a bearer token \(AUTH_TOKEN\): it answered 401 \{"detail":\{"msg":"Invalid bearer token\."\}\}[\s\S]*Set LIVEPEER_API_KEY to its AUTH_TOKEN/);
  });

  test('with its token as LIVEPEER_API_KEY: DOC-11 holds as documented, with no pin, and no message asks to delete one', { timeout: 120_000 }, async () => {
    const reports = reportsDir();
    const { run } = await runOnLoopback({ target: 'runner', mode: 'live', server: { token: 'runner-token-0001' }, files: ['specs/auth.spec.ts'], vars: { LIVEPEER_REPORTS_DIR: reports, LIVEPEER_API_KEY: 'runner-token-0001' } });
    expect(run.code, tail(run)).toBe(0);
    const results = readRun(reports);
    expect(results.record.run.checksToken).toEqual({ runner: true });
    const doc11 = results.results.filter((r) => r.check === 'DOC-11');
    // 9 pipelines × 4 credential cases (support/data/auth-probe.ts AUTH_CASES; token-scheme among them: the runner answers `Token <token>` 401, runner-observed O100).
    expect(doc11).toHaveLength(36);
    expect(doc11.every((r) => r.outcome === 'conforms' && r.pin === undefined)).toBe(true);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/stale|remove it from/);
  });
});

describe('a runner container that serves one pipeline', () => {
  test('live: the served pipeline is checked as before, the other eight are RUN-01 checks passing on 404, nothing changed, the gate passes', { timeout: 300_000 }, async () => {
    const reports = reportsDir();
    const { run } = await runOnLoopback({ target: 'runner', mode: 'live', server: { pipeline: 'upscale' }, vars: { LIVEPEER_REPORTS_DIR: reports } });
    expect(run.code, tail(run)).toBe(0);
    expect(run.stdout).toMatch(/serves runner: upscale \(GET \/version\)/);
    const results = readRun(reports);
    expect(results.record.run.served).toEqual({ runner: { pipelines: ['upscale'], source: 'GET /version' } });
    expect(results.record.run.versions).toEqual({ runner: '0.14.1' });
    const run01 = results.results.filter((r) => r.check === 'RUN-01');
    expect(run01.map((r) => r.pipeline).sort()).toEqual(['audio-to-text', 'image-to-image', 'image-to-text', 'image-to-video', 'llm', 'segment-anything-2', 'text-to-image', 'text-to-speech']);
    expect(run01.every((r) => r.outcome === 'conforms')).toBe(true);
    expect(results.results.filter((r) => r.outcome === 'changed')).toEqual([]);
    // The upscale checks ran; the others were skipped with the reason, none judged.
    expect(results.results.filter((r) => r.pipeline === 'upscale' && r.outcome !== 'skipped').length).toBeGreaterThan(10);
    // (DOC-07 has no spec on a runner at all; the suite column's checks speak for no target.)
    const skippedElsewhere = results.record.tests.filter((t) => t.about?.subject === 'runner' && t.about.pipeline && t.about.pipeline !== 'upscale' && t.about.check !== 'RUN-01' && t.about.check !== 'DOC-07');
    expect(skippedElsewhere.length).toBeGreaterThan(50);
    expect(skippedElsewhere.filter((t) => !(t.state === 'skip' && /not served in this run: the runner serves upscale \(GET \/version\)/.test(t.name))).map((t) => `${t.state} ${t.name}`)).toEqual([]);
    const { code, out } = runGate(reports);
    expect(code, out).toBe(0);
    expect(out).toMatch(/RUN-01\s+runner\s+8\s+0\s+0/);
  });

  test('LIVEPEER_PIPELINES naming a pipeline the container does not serve is a setup error', { timeout: 60_000 }, async () => {
    const reports = reportsDir();
    const { run } = await runOnLoopback({ target: 'runner', mode: 'live', server: { pipeline: 'upscale' }, vars: { LIVEPEER_REPORTS_DIR: reports, LIVEPEER_PIPELINES: 'text-to-image' } });
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/LIVEPEER_PIPELINES="text-to-image" names text-to-image, but the runner at http:\/\/127\.0\.0\.1:\d+\S* serves upscale only \(its GET \/version\)/);
    expect(existsSync(verdictsFile(reports))).toBe(false);
  });
});

describe('retired routes', () => {
  test('a gateway answering 410 Gone: the gate fails with one retired line per pipeline and its Sunset date', { timeout: 120_000 }, async () => {
    const reports = reportsDir();
    const sunset = 'Wed, 31 Dec 2025 23:59:59 GMT';
    const { run } = await runOnLoopback({ target: 'gateway', mode: 'live', server: { retired: { sunset } }, files: ['specs/connectivity.spec.ts', 'specs/responses.spec.ts'], vars: { LIVEPEER_REPORTS_DIR: reports } });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(out).toContain(`retired: gateway answers 410 Gone on /text-to-image (Sunset: ${sunset}): pipeline "text-to-image" is deprecated and no longer supported`);
    expect(out).toContain(`gateway announced sunset of /text-to-image on ${sunset}`);
    const results = readRun(reports);
    expect(results.record.run.retired).toHaveLength(9);
    expect(results.results.filter((r) => r.outcome === 'changed')).toEqual([]);
    const g = runGate(reports);
    expect(g.code).toBe(1);
    const lines = g.out.split('\n').filter((l) => /^\s+retired: gateway \//.test(l));
    expect(lines).toHaveLength(9);
    for (const l of lines) expect(l).toContain(`(Sunset: ${sunset})`);
    expect(g.out).toContain('retired: gateway /image-to-video answers 410 Gone (Sunset: Wed, 31 Dec 2025 23:59:59 GMT): pipeline "image-to-video" is deprecated and no longer supported');
    expect(g.out).toMatch(/note: gateway announced sunset of \/text-to-image on Wed, 31 Dec 2025/);
    // Accepted on purpose: a pass, the retirements still said.
    const allowed = runGate(reports, ['--allow-retired']);
    expect(allowed.code, allowed.out).toBe(0);
    expect(allowed.out).toMatch(/note: retired: gateway \/text-to-image/);
  });
});
