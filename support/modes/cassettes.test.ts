// A corrupt, truncated or mislabelled cassette is named, with the place inside it, before any spec.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CassetteError, loadCassettes, parseCassette, requestBodyFromSpec, requestBodyFromWire } from './cassettes.ts';
import { MEDIA } from '../data/media.ts';
import { build, minimalDraft } from '../data/requests.ts';
import { encodeBody } from '../http/wire.ts';

const valid = {
  cassette: 1,
  target: 'runner',
  area: 'connectivity',
  provenance: { kind: 'authored', source: 'runner-observed.md O1', authoredOn: '2026-11-25' },
  interactions: [
    {
      id: 'get-t2i',
      request: { method: 'GET', path: '/text-to-image', auth: 'absent', body: { kind: 'none' } },
      response: { status: 405, headers: { allow: 'POST' }, body: { kind: 'json', value: { detail: 'Method Not Allowed' } } },
    },
  ],
};

const parseError = (value: unknown, text = JSON.stringify(value)) => {
  try {
    parseCassette('fixtures/cassettes/runner/x.json', text, 'runner');
  } catch (err) {
    expect(err).toBeInstanceOf(CassetteError);
    return (err as Error).message;
  }
  throw new Error('expected a CassetteError');
};

describe('parseCassette', () => {
  test('accepts a valid cassette', () => {
    expect(parseCassette('x.json', JSON.stringify(valid)).interactions).toHaveLength(1);
  });

  test('a truncated file names the file and says corrupt or truncated', () => {
    const m = parseError(null, JSON.stringify(valid).slice(0, 80));
    expect(m).toMatch(/^fixtures\/cassettes\/runner\/x\.json: not valid JSON \(.+\)\. The file is corrupt or truncated/);
  });

  test('an unknown provenance kind names the field and the allowed forms', () => {
    const m = parseError({ ...valid, provenance: { kind: 'guessed', source: 'somewhere in the docs' } });
    expect(m).toContain('fixtures/cassettes/runner/x.json: not a valid cassette');
    expect(m).toContain('provenance');
    expect(m).toContain('{"kind":"authored","source":…,"authoredOn":…}');
  });

  test('authored provenance must name its source', () => {
    expect(parseError({ ...valid, provenance: { kind: 'authored', source: '', authoredOn: '2026-11-25' } })).toContain('must name the reference it follows');
  });

  test('a cassette for an unknown pipeline names the interaction and the path', () => {
    const bad = structuredClone(valid);
    bad.interactions[0]!.request.path = '/text-to-3d';
    expect(parseError(bad)).toBe(
      'fixtures/cassettes/runner/x.json: interactions[0] ("get-t2i") is for /text-to-3d, which is no pipeline of the catalogue (support/catalogue.ts).',
    );
  });

  test('a wrong field type names its path inside the file', () => {
    const bad = structuredClone(valid) as unknown as { interactions: { response: { status: unknown } }[] };
    bad.interactions[0]!.response.status = '405';
    expect(parseError(bad)).toContain('interactions.0.response');
  });

  test('a cassette in another target’s folder is refused', () => {
    expect(parseError({ ...valid, target: 'studio' })).toContain('declares target "studio" but sits in the folder of target "runner"');
  });

  describe('an interaction marked with an origin its file cannot hold is refused', () => {
    const observed = { kind: 'observed', source: 'studio-observed.md §1 (GET and HEAD)', ran: 'livepeer/studio packages/api 670a0a66', observedOn: '2026-12-01' };
    const marked = (provenance: unknown, mark: string) => ({ ...valid, provenance, interactions: [{ ...valid.interactions[0], provenance: mark }] });

    test('observed cassette: its own interactions, and authored ones when it names the file they follow', () => {
      expect(parseCassette('x.json', JSON.stringify(marked(observed, 'observed'))).interactions).toHaveLength(1);
      expect(parseCassette('x.json', JSON.stringify(marked({ ...observed, authored: valid.provenance }, 'authored'))).interactions).toHaveLength(1);
    });

    test('marked authored in an observed cassette without provenance.authored', () => {
      expect(parseError(marked(observed, 'authored'))).toBe(
        'fixtures/cassettes/runner/x.json: interactions[0] ("get-t2i") is marked authored, which a cassette of kind observed cannot hold: name the file it follows in provenance.authored.',
      );
    });

    test('marked recorded in an authored cassette', () => {
      expect(parseError(marked(valid.provenance, 'recorded'))).toBe('fixtures/cassettes/runner/x.json: interactions[0] ("get-t2i") is marked recorded, which a cassette of kind authored cannot hold.');
    });
  });

  test('duplicate interaction ids are refused', () => {
    expect(parseError({ ...valid, interactions: [valid.interactions[0], valid.interactions[0]] })).toContain('repeats the id "get-t2i"');
  });
});

describe('loadCassettes', () => {
  test('reads fixtures/cassettes/<target>/*.json and names a corrupt file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cassettes-'));
    mkdirSync(join(dir, 'cassettes', 'runner'), { recursive: true });
    writeFileSync(join(dir, 'cassettes', 'runner', 'a.json'), JSON.stringify(valid));
    expect(loadCassettes(dir, ['runner'])).toHaveLength(1);
    writeFileSync(join(dir, 'cassettes', 'runner', 'b.json'), '{"cassette":1,');
    expect(() => loadCassettes(dir, ['runner'])).toThrow(/b\.json: not valid JSON/);
  });
});

describe('request bodies: what the suite sends and what arrives compare equal', () => {
  test.each(['text-to-image', 'image-to-image', 'audio-to-text', 'llm'] as const)('%s', async (pipeline) => {
    const spec = build(minimalDraft(pipeline));
    const encoded = encodeBody(spec.body);
    const request = new Request('http://127.0.0.1/x', {
      method: 'POST',
      body: encoded.init.body,
      headers: encoded.contentType ? { 'content-type': encoded.contentType } : {},
    });
    const wire = await requestBodyFromWire(request.headers.get('content-type') ?? undefined, new Uint8Array(await request.arrayBuffer()));
    expect(wire).toEqual(requestBodyFromSpec(spec.body));
  });

  test('multipart files are kept as name, type, size and hash, never bytes', () => {
    const body = requestBodyFromSpec(build(minimalDraft('upscale')).body);
    expect(body).toMatchObject({ kind: 'multipart' });
    expect(JSON.stringify(body)).not.toContain(Buffer.from(MEDIA.image.bytes).toString('base64'));
  });
});
