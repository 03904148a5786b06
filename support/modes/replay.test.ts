// Replay is lockdown: answers come from cassettes, in recorded order, and a miss says which
// field differs from the closest recorded request (pitfalls.md 2, 3, 4).
import { afterEach, describe, expect, test } from 'vitest';
import { requestBodyFromSpec, type LoadedCassette } from './cassettes.ts';
import { ApiClient } from '../http/client.ts';
import { MEDIA } from '../data/media.ts';
import { handsBodiesOverRaw, playsZeroDelaysImmediately } from './nock-playback.ts';
import { ReplayEngine } from './replay.ts';
import { keyFor } from './keys.ts';
import { build, minimalDraft, withField, withModel, withRawBody } from '../data/requests.ts';

const BASE = 'https://replay.test/api/beta/generate';
const timeouts = { connectMs: 1000, checkMs: 2000, generationMs: 2000 };
const upscale = build(minimalDraft('upscale'));
const t2i = build(minimalDraft('text-to-image'));
/** DOC-03's malformed JSON, sent as application/json on purpose. */
const malformed = build(withRawBody(minimalDraft('text-to-image'), '{"prompt":', 'application/json'));

const cassette: LoadedCassette = {
  file: 'fixtures/cassettes/studio/test.json',
  cassette: 1,
  target: 'studio',
  area: 'test',
  provenance: { kind: 'authored', source: 'replay.test.ts synthetic cassette', authoredOn: '2026-11-25' },
  interactions: [
    {
      id: 'first-503',
      request: { method: 'POST', path: '/text-to-image', auth: 'bearer', body: requestBodyFromSpec(t2i.body) },
      response: { status: 503, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: { error: { message: 'Service Unavailable Error' } } } },
    },
    {
      id: 'then-200',
      request: { method: 'POST', path: '/text-to-image', auth: 'bearer', body: requestBodyFromSpec(t2i.body) },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: { images: [] } } },
      elapsedMs: 95_000,
    },
    {
      id: 'malformed-json',
      request: { method: 'POST', path: '/text-to-image', auth: 'bearer', body: requestBodyFromSpec(malformed.body) },
      response: { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { kind: 'json', value: { errors: ['Unexpected end of JSON input'] } } },
    },
    {
      id: 'upscale',
      request: { method: 'POST', path: '/upscale', auth: 'bearer', body: requestBodyFromSpec(upscale.body) },
      response: { dropped: 'ECONNRESET', message: 'socket hang up' },
    },
  ],
};

let engine: ReplayEngine | undefined;
afterEach(() => engine?.stop());

function start() {
  engine = new ReplayEngine([cassette], { studio: BASE });
  engine.start();
  return new ApiClient({ target: 'studio', baseUrl: BASE, key: keyFor({ mode: 'replay' }, 'studio', { cassettes: [cassette] }), timeouts });
}

describe('ReplayEngine', () => {
  test("plays nock's zero delays back without a 1 ms timer while it runs, and gives the timer back", async () => {
    expect(playsZeroDelaysImmediately()).toBe(false);
    const client = start();
    expect(playsZeroDelaysImmediately(), 'nock/lib/common.js moved its timers: see support/modes/nock-playback.ts').toBe(true);
    // Answers still come, in order, and a dropped connection still drops.
    expect((await client.send(t2i)).response?.status).toBe(503);
    expect((await client.send(upscale)).error?.kind).toBe('dropped');
    engine!.stop();
    expect(playsZeroDelaysImmediately()).toBe(false);
  });

  test('a body that is not the JSON its content type says (DOC-03 malformed JSON) is matched and answered like any other', async () => {
    expect(handsBodiesOverRaw()).toBe(false);
    const client = start();
    expect(handsBodiesOverRaw(), 'nock/lib/common.js moved isJSONContent: see support/modes/nock-playback.ts').toBe(true);
    const x = await client.send(malformed);
    expect(x.response?.status).toBe(400);
    expect(x.replayed?.interaction).toBe('malformed-json');
    // A well-formed JSON body still matches on its value.
    expect((await client.send(t2i)).response?.status).toBe(503);
    engine!.stop();
    expect(handsBodiesOverRaw()).toBe(false);
  });

  test('identical requests answer in recorded order, and the order restarts per test', async () => {
    const client = start();
    expect((await client.send(t2i)).response?.status).toBe(503);
    const second = await client.send(t2i);
    expect(second.response?.status).toBe(200);
    expect(second.replayed).toEqual({ cassette: cassette.file, interaction: 'then-200', recordedElapsedMs: 95_000 });
    expect((await client.send(t2i)).response?.status).toBe(200); // the last answer repeats
    expect(engine!.used).toEqual([`${cassette.file}#first-503`, `${cassette.file}#then-200`, `${cassette.file}#then-200`]);
    engine!.resetSequences();
    expect((await client.send(t2i)).response?.status).toBe(503);
    // What answered is counted per test: the hygiene check sums the tests.
    expect(engine!.used).toEqual([`${cassette.file}#first-503`]);
  });

  test('a dropped connection is replayed as a connection the target dropped', async () => {
    const x = await start().send(upscale);
    expect(x.response).toBeUndefined();
    expect(x.error).toMatchObject({ kind: 'dropped', code: 'ECONNRESET' });
  });

  test('a multipart request that differs in one part names the part', async () => {
    const draft = withField(minimalDraft('upscale'), 'image', { file: { ...MEDIA.image, bytes: new Uint8Array([1, 2, 3]) } });
    const x = await start().send(build(draft));
    expect(x.error?.kind).toBe('replay-miss');
    expect(x.error?.message).toContain('Closest recorded: fixtures/cassettes/studio/test.json #upscale');
    expect(x.error?.message).toMatch(/multipart part "image": file hash recorded [0-9a-f]{12}… \(\d+ B\), sent [0-9a-f]{12}… \(3 B\)/);
  });

  test('a JSON field that differs is named with its path in the body', async () => {
    const x = await start().send(build(withModel(minimalDraft('text-to-image'), 'ByteDance/SDXL-Lightning')));
    expect(x.error?.message).toContain('json field body.model_id: recorded "SG161222/RealVisXL_V4.0_Lightning", sent "ByteDance/SDXL-Lightning"');
  });

  test('a wrong auth fingerprint is named', async () => {
    const x = await start().send({ ...t2i, auth: 'none' });
    expect(x.error?.message).toContain('auth fingerprint: recorded bearer, sent absent');
  });

  test('a different method is named, and nothing goes to the network', async () => {
    const client = start();
    const x = await client.send({ ...t2i, method: 'PUT' });
    expect(x.error?.message).toContain('method: recorded POST, sent PUT');
    const other = await new ApiClient({ target: 'gateway', baseUrl: 'https://elsewhere.test', timeouts }).send(t2i);
    expect(other.error?.message).toMatch(/Disallowed net connect/);
  });
});
