import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EXIT, gate } from './gate.ts';
import { CHANGED, PASSING, writeRun } from './synthetic-results.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runGate(env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const code = gate(env, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

describe('gate on synthetic results', () => {
  test('passes with only conforms, known deviations and skips, and prints the DOC × target table', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun(PASSING) });
    expect(code).toBe(EXIT.pass);
    expect(out).toMatch(/check\s+target\s+conforms\s+known dev\.\s+changed/);
    expect(out).toMatch(/DOC-01\s+studio\s+0\s+1\s+0/);
    expect(out).toMatch(/gate: PASS/);
  });

  test('fails when one result changed, and names it', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun([...PASSING, CHANGED]) });
    expect(code).toBe(EXIT.fail);
    expect(out).toMatch(/DOC-02\s+gateway\s+0\s+0\s+1/);
    expect(out).toContain('✗ changed: DOC-02 case');
    expect(out).toContain('no deviation is pinned for this target');
  });

  test('fails on a spec that broke before it was judged', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: writeRun([...PASSING, { target: 'studio', status: 'broken', name: 'DOC-10 minimal request [studio]', message: 'no response after 30 s' }]) });
    expect(code).toBe(EXIT.fail);
    expect(out).toContain('✗ broken: DOC-10 minimal request [studio] — no response after 30 s');
  });

  test('no results: a clear error and its own exit code', () => {
    const { code, out } = runGate({ LIVEPEER_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'livepeer-reports-')) });
    expect(code).toBe(EXIT.noResults);
    expect(out).toMatch(/gate: FAIL — No results: .*allure-results does not exist\. Run the suite first/);
  });

  test('recorded fixtures older than LIVEPEER_FIXTURE_MAX_AGE_DAYS fail the gate; without it, a note', () => {
    const dir = writeRun(PASSING, { mode: 'replay', targets: 'studio', 'fixtures.oldestRecordedDays': '45' });
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

// The real thing on a copy of the committed fixtures: the connectivity spec passes the gate as
// recorded, and fails it once one recorded answer changes. The committed fixtures are never touched.
describe('gate on a real run (connectivity spec, copied fixtures)', () => {
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

  function suiteThenGate(alter?: (fixturesDir: string) => void) {
    const work = mkdtempSync(join(tmpdir(), 'livepeer-gate-e2e-'));
    const fixturesDir = join(work, 'fixtures');
    cpSync(join(ROOT, 'fixtures'), fixturesDir, { recursive: true });
    alter?.(fixturesDir);
    const reportsDir = join(work, 'reports');
    // The nested run must not believe it is a worker of this one, nor read a developer's .env.
    // It keeps the configured reporters (a --reporter flag would replace allure-vitest's).
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('LIVEPEER_')));
    // One target keeps it quick; the runner is the one whose answer is altered below.
    Object.assign(env, { LIVEPEER_SKIP_DOTENV: '1', LIVEPEER_TEST_MODE: 'replay', LIVEPEER_TARGET: 'runner', LIVEPEER_FIXTURES_DIR: fixturesDir, LIVEPEER_REPORTS_DIR: reportsDir });
    const suite = spawnSync(process.execPath, [vitest, 'run', '--project', 'contract', 'specs/connectivity.spec.ts'], { cwd: ROOT, env, encoding: 'utf8' });
    return { suite, gate: runGate({ LIVEPEER_REPORTS_DIR: reportsDir }) };
  }

  test('committed fixtures: the gate passes', { timeout: 120_000 }, () => {
    const { suite, gate } = suiteThenGate();
    expect(suite.status, suite.stdout + suite.stderr).toBe(0);
    expect(gate.out).toContain('gate: PASS');
    expect(gate.code).toBe(EXIT.pass);
  });

  test('a recorded answer altered to a changed behaviour: the gate fails on it', { timeout: 120_000 }, () => {
    const { suite, gate } = suiteThenGate((fixturesDir) => {
      // The runner answers GET /text-to-image with 405 as documented; make it 200 (no pin on runner).
      const file = join(fixturesDir, 'cassettes', 'runner', 'connectivity.json');
      const cassette = JSON.parse(readFileSync(file, 'utf8'));
      const get = cassette.interactions.find((i: { request: { method: string; path: string } }) => i.request.method === 'GET' && i.request.path === '/text-to-image');
      expect(get?.response.status).toBe(405);
      get.response.status = 200;
      writeFileSync(file, JSON.stringify(cassette, null, 2));
    });
    expect(suite.status).not.toBe(0);
    expect(gate.code).toBe(EXIT.fail);
    expect(gate.out).toMatch(/DOC-01\s+runner\s+\d+\s+0\s+1\s/);
    expect(gate.out).toContain('✗ changed: DOC-01 GET /text-to-image answers 405 [runner]');
  });
});
