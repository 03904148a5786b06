// Secrets never reach disk (pitfalls.md item 1; style.md item 11). Studio answers an unknown key
// with 401 {"errors":["no token <key> found"]} (contract-notes.md §2.3.3): the key comes back in
// the body, where a header filter never looks. A loopback server here plays that Studio, echoing
// the key it was sent in every form a body or header can carry it; the key goes out through the
// suite's client, and must appear nowhere in what the suite keeps: the Exchange, the cassette the
// recorder writes, the report attachments and the failure text.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DOCS } from '../catalogue.ts';
import { ApiClient } from './client.ts';
import { describeOutcome, formatExchange, type Exchange } from './exchange.ts';
import { anyBody } from '../schemas/expectations.ts';
import { classify } from '../verdict/outcome.ts';
import { Recorder } from '../modes/recorder.ts';
import { LEAK_PATTERNS, REDACTED, secretForms } from './redact.ts';
import { exchangeAttachment } from '../report/allure.ts';

const TIMEOUTS = { connectMs: 2_000, checkMs: 5_000, generationMs: 5_000 };

/** Every form the server echoes a token in: raw (JSON-escaped in the body), URL-encoded, base64. */
function echoes(token: string) {
  return {
    body: JSON.stringify({
      errors: [`no token ${token} found`],
      hint: `https://livepeer.studio/dashboard/developers/api-keys?key=${encodeURIComponent(token)}`,
      b64: Buffer.from(token).toString('base64'),
      b64url: Buffer.from(token).toString('base64url'),
      header: Buffer.from(`Bearer ${token}`).toString('base64'),
    }),
    headers: { 'x-echo-token': encodeURIComponent(token), 'x-echo-b64': Buffer.from(token).toString('base64') },
  };
}

let server: Server;
let baseUrl: string;
const received: Array<{ headers: IncomingHttpHeaders; sentBody: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const token = /^\w+ (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const { body, headers } = echoes(token);
      received.push({ headers: req.headers, sentBody: body });
      res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

/**
 * The forms a key can take in a body or a header, written out here rather than taken from
 * redact.ts, so that a form redact.ts forgets is still looked for.
 */
const formsOf = (secret: string) => [
  ...new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(`Bearer ${secret}`).toString('base64'),
  ]),
];

/** The forms of `secret` found in `text`. */
const leaksIn = (text: string, secret: string) => formsOf(secret).filter((form) => text.includes(form));

const CANARIES = {
  // Studio API keys are UUIDs: what LEAK_PATTERNS look for, and what Studio would echo.
  'a Studio-style key': '3f2b9c1e-8d4a-4f6b-9e2c-7a1d5b8c0f34',
  // Characters that make the JSON-escaped, URL-encoded and base64 forms all differ from the raw one.
  'a key with quotes, slashes and plus signs': 'lp-canary/"q"\\+k=y&z%',
} as const;

describe('the key Studio echoes in a 401 never reaches a fixture or a report', () => {
  test.for(Object.entries(CANARIES))('%s', async ([, canary]) => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-redaction-'));
    try {
      const recorder = new Recorder({ fixturesDir: dir, baseUrls: { studio: baseUrl }, secrets: [canary] });
      const client = new ApiClient({
        target: 'studio',
        baseUrl,
        key: canary,
        timeouts: TIMEOUTS,
        onExchange: (x, raw) => recorder.add('auth', x, raw),
      });
      const exchange: Exchange = await client.send({
        method: 'POST',
        path: '/text-to-image',
        auth: 'key',
        // The key in the request body too: what the recorder keeps of a request is redacted as well.
        body: { kind: 'json', value: { prompt: `echo ${canary}`, model_id: 'SG161222/RealVisXL_V4.0_Lightning' } },
      });
      const [cassettePath] = recorder.flush();

      // The test is not vacuous: the key went out, and came back in every form.
      const sent = received.at(-1)!;
      // Compared as booleans: a matcher's values reach vitest.json (allure-vitest's steps in the
      // test's meta), and the next run's leak scan would find the key there.
      expect(sent.headers.authorization === `Bearer ${canary}`, 'the key went out as a Bearer token').toBe(true);
      expect(JSON.parse(sent.sentBody).errors?.[0] === `no token ${canary} found`, 'the server echoed the key').toBe(true);
      // In the body text the raw form shows JSON-escaped, where escaping changes it.
      const echoedForms = formsOf(canary).filter((f) => f !== canary || JSON.stringify(canary) === `"${canary}"`);
      expect(leaksIn(sent.sentBody + JSON.stringify(echoes(canary).headers), canary)).toStrictEqual(echoedForms);
      expect(exchange.response?.status).toBe(401);
      expect(exchange.response?.json).toMatchObject({ errors: [`no token ${REDACTED} found`] });

      const { request, response } = exchangeAttachment(exchange);
      const verdict = classify({
        row: DOCS['DOC-11'],
        subject: 'studio',
        documented: { summary: '200 (so that the verdict prints the whole exchange)', status: 200, body: anyBody },
        observation: { exchange },
      });
      const kept: Record<string, string> = {
        'the Exchange': JSON.stringify(exchange),
        'the recorded cassette': readFileSync(cassettePath!, 'utf8'),
        'the request attachment': request,
        'the response attachment': response,
        'the failure text': `${verdict.message}\n${formatExchange(exchange)}\n${describeOutcome(exchange)}`,
      };
      const found = Object.entries(kept).flatMap(([where, text]) => [
        ...leaksIn(text, canary).map((form) => `${where} holds ${JSON.stringify(form)}`),
        ...LEAK_PATTERNS.flatMap((p) => [...text.matchAll(p)].map((m) => `${where} matches leak pattern ${p}: ${m[0]}`)),
      ]);
      expect(found).toStrictEqual([]);
      expect(kept['the recorded cassette']).toContain(`no token ${REDACTED} found`);
      expect(secretForms(canary), 'redact.ts knows every form').toEqual(expect.arrayContaining(formsOf(canary)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the key under another scheme (`Authorization: Token <key>`, DOC-11 token-scheme) is treated like a Bearer key', () => {
  test.for(Object.entries(CANARIES))('%s', async ([, canary]) => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-redaction-'));
    try {
      const recorder = new Recorder({ fixturesDir: dir, baseUrls: { studio: baseUrl }, secrets: [canary] });
      const client = new ApiClient({ target: 'studio', baseUrl, key: canary, timeouts: TIMEOUTS, onExchange: (x, raw) => recorder.add('auth', x, raw) });
      const exchange = await client.send({ method: 'POST', path: '/text-to-image', auth: 'token-scheme', body: { kind: 'json', value: { prompt: 'test' } } });
      const [cassettePath] = recorder.flush();

      expect(received.at(-1)!.headers.authorization === `Token ${canary}`, 'the configured key went out under the Token scheme').toBe(true);
      expect(exchange.request.auth).toBe('other-scheme');
      expect(exchange.request.headers.authorization).toBe(`Token ${REDACTED}`);
      const cassette = readFileSync(cassettePath!, 'utf8');
      expect(JSON.parse(cassette).interactions[0].request.auth).toBe('other-scheme');
      const { request, response } = exchangeAttachment(exchange);
      const found = Object.entries({ 'the Exchange': JSON.stringify(exchange), 'the recorded cassette': cassette, 'the request attachment': request, 'the response attachment': response }).flatMap(([where, text]) =>
        leaksIn(text, canary).map((form) => `${where} holds ${JSON.stringify(form)}`),
      );
      expect(found).toStrictEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
