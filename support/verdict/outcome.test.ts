// The three outcomes, strictly: a pin passes only while it holds exactly; a stale pin fails; a
// third behaviour fails and says documented, pinned and seen (pitfalls.md 8).
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { DOCS } from '../catalogue.ts';
import type { Deviation } from '../deviations/registry.ts';
import type { Exchange } from '../http/exchange.ts';
import { classify } from './outcome.ts';

const exchange = (status: number, json: unknown): Exchange => ({
  target: 'studio',
  request: { method: 'GET', url: 'https://livepeer.studio/api/beta/generate/text-to-image', path: '/text-to-image', headers: {}, auth: 'bearer', body: null },
  response: { status, headers: {}, contentType: 'application/json', text: JSON.stringify(json), json, bytes: 10 },
  elapsedMs: 3,
});
const documented = { summary: '405 Method Not Allowed', status: 405, body: z.unknown() };
const pin: Deviation = {
  id: 'studio-get-404',
  doc: 'DOC-01',
  target: 'studio',
  pipelines: 'all',
  summary: 'Studio answers 404',
  pinned: { summary: '404 {"errors":["not found"]}', status: 404, body: z.strictObject({ errors: z.tuple([z.literal('not found')]) }) },
  evidence: ['contract-notes.md §2.3.3'],
};
const doc = DOCS['DOC-01'];

describe('classify', () => {
  test('documented behaviour, no pin: conforms', () => {
    expect(classify({ doc, documented, exchange: exchange(405, { detail: 'Method Not Allowed' }) })).toMatchObject({ outcome: 'conforms', pass: true });
  });

  test('exactly as pinned: known deviation, named', () => {
    const v = classify({ doc, documented, pin, exchange: exchange(404, { errors: ['not found'] }) });
    expect(v).toMatchObject({ outcome: 'known deviation', pass: true, headline: 'known deviation "studio-get-404"' });
  });

  test('same status, other body: changed — a pin is status and body shape', () => {
    const v = classify({ doc, documented, pin, exchange: exchange(404, { errors: ['route missing'] }) });
    expect(v).toMatchObject({ outcome: 'changed', pass: false });
    expect(v.message).toContain('neither the documented behaviour nor deviation "studio-get-404" holds');
    expect(v.message).toContain('errors[0]');
  });

  test('the documented behaviour now holds where a pin exists: stale pin fails', () => {
    const v = classify({ doc, documented, pin, exchange: exchange(405, {}) });
    expect(v).toMatchObject({ outcome: 'changed', pass: false });
    expect(v.headline).toContain('registry entry "studio-get-404" is stale');
  });

  test('the failure text reads documented, pinned, seen, then the exchange', () => {
    const v = classify({ doc, documented, pin, exchange: exchange(500, { errors: ['boom'] }) });
    const order = ['documented:', 'pinned:', 'evidence: contract-notes.md §2.3.3', 'seen:       500 {"errors":["boom"]}', '→ GET https://livepeer.studio', '← 500'];
    const positions = order.map((s) => v.message.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(v.message).toContain(doc.link);
  });

  test('no pin and not documented: changed, saying no deviation is registered', () => {
    const v = classify({ doc, documented, exchange: exchange(200, '') });
    expect(v.outcome).toBe('changed');
    expect(v.message).toContain('(no deviation registered for this target)');
  });
});
