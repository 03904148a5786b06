// A live Studio run fits Studio's rate limit. The pacer spaces what the limiter counts across
// workers; a 429 no check asked for is waited out and sent again (at most twice), and is judged
// `rate limited` only after that, never `changed`. End to end on a loopback Studio that limits
// like Studio (support/loopback/rate-ledger.ts): one run meets no 429 and prints its waits; two
// runs started on the same key at once both end without a 429 verdict.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { ApiClient } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import { listenLocally } from '../http/loopback-http.ts';
import { countResends, countSent, RatePacer, type PacerClock } from '../modes/rate-pacer.ts';
import { LONGEST_RETRY_AFTER_MS, rateLimitDecision } from '../modes/rate-limit-policy.ts';
import { verdictsFile } from '../paths.ts';
import { readRunRecord, type RunRecord } from '../report/run-record.ts';
import { classify } from '../verdict/outcome.ts';
import { CHECKS } from '../catalogue.ts';
import { runOnLoopback, tail } from './child-run.ts';
import { LOOPBACK_KEY } from './env.ts';
import { RateLedger } from './rate-ledger.ts';

function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock whose sleeps move it forward at once: the pacer's schedule without real waiting. */
function fakeClock(start = 1_000_000): PacerClock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('the pacer', () => {
  test('two pacers on one folder (two workers) never let more than the limit into one window, and say each wait', async () => {
    const dir = scratch('pacer-');
    const clock = fakeClock();
    const lines: string[] = [];
    const options = { limit: 2, windowMs: 1_000, marginMs: 10, planned: 5, clock, log: (l: string) => lines.push(l) };
    const a = new RatePacer(dir, options);
    const b = new RatePacer(dir, options);
    const sentAt: number[] = [];
    for (const p of [a, b, a, b, a]) {
      await p.take('DOC-15 POST /text-to-image');
      sentAt.push(clock.now());
    }
    for (let i = 2; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 2]!, `send ${i + 1} against send ${i - 1}`).toBeGreaterThanOrEqual(1_010);
    expect(countSent(dir)).toBe(5);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('waiting 1.0 s on the rate limit (2 per 1.0 s) before counted request 3 of 5 planned: DOC-15 POST /text-to-image');
  });

  test("a 429 halves the share once per window and holds every worker until its Retry-After", async () => {
    const dir = scratch('pacer-');
    const clock = fakeClock();
    const p = new RatePacer(dir, { limit: 20, windowMs: 1_000, marginMs: 0, clock });
    const start = clock.now();
    await p.take('x');
    p.backOff(500);
    p.backOff(700); // the same burst: not halved again
    const other = new RatePacer(dir, { limit: 20, windowMs: 1_000, marginMs: 0, clock });
    const { waitedMs } = await other.take('y');
    expect(waitedMs).toBe(700);
    expect(countResends(dir)).toBe(2);
    // 10 a window from now on: any window of 1 s holds at most 10 of the sends.
    const times = [start, start + 700];
    for (let i = 0; i < 20; i++) {
      await other.take('z');
      times.push(clock.now());
    }
    for (let i = 0; i + 10 < times.length; i++) expect(times[i + 10]! - times[i]!, `sends ${i + 1} and ${i + 11}`).toBeGreaterThanOrEqual(1_000);
    expect(times[12]! - times[2]!).toBe(1_000);
  });
});

describe('a 429 no check asked for', () => {
  const x429 = (retryAfter?: string): Exchange => ({
    target: 'studio',
    request: { method: 'POST', url: 'http://127.0.0.1/x', path: '/text-to-image', headers: {}, auth: 'bearer', body: null },
    response: { status: 429, headers: retryAfter ? { 'retry-after': retryAfter } : {}, contentType: 'application/json', json: { errors: ['Too many AI requests'] }, bytes: 35 },
    elapsedMs: 1,
  });

  test('is waited out (Retry-After × LIVEPEER_RETRY_SCALE) and sent again twice; then kept, with why', () => {
    expect(rateLimitDecision(x429('58'), 1, 0.01)).toEqual({ resendInMs: 580, retryAfterMs: 580 });
    expect(rateLimitDecision(x429('58'), 2, 1)).toEqual({ resendInMs: 58_000, retryAfterMs: 58_000 });
    expect(rateLimitDecision(x429('58'), 3, 1)).toEqual({ keep: 'still rate limited after 3 sends', retryAfterMs: 58_000 });
    expect(rateLimitDecision(x429(), 1, 1)).toEqual({ keep: 'the 429 has no Retry-After to wait for' });
    expect(rateLimitDecision(x429(String(LONGEST_RETRY_AFTER_MS / 1000 + 1)), 1, 1)).toMatchObject({ keep: expect.stringMatching(/longer than the 120 s a run waits/) });
    expect(rateLimitDecision({ ...x429('1'), response: { ...x429('1').response!, status: 503 } }, 1, 1)).toBeUndefined();
  });

  test('the client sends again after each wait; every attempt reaches the report, the last is judged, and a 429 left at the end is `rate limited`', async () => {
    let answered = 0;
    let limitedFor = 2;
    const server = await listenLocally((_req, res) => {
      answered++;
      if (answered <= limitedFor) res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' }).end('{"errors":["Too many AI requests"]}');
      else res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"images":[]}');
    });
    onTestFinished(() => server.close());
    const seen: Exchange[] = [];
    const client = new ApiClient({
      target: 'studio',
      baseUrl: server.url,
      timeouts: { connectMs: 1_000, checkMs: 2_000, generationMs: 2_000 },
      onExchange: (x) => seen.push(x),
      onRateLimit: (_spec, x, attempt) => rateLimitDecision(x, attempt, 0.001),
    });
    const spec = { method: 'POST', path: '/text-to-image', auth: 'none', paid: false, body: { kind: 'json', value: { prompt: 'test' } } } as const;
    const served = await client.send(spec);
    expect(served.response?.status).toBe(200);
    expect(seen.map((x) => [x.response?.status, x.rateLimited?.attempt, x.rateLimited?.resent])).toEqual([[429, 1, true], [429, 2, true], [200, undefined, undefined]]);

    answered = 0;
    limitedFor = 10;
    seen.length = 0;
    const limited = await client.send(spec);
    expect(seen).toHaveLength(3);
    expect(limited.rateLimited).toMatchObject({ attempt: 3, resent: false, why: 'still rate limited after 3 sends' });
    const verdict = classify({
      row: CHECKS['DOC-15'],
      subject: 'studio',
      pipeline: 'text-to-image',
      documented: { summary: '200 ImageResponse', status: 200 },
      observation: { exchange: limited },
      exchanges: seen,
    });
    expect(verdict.outcome).toBe('rate limited');
    expect(verdict.headline).toBe('rate limited: studio answered 429 to POST /text-to-image on 3 send(s): still rate limited after 3 sends');
  });
});

describe('the loopback Studio limits like Studio', () => {
  test('20 counted per key in the window, the 21st 429 with Retry-After in Studio seconds; what Studio rejects first is not counted', () => {
    let now = 0;
    const ledger = new RateLedger(20, 0.01, () => now);
    for (let i = 0; i < 20; i++) expect(ledger.admit('k')).toBeUndefined();
    now = 20; // 20 ms later, Studio's 2 s
    expect(ledger.admit('k')).toEqual({ retryAfterSeconds: 58 });
    expect(ledger.admit('other key')).toBeUndefined();
    now = 601;
    expect(ledger.admit('k')).toBeUndefined();
    const studio = (status: number, value: unknown) => ({ status, headers: {}, body: { kind: 'json' as const, value } });
    expect(RateLedger.counts(studio(422, { errors: ['…'] }))).toBe(false);
    expect(RateLedger.counts(studio(401, { errors: ['…'] }))).toBe(false);
    expect(RateLedger.counts(studio(400, { errors: ['Unexpected end of JSON input'] }))).toBe(false);
    expect(RateLedger.counts(studio(400, { error: { message: 'gateway 400, passed through' } }))).toBe(true);
    expect(RateLedger.counts(studio(500, { errors: ['Failed to generate text-to-image'] }))).toBe(true);
  });
});

// Runs end to end: a tenth of real time, so the window is 6 s and a full run's 34 counted
// requests must wait at least once (20 fit in a window).
const SCALE = '0.1';
const E2E_TIMEOUT = 600_000;

function studioRun(ledger: RateLedger, reports: string) {
  return runOnLoopback({
    target: 'studio',
    mode: 'live',
    server: { validKeys: [LOOPBACK_KEY], rateLimit: ledger },
    timeoutMs: E2E_TIMEOUT,
    vars: { LIVEPEER_API_KEY: LOOPBACK_KEY, LIVEPEER_REPORTS_DIR: reports, LIVEPEER_RETRY_SCALE: SCALE },
  });
}

const outcomes = (record: RunRecord) => record.tests.flatMap((t) => (t.verdict ? [t.verdict.outcome] : []));

describe('a live run against a rate-limited Studio', () => {
  test('fits the limit: no 429, its waits printed, and what it sent is what it planned', { timeout: E2E_TIMEOUT }, async () => {
    const ledger = new RateLedger(20, Number(SCALE));
    const reports = scratch('paced-run-');
    const { run } = await studioRun(ledger, reports);
    expect(run.code, tail(run)).toBe(0);
    const record = readRunRecord(verdictsFile(reports));
    expect([...ledger.refused.values()].reduce((a, b) => a + b, 0), '429s the loopback Studio gave').toBe(0);
    expect(outcomes(record).filter((o) => o !== 'conforms' && o !== 'known deviation')).toEqual([]);
    expect(run.stdout).toMatch(/rate limit · studio: waiting \d[\d.]* m?s on the rate limit \(20 per 6.0 s\) before counted request \d+ of \d+ planned/);
    const planned = record.run.plan.studio!;
    expect(record.sent?.studio).toEqual({ paid: planned.paid, counted: planned.counted, resent: 0 });
    expect(run.stdout).toContain(`sent: studio: requests that run a model: planned ${planned.paid}, sent ${planned.paid}; counted by its rate limit: planned ${planned.counted}, sent ${planned.counted}`);
  });

  test('two runs started on the same key at once: both end with no 429 verdict, though the limit refused some of their requests', { timeout: E2E_TIMEOUT }, async () => {
    const ledger = new RateLedger(20, Number(SCALE));
    const dirs = [scratch('paced-a-'), scratch('paced-b-')];
    const [first, second] = await Promise.all(dirs.map((d) => studioRun(ledger, d)));
    const refused = [...ledger.refused.values()].reduce((a, b) => a + b, 0);
    for (const { run } of [first!, second!]) expect(run.code, tail(run)).toBe(0);
    for (const d of dirs) expect(outcomes(readRunRecord(verdictsFile(d))).filter((o) => o !== 'conforms' && o !== 'known deviation')).toEqual([]);
    // The runs did meet each other's share of the limit: the resends are what kept them green.
    expect(refused, 'the two runs together went over the limit').toBeGreaterThan(0);
    expect(`${first!.run.stdout}\n${second!.run.stdout}`).toMatch(/\(\d+ of them again after a 429\)/);
  });
});
