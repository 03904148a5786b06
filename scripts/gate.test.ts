import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { startLoopbackTarget } from '../support/loopback/server.ts';
import { runVitest, tail } from '../support/loopback/child-run.ts';
import { selfCheckDir, verdictsFile } from '../support/paths.ts';
import { EXIT, gate } from './gate.ts';
import { matrix } from './matrix.ts';
import { readRunAt } from './results.ts';
import { CHANGED, PASSING, writeRun } from './synthetic-results.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runGate(env: Record<string, string | undefined>, argv: string[] = []) {
  const lines: string[] = [];
  const code = gate(env, (s) => lines.push(s), argv);
  return { code, out: lines.join('\n') };
}

function matrixJson(reportsDir: string): { doc: string; target: string; outcome: string; tests: number }[] {
  const out: string[] = [];
  expect(matrix(['--json'], { LIVEPEER_REPORTS_DIR: reportsDir }, (s) => out.push(s), () => {})).toBe(0);
  return JSON.parse(out.join('\n'));
}

describe('gate on synthetic results', () => {
  test('passes with only conforms, known deviations and skips, names the run it judged, and prints the check × column table', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun(PASSING, { commit: 'abc123' }) });
    expect(code).toBe(EXIT.pass);
    expect(out).toMatch(/gate: judging run [0-9a-f-]{36} \(contract, started .*\) · mode replay · targets studio, gateway, runner · studio=studio\.example:443 .* · commit abc123/);
    expect(out).toMatch(/check\s+target\s+conforms\s+known dev\.\s+changed\s+retired\s+no answer\s+rate limited\s+broken\s+skipped/);
    expect(out).toMatch(/DOC-01\s+studio\s+0\s+1\s+0/);
    expect(out).toMatch(/DOC-08\s+suite\s+1\s+0\s+0/);
    expect(out).toMatch(/gate: PASS/);
  });

  test('fails when one result changed, and names the target, the count and the test', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun([...PASSING, CHANGED]) });
    expect(code).toBe(EXIT.fail);
    expect(out).toMatch(/DOC-02\s+gateway\s+0\s+0\s+1/);
    expect(out).toContain('gateway: 1 test(s) failed (1 changed)');
    expect(out).toContain('✗ changed: DOC-02 case');
    expect(out).toContain('no deviation is pinned for gateway');
  });

  test('no answer from the target is broken, never changed, and shows the first few tests of many', () => {
    const silent = Array.from({ length: 8 }, (_, i) => ({ check: 'DOC-01', subject: 'runner', state: 'fail', outcome: 'no answer', name: `DOC-01 case ${i} [runner]`, message: 'no answer from runner: unreachable (ECONNREFUSED) on GET http://127.0.0.1:1/text-to-image' }) as const);
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun([...PASSING, ...silent]) });
    expect(code).toBe(EXIT.fail);
    expect(out).toContain('runner: 8 test(s) failed (8 no answer)');
    expect(out).toContain('✗ no answer: DOC-01 case 0 [runner] — no answer from runner: unreachable (ECONNREFUSED) on GET http://127.0.0.1:1/text-to-image');
    expect(out).toContain('… and 3 more on runner');
    expect(out).not.toMatch(/✗ changed/);
  });

  test('retired routes: one line per target and pipeline with the Sunset date, however many checks met them; --allow-retired accepts them', () => {
    const retired = { target: 'studio', pipeline: 'text-to-image', message: 'pipeline "text-to-image" is deprecated and no longer supported', sunset: 'Wed, 31 Dec 2025 23:59:59 GMT', seenIn: 'DOC-10 … [studio]' } as const;
    const tests = [1, 2, 3].map((i) => ({ check: 'DOC-15', subject: 'studio', state: 'fail', outcome: 'retired', name: `DOC-15 t2i ${i} [studio]`, message: 'retired: …' }) as const);
    const dir = writeRun([...PASSING, ...tests]);
    const record = JSON.parse(readFileSync(join(dir, 'verdicts.json'), 'utf8'));
    for (const t of record.tests.filter((x: { verdict?: { outcome: string } }) => x.verdict?.outcome === 'retired')) Object.assign(t.verdict, { pipeline: 'text-to-image', retired });
    writeFileSync(join(dir, 'verdicts.json'), JSON.stringify(record));
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: dir });
    expect(code).toBe(EXIT.fail);
    expect(out.split('\n').filter((l) => l.includes('retired: studio /text-to-image'))).toEqual(['  retired: studio /text-to-image answers 410 Gone (Sunset: Wed, 31 Dec 2025 23:59:59 GMT): pipeline "text-to-image" is deprecated and no longer supported — the docs still promise it; seen in DOC-10 … [studio], 0 of its checks skipped']);
    expect(out).not.toContain('studio: 3 test(s) failed');
    expect(runGate({ LIVEPEER_REPORTS_DIR: dir }, ['--allow-retired']).code).toBe(EXIT.pass);
    expect(runGate({ LIVEPEER_REPORTS_DIR: dir }, ['--allow-retied'])).toMatchObject({ code: EXIT.noResults, out: expect.stringContaining("Unknown option '--allow-retied'") });
  });

  test('fails on a test that ran and left no verdict, and on fewer verdicts than tests that ran', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun([...PASSING, { check: 'DOC-10', subject: 'studio', state: 'fail', name: 'DOC-10 minimal request [studio]', message: 'TypeError: boom' }]) });
    expect(code).toBe(EXIT.fail);
    expect(out).toContain('✗ no verdict: DOC-10 minimal request [studio] — TypeError: boom');
    expect(out).toMatch(/\d+ contract tests ran but only \d+ left a verdict/);
  });

  test('a run where no contract test ran fails: nothing was judged', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun([{ check: 'DOC-01', subject: 'studio', state: 'skip' }]) });
    expect(code).toBe(EXIT.fail);
    expect(out).toContain('no contract test ran: nothing was judged');
  });

  test('no results: a clear error and its own exit code', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'livepeer-reports-')) });
    expect(code).toBe(EXIT.noResults);
    expect(out).toMatch(/gate: FAIL — No run to judge: .*verdicts\.json does not exist\. Run the suite first/);
  });

  test('recorded fixtures older than LIVEPEER_FIXTURE_MAX_AGE_DAYS fail the gate; without it, a note', () => {
    const dir = writeRun(PASSING, { fixtures: { authored: 1, recorded: 1, oldestRecordedDays: 45 } });
    expect(runGate({ LIVEPEER_REPORTS_DIR: dir, LIVEPEER_FIXTURE_MAX_AGE_DAYS: '30' })).toMatchObject({ code: EXIT.fail, out: expect.stringContaining('45 days old, more than LIVEPEER_FIXTURE_MAX_AGE_DAYS=30') });
    expect(runGate({ LIVEPEER_REPORTS_DIR: dir, LIVEPEER_FIXTURE_MAX_AGE_DAYS: '60' }).code).toBe(EXIT.pass);
    expect(runGate({ LIVEPEER_REPORTS_DIR: dir })).toMatchObject({ code: EXIT.pass, out: expect.stringContaining('note: the oldest recorded cassette is 45 days old') });
    expect(runGate({ LIVEPEER_REPORTS_DIR: dir, LIVEPEER_FIXTURE_MAX_AGE_DAYS: 'soon' })).toMatchObject({ code: EXIT.noResults, out: expect.stringContaining('must be a whole number of days') });
  });

  test('`npm run gate` (tsx scripts/gate.ts) exits with the verdict', { timeout: 30_000 }, () => {
    const cli = (reportsDir: string) => spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/gate.ts'], { cwd: ROOT, env: { ...process.env, LIVEPEER_REPORTS_DIR: reportsDir }, encoding: 'utf8' });
    const fail = cli(writeRun([...PASSING, CHANGED]));
    expect(fail.stdout).toMatch(/DOC-02\s+gateway\s+0\s+0\s+1/);
    expect(fail.status).toBe(EXIT.fail);
  });
});

// The real thing, in child vitest runs on a copy of the committed fixtures (never touched).
describe('gate on real runs', () => {
  /** A copy of the fixtures, altered, and a reports folder, in a fresh temp folder. */
  function workspace(alter?: (fixturesDir: string) => void) {
    const work = mkdtempSync(join(tmpdir(), 'livepeer-gate-e2e-'));
    const fixturesDir = join(work, 'fixtures');
    cpSync(join(ROOT, 'fixtures'), fixturesDir, { recursive: true });
    alter?.(fixturesDir);
    return { fixturesDir, reportsDir: join(work, 'reports') };
  }

  /** The runner answers GET /text-to-image with 405 as documented; make it 200 (no pin on the runner). */
  const runnerGetAnswers200 = (fixturesDir: string) => {
    const file = join(fixturesDir, 'cassettes', 'runner', 'connectivity.json');
    const cassette = JSON.parse(readFileSync(file, 'utf8'));
    const get = cassette.interactions.find((i: { request: { method: string; path: string } }) => i.request.method === 'GET' && i.request.path === '/text-to-image');
    expect(get?.response.status).toBe(405);
    get.response.status = 200;
    writeFileSync(file, JSON.stringify(cassette, null, 2));
  };

  // One target keeps it quick; the runner is the one whose answer is altered.
  const replayRunner = (w: { fixturesDir: string; reportsDir: string }, projects = ['contract']) =>
    runVitest([...projects.flatMap((p) => ['--project', p]), 'specs/connectivity.spec.ts'], { LIVEPEER_TEST_MODE: 'replay', LIVEPEER_TARGET: 'runner', LIVEPEER_FIXTURES_DIR: w.fixturesDir, LIVEPEER_REPORTS_DIR: w.reportsDir });

  test('committed fixtures: the gate passes', { timeout: 120_000 }, async () => {
    const w = workspace();
    const suite = await replayRunner(w);
    expect(suite.code, tail(suite)).toBe(0);
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: w.reportsDir });
    expect(out).toContain('gate: PASS');
    expect(code).toBe(EXIT.pass);
  });

  test('a recorded answer altered to a changed behaviour: the gate fails on it', { timeout: 120_000 }, async () => {
    const w = workspace(runnerGetAnswers200);
    const suite = await replayRunner(w);
    expect(suite.code).not.toBe(0);
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: w.reportsDir });
    expect(code).toBe(EXIT.fail);
    expect(out).toMatch(/DOC-01\s+runner\s+\d+\s+0\s+1\s/);
    expect(out).toContain('✗ changed: DOC-01 GET /text-to-image answers 405 [runner]');
  });

  test("a self-check run's results cannot enter the target run's gate or matrix", { timeout: 180_000 }, async () => {
    // The target run replays an altered copy (its DOC-01 GET changed); the loopback self-check of
    // the same spec answers from the committed fixtures and passes. The gate judges the first only.
    const w = workspace(runnerGetAnswers200);
    const suite = await replayRunner(w, ['contract', 'live-loopback-runner']);
    expect(suite.stdout).toMatch(/live-loopback-runner/);
    const selfCheck = join(selfCheckDir(w.reportsDir), 'runner');
    expect(existsSync(verdictsFile(selfCheck)), 'the self-check run wrote its own record').toBe(true);
    expect(() => readRunAt(selfCheck)).toThrow(/self-check run .* it speaks for no target/);

    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: w.reportsDir });
    expect(code).toBe(EXIT.fail);
    expect(out).toMatch(/gate: judging run .* \(contract, /);
    // 9 pipelines × GET and HEAD on the runner, once: the loopback copies are not counted.
    expect(out).toMatch(/DOC-01\s+runner\s+17\s+0\s+1\s+0\s+0\s+0/);
    const cells = matrixJson(w.reportsDir).filter((c) => c.doc === 'DOC-01');
    expect(cells).toEqual([expect.objectContaining({ target: 'runner', outcome: 'changed', tests: 18 })]);
  });

  test('live against a server that closes every connection: the run stops before any spec, and the gate fails naming the target and why', { timeout: 120_000 }, async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const w = workspace();
    try {
      const suite = await runVitest(['--project', 'contract', 'specs/connectivity.spec.ts', 'specs/retries.spec.ts'], {
        LIVEPEER_TEST_MODE: 'live',
        LIVEPEER_TARGET: 'runner',
        LIVEPEER_GATEWAY_URL: `http://127.0.0.1:${port}`,
        LIVEPEER_REPORTS_DIR: w.reportsDir,
        LIVEPEER_CHECK_TIMEOUT_MS: '2000',
      });
      expect(suite.code).not.toBe(0);
      expect(suite.stdout + suite.stderr).not.toMatch(/Tests\s+\d+ (passed|failed)/);
      const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: w.reportsDir });
      expect(code, out).toBe(EXIT.fail);
      expect(out).toMatch(/gate: judging run .* · mode live · targets runner · runner=127\.0\.0\.1:\d+/);
      expect(out).toMatch(/runner: the run stopped before any spec — Preflight: no answer from runner at http:\/\/127\.0\.0\.1:\d+: dropped \((ECONNRESET|UND_ERR_SOCKET)\)/);
      expect(out).not.toMatch(/✗ changed|test\(s\) failed/);
    } finally {
      server.close();
    }
  });

  test('live against a server that answers a different contract: the gate fails with the changed count', { timeout: 120_000 }, async () => {
    const w = workspace(runnerGetAnswers200);
    const target = await startLoopbackTarget({ target: 'runner', fixturesDir: w.fixturesDir });
    try {
      const suite = await runVitest(['--project', 'contract', 'specs/connectivity.spec.ts'], {
        LIVEPEER_TEST_MODE: 'live',
        LIVEPEER_TARGET: 'runner',
        LIVEPEER_GATEWAY_URL: target.url,
        LIVEPEER_REPORTS_DIR: w.reportsDir,
      });
      expect(suite.code).not.toBe(0);
      const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: w.reportsDir });
      expect(code).toBe(EXIT.fail);
      expect(out).toContain('runner: 1 test(s) failed (1 changed)');
      expect(out).toContain('✗ changed: DOC-01 GET /text-to-image answers 405 [runner]');
    } finally {
      await target.close();
    }
  });
});
