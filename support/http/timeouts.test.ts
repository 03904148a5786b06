// DOC-14 self-test: every request of the client has a deadline, and a target that accepts the
// connection but never answers (or sends headers and then nothing) ends in the client's named
// "no response after N s … npm run diagnose", never in a hung run: the message names the deadline
// that ended it. Real servers on 127.0.0.1 (port 0), real sockets, deadlines of a few hundred
// milliseconds; no assertion reads the clock.
import { afterEach, describe, expect, test } from 'vitest';
import { ApiClient } from './client.ts';
import { listenLocally, type LocalServer } from './loopback-http.ts';
import type { Timeouts } from '../config.ts';
import { checksTestTimeout, paidTestTimeout, retryTestTimeout } from '../run/deadlines.ts';
import { CHECKLIST_POLICY, SNIPPET_POLICY } from '../retry/retry.ts';
import type { RequestSpec } from './wire.ts';

const TIMEOUTS: Timeouts = { connectMs: 1_000, checkMs: 200, generationMs: 400 };

const open: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof listenLocally>[0]): Promise<LocalServer> {
  const s = await listenLocally(handler);
  open.push(s);
  return s;
}

/** Reads the request, then never answers. */
const silent = () => serve((req) => req.resume());

/** Sends the status line and headers at once, then never a byte of the body. */
const headersOnly = () =>
  serve((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.flushHeaders();
    res.write('{"images":[');
  });

const client = (url: string) => new ApiClient({ target: 'gateway', baseUrl: url, timeouts: TIMEOUTS });

const check: RequestSpec = { method: 'POST', path: '/text-to-image', body: { kind: 'json', value: { prompt: 'test' } }, auth: 'none' };
const paid: RequestSpec = { ...check, paid: true };

const diagnosis =
  'the target accepted the request but did not answer. Run `npm run diagnose` (DOC-16): connectivity, status page, request construction, model availability, gateway availability.';


describe('DOC-14 every request ends at its deadline', () => {
  test('a check rejected before inference gets the check deadline, a request that runs a model the generation deadline', () => {
    const c = client('http://127.0.0.1:9');
    expect(c.deadlineFor(check)).toBe(TIMEOUTS.checkMs);
    expect(c.deadlineFor(paid)).toBe(TIMEOUTS.generationMs);
  });

  test('a server that accepts the connection and never answers: "no response after 0.2 s", within the check deadline', async () => {
    const server = await silent();
    const x = await client(server.url).send(check);
    expect(x.response).toBeUndefined();
    expect(x.error?.kind).toBe('timeout');
    expect(x.error?.message).toBe(`no response after 0.2 s from POST ${server.url}/text-to-image: ${diagnosis}`);
  }, 5_000);

  test('the same silence on a request that runs a model ends at the generation deadline: "no response after 0.4 s"', async () => {
    const server = await silent();
    const x = await client(server.url).send(paid);
    expect(x.error?.kind).toBe('timeout');
    expect(x.error?.message).toBe(`no response after 0.4 s from POST ${server.url}/text-to-image: ${diagnosis}`);
  }, 5_000);

  test('headers, then a body that never comes: the deadline still ends the request', async () => {
    const server = await headersOnly();
    const x = await client(server.url).send(paid);
    expect(x.response).toBeUndefined();
    expect(x.error?.kind).toBe('timeout');
    expect(x.error?.message).toMatch(/^no response after 0\.4 s from POST http:\/\/127\.0\.0\.1:\d+\/text-to-image: .*npm run diagnose/);
  }, 5_000);

  test('a per-call deadline overrides the default one', async () => {
    const server = await silent();
    const x = await client(server.url).send(paid, { timeoutMs: 150 });
    expect(x.error?.message).toMatch(/^no response after 0\.15 s /);
  }, 5_000);

  test('a closed connection is not a timeout: it fails at once as dropped by the target', async () => {
    const server = await serve((req) => req.socket.destroy());
    const x = await client(server.url).send(check);
    expect(x.error?.kind).toBe('dropped');
    expect(x.error?.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/text-to-image failed: the target closed the connection without an HTTP response \((UND_ERR_SOCKET|ECONNRESET)\)/);
  }, 5_000);

  test('nothing listening is not a drop: the target is unreachable, with the code', async () => {
    const server = await serve(() => {});
    const url = server.url;
    await server.close();
    const x = await client(url).send(check);
    expect(x.error).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED' });
    expect(x.error?.message).toMatch(/failed: no connection to the target \(ECONNREFUSED\)/);
  }, 5_000);
});

describe('DOC-14 test timeouts outlive the requests they wait for', () => {
  const t: Timeouts = { connectMs: 10_000, checkMs: 30_000, generationMs: 300_000 };

  test('a paid test outlives its one request', () => {
    expect(paidTestTimeout(t)).toBeGreaterThan(t.generationMs);
  });

  test('a test of n checks outlives n check deadlines', () => {
    expect(checksTestTimeout(t, 21)).toBeGreaterThan(21 * t.checkMs);
  });

  test('a retried request outlives every attempt and every wait of the schedule', () => {
    // Snippet: 6 attempts of 300 s, waits 5000 + 7500 + 11250 + 16875 + 25312.5 ms.
    expect(retryTestTimeout(t, SNIPPET_POLICY, 1)).toBeGreaterThan(6 * 300_000 + 65_937.5);
    expect(retryTestTimeout(t, CHECKLIST_POLICY, 0.001)).toBeGreaterThan(6 * 300_000 + 65.9375);
  });
});
