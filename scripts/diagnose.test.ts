// `npm run diagnose` (DOC-16) against loopback targets only: every URL it can reach, the status
// page included, points at 127.0.0.1. Checks the five steps' verdicts and evidence, the masked
// curl, the exit code, and that a target that never answers ends in bounded time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { requestBodyFromSpec, writeCassette, type Interaction } from '../support/modes/cassettes.ts';
import { childEnv } from '../support/loopback/child-run.ts';
import { startLoopbackTarget, startStatusPage, type Fault } from '../support/loopback/server.ts';
import { build, minimalDraft } from '../support/data/requests.ts';
import type { RequestSpec } from '../support/http/wire.ts';
import { curlFor, main, type Verdict } from './diagnose.ts';

const KEY = '6f1d2c3b-aaaa-4bbb-8ccc-000000d1a6e0';
const COLD = 'stabilityai/stable-diffusion-3-medium-diffusers';
const warm = build(minimalDraft('text-to-image'));
const cold = build(minimalDraft('text-to-image', COLD));
const get: RequestSpec = { method: 'GET', path: '/text-to-image', body: { kind: 'none' }, auth: 'key' };
const image = { images: [{ url: 'https://example.invalid/out.png', seed: 1, nsfw: false }] };
const json = (status: number, value: unknown) => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { kind: 'json' as const, value } });

const fixturesDir = mkdtempSync(join(tmpdir(), 'diagnose-'));
afterAll(() => rmSync(fixturesDir, { recursive: true, force: true }));
function cassette(target: 'studio' | 'gateway', auth: 'bearer' | 'absent', interactions: [string, RequestSpec, Interaction['response']][]) {
  writeCassette(fixturesDir, {
    cassette: 1,
    target,
    area: 'diagnose',
    provenance: { kind: 'authored', source: 'scripts/diagnose.test.ts (contract-notes §2.3.3, §2.2.2)', authoredOn: '2026-11-25' },
    interactions: interactions.map(([id, spec, response]) => ({ id, request: { method: spec.method, path: spec.path, auth, body: requestBodyFromSpec(spec.body) }, response })),
  });
}
cassette('studio', 'bearer', [
  ['get', get, json(404, { errors: ['not found'] })],
  ['warm', warm, json(200, image)],
  ['cold', cold, json(500, { errors: ['Failed to generate text-to-image'] })],
]);
cassette('gateway', 'absent', [
  ['get', get, { status: 200, headers: {}, body: { kind: 'none' } }],
  ['warm', warm, json(200, image)],
]);

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function target(t: 'studio' | 'gateway', opts: { validKeys?: string[]; fault?: Fault } = {}) {
  const server = await startLoopbackTarget({ target: t, fixturesDir, validKeys: opts.validKeys ?? [KEY], ...(opts.fault ? { fault: opts.fault } : {}) });
  closers.push(() => server.close());
  return server.url;
}
async function statusPage() {
  const page = await startStatusPage();
  closers.push(() => page.close());
  return page.url;
}
/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

async function run(env: Record<string, string>) {
  const lines: string[] = [];
  const code = await main({ LIVEPEER_CONNECT_TIMEOUT_MS: '500', LIVEPEER_WARM_BUDGET_MS: '2000', ...env }, (l) => lines.push(l), (l) => lines.push(l));
  const out = lines.join('\n');
  const verdicts = [1, 2, 3, 4, 5].map((n) => (new RegExp(`^${n}\\. .{22} (\\w+)`, 'm').exec(out)?.[1] ?? 'missing').toLowerCase() as Verdict);
  return { code, out, verdicts };
}

describe('npm run diagnose', () => {
  test('a healthy studio: five steps pass, in the documented order, and the exit code is 0', async () => {
    const r = await run({ LIVEPEER_TARGET: 'studio', LIVEPEER_GATEWAY_URL: await target('studio'), LIVEPEER_STATUS_URL: await statusPage(), LIVEPEER_API_KEY: KEY });
    expect(r.verdicts, r.out).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(r.code).toBe(0);
    const titles = [...r.out.matchAll(/^\d\. (\S+(?: \S+)?)/gm)].map((m) => m[1]);
    expect(titles).toEqual(['Connectivity', 'Status page', 'Request construction', 'Model availability', 'Gateway availability']);
    expect(r.out).toMatch(/1\. Connectivity +PASS +GET \/text-to-image answered 404 in \d+ ms: known deviation "studio-doc01-get-404"/);
    expect(r.out).toContain('POST /text-to-image with SG161222/RealVisXL_V4.0_Lightning answered 200 ImageResponse');
    expect(r.out).toContain('-H "Authorization: Bearer $LIVEPEER_API_KEY"');
    expect(r.out).toContain(`-d '{"prompt":"test","model_id":"SG161222/RealVisXL_V4.0_Lightning"}'`);
    expect(r.out).not.toContain(KEY);
  });

  test('a target model that is not available fails step 4, which says the warm model works', async () => {
    const r = await run({ LIVEPEER_GATEWAY_URL: await target('studio'), LIVEPEER_STATUS_URL: await statusPage(), LIVEPEER_API_KEY: KEY, LIVEPEER_COLD_MODEL: COLD });
    expect(r.verdicts, r.out).toEqual(['pass', 'pass', 'pass', 'fail', 'pass']);
    expect(r.out).toContain(`${COLD}: 500 {"errors":["Failed to generate text-to-image"]}; the warm model SG161222/RealVisXL_V4.0_Lightning answers`);
    expect(r.code).toBe(1);
  });

  test('a key the target refuses fails step 1 with the hint, and the echoed key is masked', async () => {
    const r = await run({ LIVEPEER_GATEWAY_URL: await target('studio', { validKeys: ['some-other-key'] }), LIVEPEER_STATUS_URL: await statusPage(), LIVEPEER_API_KEY: KEY });
    expect(r.verdicts[0], r.out).toBe('fail');
    expect(r.out).toContain('the key was refused: check LIVEPEER_API_KEY (DOC-11)');
    expect(r.out).toContain('no token [REDACTED] found');
    expect(r.out).not.toContain(KEY);
    expect(r.code).toBe(1);
  });

  test('no key for studio: step 3 says so and prints the curl, step 4 is skipped', async () => {
    const r = await run({ LIVEPEER_GATEWAY_URL: await target('studio', { validKeys: [] }), LIVEPEER_STATUS_URL: await statusPage() });
    expect(r.verdicts.slice(2, 4), r.out).toEqual(['fail', 'skipped']);
    expect(r.out).toContain('LIVEPEER_API_KEY is not set: studio answers 401 without a key (DOC-11)');
    expect(r.out).toContain('curl -v -X POST');
  });

  test('a gateway: its empty 200 is the pinned deviation, and no key is sent or printed in the curl', async () => {
    const r = await run({ LIVEPEER_TARGET: 'gateway', LIVEPEER_GATEWAY_URL: await target('gateway'), LIVEPEER_STATUS_URL: await statusPage(), LIVEPEER_API_KEY: KEY });
    expect(r.verdicts, r.out).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(r.out).toContain('known deviation "gateway-doc01-200-empty"');
    expect(r.out).not.toContain('Authorization');
  });

  test('an unreachable status page is a warning, not a failure', async () => {
    const r = await run({ LIVEPEER_GATEWAY_URL: await target('studio'), LIVEPEER_STATUS_URL: await closedPort(), LIVEPEER_API_KEY: KEY });
    expect(r.verdicts, r.out).toEqual(['pass', 'warn', 'pass', 'pass', 'pass']);
    expect(r.out).toMatch(/2\. Status page +WARN +http:\/\/127\.0\.0\.1:\d+ unreachable \(GET http:\/\/127\.0\.0\.1:\d+ failed: no connection to the target \(ECONNREFUSED\)/);
    expect(r.code).toBe(0);
  });

  test('nothing listening: step 1 and step 5 fail with the refused connection', async () => {
    const r = await run({ LIVEPEER_GATEWAY_URL: await closedPort(), LIVEPEER_STATUS_URL: await statusPage(), LIVEPEER_API_KEY: KEY });
    expect(r.verdicts, r.out).toEqual(['fail', 'pass', 'skipped', 'skipped', 'fail']);
    expect(r.out).toMatch(/5\. Gateway availability +FAIL +127\.0\.0\.1:\d+ accepts no connection \(ECONNREFUSED/);
    expect(r.code).toBe(1);
  });

  test('a configuration error exits 2 with the message', async () => {
    const r = await run({ LIVEPEER_TARGET: 'nowhere' });
    expect(r.code).toBe(2);
    expect(r.out).toContain('LIVEPEER_TARGET="nowhere" has unknown target "nowhere"');
  });

  test('the curl of step 3 is the documented one, for the configured URL', () => {
    expect(curlFor('https://livepeer.studio/api/beta/generate/text-to-image', warm, true)).toBe(
      [
        'curl -v -X POST https://livepeer.studio/api/beta/generate/text-to-image \\',
        '    -H "Authorization: Bearer $LIVEPEER_API_KEY" \\',
        '    -H "Content-Type: application/json" \\',
        `    -d '{"prompt":"test","model_id":"SG161222/RealVisXL_V4.0_Lightning"}'`,
      ].join('\n'),
    );
  });
});

describe('npm run diagnose, as a command', () => {
  test('a target that never answers: finishes in bounded time, step 1 failed, exit code 1', { timeout: 30_000 }, async () => {
    const url = await target('studio', { fault: { kind: 'no-response' } });
    const status = await statusPage();
    const started = performance.now();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/diagnose.ts'], {
        env: childEnv({ LIVEPEER_TARGET: 'studio', LIVEPEER_GATEWAY_URL: url, LIVEPEER_STATUS_URL: status, LIVEPEER_API_KEY: KEY, LIVEPEER_CONNECT_TIMEOUT_MS: '500' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out }));
    });
    const elapsed = performance.now() - started;
    expect(code, stdout).toBe(1);
    expect(stdout).toMatch(/1\. Connectivity +FAIL +GET \/text-to-image: timeout: no response after 0\.5 s from GET http:\/\/127\.0\.0\.1:\d+\/api\/beta\/generate\/text-to-image/);
    expect(stdout).toMatch(/3\. Request construction +SKIPPED/);
    expect(stdout).toMatch(/5\. Gateway availability +FAIL +127\.0\.0\.1:\d+ accepts connections \(\d+ ms\) but sent no HTTP answer within 0\.5 s/);
    expect(stdout).not.toContain(KEY);
    // Two probes of 0.5 s and a TCP connect, plus tsx start-up: far below the 60 s an inference may take.
    expect(elapsed).toBeLessThan(15_000);
  });
});
