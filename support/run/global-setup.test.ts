// Bad configuration or a corrupt fixture stops the whole run once, before any spec, with one
// message naming what to fix (vitest's own e2e tests run vitest on a fixture root the same way).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const VITEST = join(process.cwd(), 'node_modules', '.bin', 'vitest');

async function contractRun(env: Record<string, string>) {
  const reports = mkdtempSync(join(tmpdir(), 'setup-reports-'));
  const full: Record<string, string | undefined> = { ...process.env, LIVEPEER_SKIP_DOTENV: '1', LIVEPEER_REPORTS_DIR: reports, NO_COLOR: '1', ...env };
  for (const k of Object.keys(full)) if (k.startsWith('LIVEPEER_') && !(k in env) && !['LIVEPEER_SKIP_DOTENV', 'LIVEPEER_REPORTS_DIR'].includes(k)) delete full[k];
  try {
    const { stdout, stderr } = await run(VITEST, ['run', '--project', 'contract', 'specs/connectivity.spec.ts'], { env: full, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('the run stops before any spec', () => {
  test('live on studio without a key: exits non-zero naming LIVEPEER_API_KEY, once', async () => {
    const { code, out } = await contractRun({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'studio' });
    expect(code).not.toBe(0);
    expect(out.match(/LIVEPEER_API_KEY=\(not set\) is required in live mode on studio/g)).toHaveLength(1);
    expect(out).not.toMatch(/DOC-01 .* \[studio\]/); // no spec ran
  }, 60_000);

  test('a misspelt mode names the variable, the value and the allowed values', async () => {
    const { code, out } = await contractRun({ LIVEPEER_TEST_MODE: 'Live' });
    expect(code).not.toBe(0);
    expect(out).toContain('LIVEPEER_TEST_MODE="Live" must be one of replay, live, record (lower case)');
  }, 60_000);

  test('several bad values: one message naming each variable, and no spec runs', async () => {
    const { code, out } = await contractRun({
      LIVEPEER_TARGET: 'studoi',
      LIVEPEER_GATEWAY_URL: 'livepeer.studio/api',
      LIVEPEER_REQUEST_TIMEOUT_MS: '-5',
    });
    expect(code).not.toBe(0);
    expect(out.match(/Configuration error: the suite did not start\./g)).toHaveLength(1);
    expect(out).toContain('LIVEPEER_TARGET="studoi" has unknown target "studoi"');
    expect(out).toContain('LIVEPEER_GATEWAY_URL="livepeer.studio/api" is not a URL');
    expect(out).toContain('LIVEPEER_REQUEST_TIMEOUT_MS="-5" must be greater than 0');
    expect(out).not.toMatch(/DOC-01 .* \[(studio|gateway|runner)\]/);
  }, 60_000);

  test('a cassette folder that is no target is named before any spec', async () => {
    const fixtures = mkdtempSync(join(tmpdir(), 'fixtures-'));
    cpSync(join(process.cwd(), 'fixtures'), fixtures, { recursive: true });
    mkdirSync(join(fixtures, 'cassettes', 'stuido'));
    const { code, out } = await contractRun({ LIVEPEER_FIXTURES_DIR: fixtures });
    expect(code).not.toBe(0);
    expect(out).toContain('has folder(s) stuido, which are no target: use studio, gateway or runner.');
  }, 60_000);

  test('a truncated cassette is named, and no spec runs', async () => {
    const fixtures = mkdtempSync(join(tmpdir(), 'fixtures-'));
    cpSync(join(process.cwd(), 'fixtures'), fixtures, { recursive: true });
    writeFileSync(join(fixtures, 'cassettes', 'runner', 'connectivity.json'), '{"cassette":1,"target":"run');
    const { code, out } = await contractRun({ LIVEPEER_FIXTURES_DIR: fixtures });
    expect(code).not.toBe(0);
    expect(out).toMatch(/CassetteError: .*cassettes\/runner\/connectivity\.json: not valid JSON/);
    expect(out).not.toMatch(/DOC-01 .* \[runner\]/);
  }, 60_000);
});
