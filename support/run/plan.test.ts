// The plan of a run: counted before any request, from the same data the specs loop over. The
// default cap holds a full run of any one target; a cap below a run's plan stops it at setup,
// naming the number it needs; and a recording run's own count of paid requests is the plan's
// (support/loopback/roundtrip.test.ts holds each target's record run to it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { TARGET_IDS } from '../catalogue.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { runOnLoopback, tail } from '../loopback/child-run.ts';
import { checkCap } from './global-setup.ts';
import { leastWallMs, plan } from './plan.ts';
import { servedOn } from './served.ts';

const fullRun = (target: (typeof TARGET_IDS)[number], mode: 'live' | 'replay' = 'live') =>
  plan({ mode, coldModel: 'lp-contract-suite/cold', targets: [target], rateLimits: loadConfig({ LIVEPEER_TARGET: target }).rateLimits }, { served: { [target]: servedOn({}, target, 'http://x') }, retired: [] })[target]!;

describe('the plan of a run', () => {
  test.for(TARGET_IDS)('%s: a full live run (the cold-model check included) fits the default cap', (target) => {
    const p = fullRun(target);
    expect(p.paid).toBeGreaterThan(0);
    expect(p.paid).toBeLessThanOrEqual(loadConfig({}).maxPaidRequests);
  });

  test('one successful request per pipeline and variant, judged by DOC-15, DOC-10, DOC-09 and SDK-01 alike', () => {
    const p = fullRun('studio');
    const success = p.requests.filter((r) => r.check === 'DOC-15');
    // 7 pipelines on Studio, /llm twice; nothing else sends a success request of its own.
    expect(success).toHaveLength(8);
    expect(p.requests.filter((r) => ['DOC-09', 'DOC-10', 'SDK-01'].includes(r.check))).toEqual([]);
    expect(success.find((r) => r.pipeline === 'text-to-image')?.what).toBe('DOC-15 /text-to-image, shared with SDK-01, DOC-10, DOC-09');
  });

  test("Studio's limiter counts what reaches its gateway, not what it refuses before (401, 404, 422…)", () => {
    const p = fullRun('studio');
    expect(p.requests.filter((r) => r.check === 'DOC-11' || r.check === 'DOC-01' || r.check === 'RUN-01').every((r) => !r.counted)).toBe(true);
    expect(p.requests.find((r) => r.what === 'DOC-04 /upscale')).toMatchObject({ paid: false, counted: true });
    expect(p.requests.find((r) => r.what.startsWith('DOC-15 /llm'))).toMatchObject({ paid: true, counted: false });
    expect(fullRun('gateway').counted).toBe(0);
    expect(leastWallMs(20, 40)).toBe(60_000);
    expect(leastWallMs(20, 41)).toBe(120_000);
    expect(leastWallMs(20, 20)).toBe(0);
    expect(leastWallMs(undefined, 400)).toBe(0);
  });

  test('LIVEPEER_RATE_LIMIT_PER_MIN: Studio 20 by default, none elsewhere; set, it paces any target and counts all it sends', () => {
    expect(loadConfig({ LIVEPEER_TARGET: 'studio' }).rateLimits).toEqual({ studio: 20 });
    expect(loadConfig({ LIVEPEER_TARGET: 'gateway' }).rateLimits).toEqual({});
    expect(loadConfig({ LIVEPEER_TARGET: 'studio', LIVEPEER_RATE_LIMIT_PER_MIN: '0' }).rateLimits).toEqual({});
    const gateway = loadConfig({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'gateway', LIVEPEER_RATE_LIMIT_PER_MIN: '10' });
    expect(gateway.rateLimits).toEqual({ gateway: 10 });
    const p = plan(gateway, { served: { gateway: servedOn({}, 'gateway', 'http://x') }, retired: [] }).gateway!;
    expect(p.counted).toBe(p.requests.filter((r) => r.check !== 'DOC-12').reduce((n, r) => n + r.sends, 0));
    expect(() => loadConfig({ LIVEPEER_RATE_LIMIT_PER_MIN: 'lots' })).toThrow(/LIVEPEER_RATE_LIMIT_PER_MIN="lots" must be a number of requests a minute/);
  });

  test('a cap below the plan: one configuration error naming the number the run needs', () => {
    const config = loadConfig({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'runner', LIVEPEER_MAX_PAID_REQUESTS: '5' });
    const plans = { runner: fullRun('runner') };
    expect(() => checkCap(config, plans)).toThrow(ConfigError);
    expect(() => checkCap(config, plans)).toThrow(new RegExp(`LIVEPEER_MAX_PAID_REQUESTS=5 is below this run's plan: it sends ${plans.runner.paid} requests that run a model on runner[\\s\\S]*Set LIVEPEER_MAX_PAID_REQUESTS=${plans.runner.paid}`));
    expect(() => checkCap({ ...config, maxPaidRequests: plans.runner.paid }, plans)).not.toThrow();
  });

  test('live: the cap is checked at setup, before any request that runs a model', { timeout: 60_000 }, async () => {
    const reports = mkdtempSync(join(tmpdir(), 'plan-cap-'));
    onTestFinished(() => rmSync(reports, { recursive: true, force: true }));
    const { run } = await runOnLoopback({ target: 'runner', mode: 'live', vars: { LIVEPEER_MAX_PAID_REQUESTS: '5', LIVEPEER_REPORTS_DIR: reports } });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.code, tail(run)).not.toBe(0);
    expect(out).toMatch(/LIVEPEER_MAX_PAID_REQUESTS=5 is below this run's plan: it sends \d+ requests that run a model on runner/);
    expect(out).not.toMatch(/Tests\s+\d+ (passed|failed)/);
  });
});
