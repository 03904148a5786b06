// The outcomes, strictly: a pin passes only while it holds exactly; a stale pin fails; a third
// behaviour fails and says documented, pinned and seen (pitfalls.md 8); a target that does not
// answer, and a request the suite did not send, are never read as a contract verdict.
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { DOCS, SUITE } from '../catalogue.ts';
import type { Deviation } from '../deviations/types.ts';
import type { CapturedError, Exchange } from '../http/exchange.ts';
import { fieldsEqual } from '../schemas/expectations.ts';
import { classify, OUTCOME_GROUP, type Classification } from './outcome.ts';

const request = { method: 'GET', url: 'https://livepeer.studio/api/beta/generate/text-to-image', path: '/text-to-image', headers: {}, auth: 'bearer' as const, body: null };
const exchange = (status: number, json: unknown, elapsedMs = 3): Exchange => ({
  target: 'studio',
  request,
  response: { status, headers: { 'content-type': 'application/json' }, contentType: 'application/json', text: JSON.stringify(json), json, bytes: 10 },
  elapsedMs,
});
const failed = (error: CapturedError): Exchange => ({ target: 'studio', request, error, elapsedMs: 1 });
const documented = { summary: '405 Method Not Allowed', status: 405, body: z.unknown() };
const pin: Deviation = {
  id: 'studio-get-404',
  check: 'DOC-01',
  target: 'studio',
  pipelines: 'all',
  summary: 'Studio answers 404',
  pinned: { summary: '404 {"errors":["not found"]}', status: 404, body: z.strictObject({ errors: z.tuple([z.literal('not found')]) }) },
  evidence: ['contract-notes.md §2.3.3'],
};
const dropPin: Deviation = { ...pin, id: 'gateway-drops', target: 'gateway', summary: 'drops the connection', pinned: { summary: 'dropped', status: 'dropped' } };
const row = DOCS['DOC-01'];
const of = (x: Exchange, more: Partial<Classification> = {}) => classify({ row, subject: 'studio', documented, observation: { exchange: x }, ...more });

describe('classify', () => {
  test('documented behaviour, no pin: conforms', () => {
    expect(of(exchange(405, { detail: 'Method Not Allowed' }))).toMatchObject({ outcome: 'conforms', pass: true });
  });

  test('exactly as pinned: known deviation, named', () => {
    expect(of(exchange(404, { errors: ['not found'] }), { pin })).toMatchObject({ outcome: 'known deviation', pass: true, headline: 'known deviation "studio-get-404"' });
  });

  test('same status, other body: changed — a pin is status and body shape', () => {
    const v = of(exchange(404, { errors: ['route missing'] }), { pin });
    expect(v).toMatchObject({ outcome: 'changed', pass: false });
    expect(v.message).toContain('neither the documented behaviour nor deviation "studio-get-404" holds');
    expect(v.message).toContain('errors[0]');
  });

  test('the documented behaviour now holds where a pin exists: stale pin fails', () => {
    const v = of(exchange(405, {}), { pin });
    expect(v).toMatchObject({ outcome: 'changed', pass: false });
    expect(v.headline).toContain('registry entry "studio-get-404" is stale');
  });

  test('the failure text reads documented, pinned, seen, then the exchange', () => {
    const v = of(exchange(500, { errors: ['boom'] }), { pin });
    const order = ['documented:', 'pinned:', 'evidence: contract-notes.md §2.3.3', 'seen:       500 {"errors":["boom"]}', '→ GET https://livepeer.studio', '← 500'];
    const positions = order.map((s) => v.message.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(v.message).toContain(row.link);
  });

  test('no pin and not documented: changed, saying no deviation is registered', () => {
    const v = of(exchange(200, ''));
    expect(v.outcome).toBe('changed');
    expect(v.message).toContain('(no deviation registered for studio)');
  });

  test('what a check requires holds on either side: a pin does not excuse it', () => {
    const slow = { summary: 'within 100 ms', withinMs: 100 };
    expect(of(exchange(404, { errors: ['not found'] }, 50), { pin, requires: [slow] }).outcome).toBe('known deviation');
    const v = of(exchange(404, { errors: ['not found'] }, 500), { pin, requires: [slow] });
    expect(v.outcome).toBe('changed');
    expect(v.message).toContain('the answer took 500 ms, expected at most 100 ms');
    expect(of(exchange(405, {}, 500), { requires: [slow] }).outcome).toBe('changed');
  });
});

describe('a target that does not answer is no verdict on the contract', () => {
  test.for([
    { kind: 'unreachable', code: 'ECONNREFUSED' },
    { kind: 'dropped', code: 'ECONNRESET' },
    { kind: 'timeout', code: 'TimeoutError' },
    { kind: 'unreachable', code: 'ENOTFOUND' },
  ] as const)('$kind ($code): no answer, counted as broken, with the URL and the code', ({ kind, code }) => {
    const v = of(failed({ kind, code, message: `GET … failed (${code})` }), { pin });
    expect(v).toMatchObject({ outcome: 'no answer', pass: false, failure: { kind, code, url: request.url } });
    expect(OUTCOME_GROUP[v.outcome]).toBe('broken');
    expect(v.headline).toBe(`no answer from studio: ${kind} (${code}) on GET ${request.url}`);
    expect(v.message).toContain('not a verdict on the contract');
    expect(v.message).not.toContain('changed');
  });

  test('a pin for a dropped connection still matches a dropped connection, and only that', () => {
    const gateway = (x: Exchange) => classify({ row, subject: 'gateway', documented, pin: dropPin, observation: { exchange: x } });
    expect(gateway(failed({ kind: 'dropped', code: 'ECONNRESET', message: 'socket hang up' })).outcome).toBe('known deviation');
    expect(gateway(failed({ kind: 'unreachable', code: 'ECONNREFUSED', message: 'refused' })).outcome).toBe('no answer');
    expect(gateway(failed({ kind: 'timeout', message: 'no response after 30 s' })).outcome).toBe('no answer');
    expect(gateway(exchange(400, {})).outcome).toBe('changed');
  });

  test('a request the suite did not send (replay miss, paid budget) is `not sent`, whatever else came', () => {
    const miss = failed({ kind: 'replay-miss', message: 'Replay miss on studio: …' });
    const v = of(exchange(405, {}), { exchanges: [exchange(405, {}), miss] });
    expect(v).toMatchObject({ outcome: 'not sent', pass: false });
    expect(OUTCOME_GROUP[v.outcome]).toBe('broken');
    expect(of(failed({ kind: 'budget', message: 'LIVEPEER_MAX_PAID_REQUESTS=1 reached' })).outcome).toBe('not sent');
  });
});

describe('a route retired upstream', () => {
  const gone: Exchange = {
    ...exchange(410, { error: { message: 'pipeline "text-to-image" is deprecated and no longer supported' } }),
    response: { ...exchange(410, {}).response!, headers: { 'content-type': 'application/json', sunset: 'Wed, 31 Dec 2025 23:59:59 GMT' }, json: { error: { message: 'pipeline "text-to-image" is deprecated and no longer supported' } } },
  };
  test('410 Gone is `retired`, with the error text and the Sunset date, never `changed`', () => {
    const v = of(gone, { pin, pipeline: 'text-to-image' });
    expect(v).toMatchObject({ outcome: 'retired', pass: false, retired: { path: '/text-to-image', message: 'pipeline "text-to-image" is deprecated and no longer supported', sunset: 'Wed, 31 Dec 2025 23:59:59 GMT' } });
    expect(OUTCOME_GROUP[v.outcome]).toBe('retired');
    expect(v.headline).toBe('retired: studio answers 410 Gone on /text-to-image (Sunset: Wed, 31 Dec 2025 23:59:59 GMT): pipeline "text-to-image" is deprecated and no longer supported');
  });
  test('a pin for a 410 would still be a known deviation: retired is what nothing expected', () => {
    const pinned410: Deviation = { ...pin, pinned: { summary: '410', status: 410, body: z.unknown() } };
    expect(of(gone, { pin: pinned410 }).outcome).toBe('known deviation');
  });
});

describe('a check of the client code', () => {
  const doc08 = DOCS['DOC-08'];
  const expected = { summary: 'waits 5000, 7500 ms', sequence: fieldsEqual({ waitsMs: [5000, 7500] }) };
  test('conforms or changes on what the client did, with no request to a target', () => {
    expect(classify({ row: doc08, subject: SUITE, documented: expected, observation: { sequence: { waitsMs: [5000, 7500] } } }).outcome).toBe('conforms');
    const v = classify({ row: doc08, subject: SUITE, documented: expected, observation: { sequence: { waitsMs: [5000, 7000] } } });
    expect(v.outcome).toBe('changed');
    expect(v.message).toMatch(/\[5000,7000\], expected \[5000,7500\];\s+→ at waitsMs/);
    expect(v.message).toContain('(no request to a target: a check of the client code)');
  });
});
