// The loopback target: answers from cassettes over real HTTP on 127.0.0.1 with replay's matching,
// refuses unknown keys as Studio does, and misbehaves on demand (503s, 429, silence, resets,
// trickled bodies). Everything goes through the suite's own client, so these are live-path tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { requestBodyFromSpec, writeCassette, type Interaction } from '../modes/cassettes.ts';
import { ApiClient } from '../http/client.ts';
import { build, minimalDraft, withAuth } from '../data/requests.ts';
import { UNKNOWN_KEY } from '../http/wire.ts';
import { startLoopbackTarget, type LoopbackTarget } from './server.ts';

const KEY = 'loopback-test-key-0001';
const timeouts = { connectMs: 1000, checkMs: 2000, generationMs: 2000 };
const t2i = build(minimalDraft('text-to-image'));
const i2i = build(minimalDraft('image-to-image'));
const upscale = build(minimalDraft('upscale'));
const t2iUnknownKey = build(withAuth(minimalDraft('text-to-image'), 'unknown-key'));
const get = { method: 'GET', path: '/text-to-image', body: { kind: 'none' }, auth: 'key' } as const;
const head = { ...get, method: 'HEAD' } as const;

const json = (status: number, value: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: { kind: 'json' as const, value } });
const interaction = (id: string, spec: typeof t2i, auth: Interaction['request']['auth'], response: Interaction['response']): Interaction => ({
  id,
  request: { method: spec.method, path: spec.path, auth, body: requestBodyFromSpec(spec.body) },
  response,
});

const fixturesDir = mkdtempSync(join(tmpdir(), 'loopback-server-'));
const authored = (target: 'studio' | 'gateway', interactions: Interaction[]) =>
  writeCassette(fixturesDir, { cassette: 1, target, area: 'loopback', provenance: { kind: 'authored', source: 'support/loopback/server.test.ts', authoredOn: '2026-11-25' }, interactions });

authored('studio', [
  interaction('get', get, 'bearer', json(404, { errors: ['not found'] })),
  interaction('head', head, 'bearer', { status: 404, headers: { 'content-type': 'application/json' }, body: { kind: 'none' } }),
  interaction('t2i', t2i, 'bearer', json(200, { images: [{ url: 'https://example.invalid/a.png', seed: 1, nsfw: false }] })),
  interaction('t2i-unknown', t2iUnknownKey, 'bearer-unknown', json(401, { errors: [`no token ${UNKNOWN_KEY} found`] })),
  interaction('i2i', i2i, 'bearer', json(200, { images: [] })),
  interaction('upscale-1', upscale, 'bearer', json(500, { errors: ['Failed to generate upscale'] })),
  interaction('upscale-2', upscale, 'bearer', json(200, { images: [] })),
]);
authored('gateway', [
  interaction('get', get, 'absent', { status: 200, headers: {}, body: { kind: 'none' } }),
  interaction('t2i-panic', t2i, 'absent', { dropped: 'ECONNRESET', message: 'socket hang up' }),
]);

let server: LoopbackTarget | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(fixturesDir, { recursive: true, force: true }));

async function studio(opts: { validKeys?: string[] } = { validKeys: [KEY] }, key = KEY) {
  server = await startLoopbackTarget({ target: 'studio', fixturesDir, ...opts });
  return new ApiClient({ target: 'studio', baseUrl: server.url, key, timeouts });
}

describe('loopback target', () => {
  test('binds to 127.0.0.1 under the target path and answers GET, HEAD and JSON from the cassette', async () => {
    const client = await studio();
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/beta\/generate$/);
    const g = await client.send(get);
    expect([g.response?.status, g.response?.json]).toEqual([404, { errors: ['not found'] }]);
    const h = await client.send(head);
    expect([h.response?.status, h.response?.bytes]).toEqual([404, 0]);
    const x = await client.send(t2i);
    expect(x.response?.status).toBe(200);
    expect(x.replayed).toBeUndefined(); // live: no replay headers, the client measures real time
    expect(server!.received.map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual([
      'GET /text-to-image bearer',
      'HEAD /text-to-image bearer',
      'POST /text-to-image bearer',
    ]);
  });

  test('multipart arrives over the wire and matches on its parts', async () => {
    const client = await studio();
    expect((await client.send(i2i)).response?.status).toBe(200);
    expect(server!.received[0]!.body.kind).toBe('multipart');
  });

  test('identical requests answer in recorded order until the sequence is reset', async () => {
    const client = await studio();
    const statuses = async () => [(await client.send(upscale)).response?.status, (await client.send(upscale)).response?.status];
    expect(await statuses()).toEqual([500, 200]);
    const reset = await fetch(server!.resetUrl, { method: 'POST' });
    expect(reset.status).toBe(204);
    expect(await statuses()).toEqual([500, 200]);
  });

  test('an unmatched request answers 599 with the replay miss, so a live spec fails loudly', async () => {
    const client = await studio();
    const x = await client.send(build(minimalDraft('text-to-image', 'some/other-model')));
    expect(x.response?.status).toBe(599);
    expect(x.response?.text).toContain('Replay miss on studio');
    expect(x.response?.text).toContain('json field body.model_id: recorded "SG161222/RealVisXL_V4.0_Lightning", sent "some/other-model"');
  });

  test('a recorded dropped connection resets the socket', async () => {
    server = await startLoopbackTarget({ target: 'gateway', fixturesDir });
    const client = new ApiClient({ target: 'gateway', baseUrl: server.url, timeouts });
    const x = await client.send(t2i);
    expect(x.response).toBeUndefined();
    expect(x.error?.kind).toBe('dropped');
  });

  test('a target that checks no key answers a keyed request as an anonymous one', async () => {
    server = await startLoopbackTarget({ target: 'gateway', fixturesDir });
    const client = new ApiClient({ target: 'gateway', baseUrl: server.url, key: KEY, timeouts });
    const x = await client.send(get);
    expect([x.request.auth, x.response?.status]).toEqual(['bearer', 200]);
  });
});

describe('loopback keys', () => {
  test("studio refuses a key it does not know with Studio's 401, echoing the key; the client redacts it", async () => {
    const canary = '2b0c1b7e-0000-4000-8000-00000000c0de';
    const client = await studio({ validKeys: [KEY] }, canary);
    const x = await client.send(t2i);
    expect(x.response?.status).toBe(401);
    expect(x.response?.json).toEqual({ errors: ['no token [REDACTED] found'] });
    expect(JSON.stringify(x)).not.toContain(canary);
  });

  test("the suite's unknown key is answered from the cassette, a valid key as `bearer`", async () => {
    const client = await studio();
    const unknown = await client.send(t2iUnknownKey);
    expect([unknown.response?.status, unknown.response?.json]).toEqual([401, { errors: [`no token ${UNKNOWN_KEY} found`] }]);
    expect((await client.send(t2i)).response?.status).toBe(200);
  });

  test('without validKeys every token is accepted, as in replay', async () => {
    const client = await studio({}, 'any-token-at-all');
    expect((await client.send(t2i)).response?.status).toBe(200);
  });
});

describe('loopback faults', () => {
  test('N×503 then the normal answer', async () => {
    const client = await studio();
    server!.setFault({ kind: 'unavailable', times: 2 });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await client.send(t2i)).response?.status);
    expect(seen).toEqual([503, 503, 200]);
  });

  test('429 with Retry-After', async () => {
    const client = await studio();
    server!.setFault({ kind: 'rate-limited', retryAfterSeconds: 7, times: 1 });
    const x = await client.send(t2i);
    expect([x.response?.status, x.response?.headers['retry-after'], x.response?.json]).toEqual([429, '7', { errors: ['Too many AI requests'] }]);
    expect((await client.send(t2i)).response?.status).toBe(200);
  });

  test('a server that never answers ends in the named timeout, in bounded time', async () => {
    const client = await studio();
    server!.setFault({ kind: 'no-response' });
    const started = performance.now();
    const x = await client.send(t2i, { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(x.error?.kind).toBe('timeout');
    expect(x.error?.message).toMatch(/^no response after 0\.3 s from POST http:\/\/127\.0\.0\.1:\d+\/api\/beta\/generate\/text-to-image/);
  });

  test('a connection reset is a connection failure, not a response', async () => {
    const client = await studio();
    server!.setFault({ kind: 'reset', times: 1 });
    const x = await client.send(get);
    expect(x.error?.kind).toBe('dropped');
    expect((await client.send(get)).response?.status).toBe(404);
  });

  test('a slow body arrives whole, after the trickle', async () => {
    const client = await studio();
    server!.setFault({ kind: 'slow-body', chunkDelayMs: 20, chunkBytes: 4 });
    const x = await client.send(get); // {"errors":["not found"]}: 24 bytes, 6 chunks, 5 waits of 20 ms
    expect(x.response?.json).toEqual({ errors: ['not found'] });
    expect(x.elapsedMs).toBeGreaterThanOrEqual(95);
  });

  test('a slow body past the deadline is a timeout', async () => {
    const client = await studio();
    server!.setFault({ kind: 'slow-body', chunkDelayMs: 200, chunkBytes: 1 });
    const x = await client.send(get, { timeoutMs: 300 });
    expect(x.error?.kind).toBe('timeout');
  });
});
