import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { allure2Categories, allure3Categories, CATEGORIES } from './allure-categories.ts';
import { environmentInfo, gitCommit, parseEnvironment, startAllureResults } from './allure-env.ts';
import { loadConfig } from '../config.ts';
import { runInfo } from '../run/global-setup.ts';

const KEY = 'sk_live_0123456789abcdefSECRET';
const NO_FACTS = { served: {}, checksToken: {}, versions: {}, retired: [], notices: [] };

describe('environment info', () => {
  test('mode, targets, hosts, node, commit and fixtures; never the key nor the URL path', () => {
    const config = loadConfig({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'studio', LIVEPEER_API_KEY: KEY, LIVEPEER_GATEWAY_URL: 'https://staging.example:8443/api/beta/generate' });
    const run = { ...runInfo(config, 'target', 'contract', NO_FACTS, new Date('2026-01-02T03:04:05Z')), id: 'run-1', commit: 'abc123' };
    const info = environmentInfo(config, run);
    expect(info).toEqual({
      run: 'target run-1',
      mode: 'live',
      targets: 'studio',
      'host.studio': 'staging.example:8443',
      node: process.version,
      commit: 'abc123',
      fixtures: 'not used (live)',
      started: '2026-01-02T03:04:05.000Z',
    });
    expect(JSON.stringify(info)).not.toContain(KEY);
  });

  test('the commit comes from GITHUB_SHA in CI, else from git, else is left out', () => {
    expect(gitCommit({ GITHUB_SHA: '0123456789abcdef0123' })).toBe('0123456789ab');
    expect(gitCommit({})).toMatch(/^([0-9a-f]{7,12})?$/);
  });
});

describe('startAllureResults', () => {
  test("clears the previous run's results, then writes environment.properties and categories.json", () => {
    const reportsDir = mkdtempSync(join(tmpdir(), 'livepeer-reports-'));
    const results = join(reportsDir, 'allure-results');
    mkdirSync(results, { recursive: true });
    writeFileSync(join(results, 'stale-result.json'), '{}');
    const fixturesDir = mkdtempSync(join(tmpdir(), 'livepeer-fixtures-'));
    const config = loadConfig({ LIVEPEER_REPORTS_DIR: reportsDir, LIVEPEER_FIXTURES_DIR: fixturesDir, LIVEPEER_API_KEY: KEY });
    startAllureResults(config, runInfo(config, 'target', 'contract', NO_FACTS));
    expect(existsSync(join(results, 'stale-result.json'))).toBe(false);
    const env = readFileSync(join(results, 'environment.properties'), 'utf8');
    expect(parseEnvironment(env)).toMatchObject({ mode: 'replay', targets: 'studio, gateway, runner', 'host.gateway': 'dream-gateway.livepeer.cloud', fixtures: '0 interactions in 0 cassettes: 0 authored, 0 observed, 0 recorded' });
    expect(env).not.toContain(KEY);
    expect(JSON.parse(readFileSync(join(results, 'categories.json'), 'utf8'))).toEqual(allure2Categories());
  });
});

describe('categories', () => {
  test('every pattern compiles, and both Allure forms come from the one list', () => {
    for (const c of CATEGORIES) if (c.pattern) expect(() => new RegExp(c.pattern!)).not.toThrow();
    expect(allure3Categories().rules.map((r) => r.name)).toEqual(CATEGORIES.map((c) => c.name));
    // The classic report reads message and trace only: label-only categories are left out.
    expect(allure2Categories().map((c) => c.name)).toEqual(CATEGORIES.filter((c) => c.pattern).map((c) => c.name));
  });

  test('the cold-model pattern reads what was seen, not the documented text that mentions 503', () => {
    const cold = new RegExp(CATEGORIES.find((c) => c.name === 'Cold model')!.pattern!);
    expect(cold.test('DOC-08 [studio]: changed: …\n  documented: 503 Service Unavailable then retry\n  seen:       200 {}')).toBe(false);
    expect(cold.test('DOC-10 [studio]: changed: …\n  seen:       500 {"errors":["Failed to generate text-to-image"]}')).toBe(true);
    expect(cold.test('← 503 (12 ms)  content-type: application/json')).toBe(true);
  });
});
