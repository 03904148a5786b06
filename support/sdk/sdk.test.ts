// Self-tests of the SDK observer: the pinned SDK is the one installed; every answer dialect comes
// out of sdkView as the SDK's own source says it should (src/lib/matchers.ts, src/models/errors/*);
// the SDK's request survives the trip through the suite's client and cassettes; and the SDK spec,
// run in replay on a copy of the fixtures with one success body changed to a shape the SDK
// rejects and with every socket blocked, fails exactly that SDK-01 check with the SDK's own text.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDK_METADATA } from '@livepeer/ai';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { requestBodyFromSpec, requestBodyFromWire } from '../modes/cassettes.ts';
import { SDK_IDS, SDKS, SUBJECTS, subjectsOf, TARGET_IDS, type PipelineId, type SdkId, type Subject } from '../catalogue.ts';
import { sdk } from '../deviations/sdk.ts';
import type { Exchange } from '../http/exchange.ts';
import { runVitest, tail } from '../loopback/child-run.ts';
import { answerFor, sdkRequestSpec, sdkView, serverMessages } from './sdk.ts';
import { describeSdkOutcome, SDK_LABEL, type SdkOutcome } from '../schemas/sdk-outcome.ts';
import { encodeBody } from '../http/wire.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function answered(status: number, text: string, contentType = 'application/json'): Exchange {
  let json: unknown;
  try {
    json = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    target: 'runner',
    request: { method: 'POST', url: 'http://127.0.0.1:8000/upscale', path: '/upscale', headers: {}, auth: 'absent', body: null },
    response: { status, headers: contentType ? { 'content-type': contentType } : {}, contentType, text, ...(json !== undefined ? { json } : {}), bytes: Buffer.byteLength(text) },
    elapsedMs: 1,
  };
}

const failed = (kind: 'dropped' | 'timeout' | 'replay-miss', message: string, code?: string): Exchange => ({
  ...answered(200, ''),
  response: undefined,
  error: { kind, message, ...(code ? { code } : {}) },
});

/** The parts of an outcome a row below states: class, readable status, fate of the server's message, the whole message. */
const gist = (o: SdkOutcome) =>
  o.kind === 'error'
    ? { errorClass: o.errorClass, status: o.status, reaches: o.serverMessagesReachCaller, message: o.message }
    : o.kind === 'parsed'
      ? { parsed: o.resultType }
      : { noAnswer: o.reason };

/** A zod 4 issue list as SDKValidationError prints it (the SDK runs on the suite's zod, its peer dependency). */
const zodIssue = (expected: string, path: (string | number)[], received: string) =>
  `Response validation failed: ${JSON.stringify([{ expected, code: 'invalid_type', path, message: `Invalid input: expected ${expected}, received ${received}` }], null, 2)}`;

describe('the pinned SDK', () => {
  test('is the installed @livepeer/ai, at the exact version package.json pins', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['@livepeer/ai']).toBe('0.6.2');
    expect(SDK_METADATA.sdkVersion).toBe('0.6.2');
    expect(SDK_LABEL).toBe(`@livepeer/ai ${SDK_METADATA.sdkVersion}`);
  });
});

describe('sdkView: what an SDK caller gets from each kind of answer', () => {
  const rows: Array<[string, PipelineId, Exchange, ReturnType<typeof gist>]> = [
    ['200 ImageResponse', 'upscale', answered(200, '{"images":[{"url":"data:x","seed":1,"nsfw":false}]}'), { parsed: 'ImageResponse' }],
    [
      'runner image-to-video {frames}: not the SDK\'s VideoResponse',
      'image-to-video',
      answered(200, '{"frames":[[{"url":"data:x","seed":1,"nsfw":false}]]}'),
      { errorClass: 'SDKValidationError', status: undefined, reaches: true, message: zodIssue('array', ['VideoResponse', 'images'], 'undefined') },
    ],
    [
      'runner llm "delta": null',
      'llm',
      answered(200, '{"id":"a","model":"m","created":1,"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},"choices":[{"index":0,"finish_reason":"stop","delta":null,"message":{"role":"assistant","content":"x"}}]}'),
      { errorClass: 'SDKValidationError', status: undefined, reaches: true, message: zodIssue('object', ['LLMResponse', 'choices', 0, 'delta'], 'null') },
    ],
    [
      'runner 400 {"detail":{"msg"}}: HTTPError, no status',
      'upscale',
      answered(400, '{"detail":{"msg":"Prompt must be provided."}}'),
      { errorClass: 'HTTPError', status: undefined, reaches: true, message: 'API error occurred: {"detail":{"msg":"Prompt must be provided."}}' },
    ],
    [
      'runner 422 {"detail":[…]}: HTTPValidationError',
      'upscale',
      answered(422, '{"detail":[{"type":"missing","loc":["body","image"],"msg":"Field required","input":null}]}'),
      { errorClass: 'HTTPValidationError', status: 422, reaches: true, message: 'API error occurred: {"detail":[{"loc":["body","image"],"msg":"Field required","type":"missing"}]}' },
    ],
    [
      'Studio 422 {"errors":[…]}: HTTPValidationError without detail, message lost',
      'upscale',
      answered(422, '{"errors":["Expected multipart/form-data content-type"]}'),
      { errorClass: 'HTTPValidationError', status: 422, reaches: false, message: 'API error occurred: {}' },
    ],
    [
      'gateway 400 {"error":{"message"}}: SDKValidationError',
      'upscale',
      answered(400, '{"error":{"message":"request Content-Type isn\'t multipart/form-data"}}'),
      { errorClass: 'SDKValidationError', status: undefined, reaches: false, message: zodIssue('object', ['detail'], 'undefined') },
    ],
    [
      'Studio 500 {"errors":[…]}: SDKValidationError',
      'upscale',
      answered(500, '{"errors":["Failed to generate upscale"]}'),
      { errorClass: 'SDKValidationError', status: undefined, reaches: false, message: zodIssue('object', ['detail'], 'undefined') },
    ],
    [
      'gateway 503: SDKError with status and body',
      'upscale',
      answered(503, '{"error":{"message":"Service Unavailable Error"}}\n'),
      { errorClass: 'SDKError', status: 503, reaches: true, message: 'API error occurred: Status 503 Content-Type application/json Body \n{"error":{"message":"Service Unavailable Error"}}\n' },
    ],
    [
      'Studio 404 (a route it does not serve): SDKError',
      'image-to-text',
      answered(404, '{"errors":["not found"]}'),
      { errorClass: 'SDKError', status: 404, reaches: true, message: 'API error occurred: Status 404 Content-Type application/json Body \n{"errors":["not found"]}' },
    ],
    [
      'runner 500 text/plain: SDKError',
      'upscale',
      answered(500, 'Internal Server Error', 'text/plain; charset=utf-8'),
      { errorClass: 'SDKError', status: 500, reaches: true, message: 'API error occurred: Status 500 Content-Type text/plain; charset=utf-8 Body \nInternal Server Error' },
    ],
    [
      '200 text/event-stream (llm stream: true): no SSE support',
      'llm',
      answered(200, 'data: {"id":"x"}\n\ndata: [DONE]\n\n', 'text/event-stream; charset=utf-8'),
      { errorClass: 'SDKError', status: 200, reaches: true, message: 'Unexpected API response status or content-type: Status 200 Content-Type text/event-stream; charset=utf-8 Body \ndata: {"id":"x"}\n\ndata: [DONE]\n\n' },
    ],
    ['200, JSON declared, body empty: bare SyntaxError', 'upscale', answered(200, ''), { errorClass: 'SyntaxError', status: undefined, reaches: true, message: 'Unexpected end of JSON input' }],
    ['200, JSON truncated: bare SyntaxError', 'upscale', answered(200, '{"images":['), { errorClass: 'SyntaxError', status: undefined, reaches: true, message: 'Unexpected end of JSON input' }],
    [
      '200, empty, no content type (gateway GET): SDKError',
      'upscale',
      answered(200, '', ''),
      { errorClass: 'SDKError', status: 200, reaches: true, message: 'Unexpected API response status or content-type: Status 200 Content-Type  Body ' },
    ],
    [
      'connection dropped: ConnectionError',
      'upscale',
      failed('dropped', 'POST … failed: the target closed the connection without an HTTP response (ECONNRESET): socket hang up', 'ECONNRESET'),
      { errorClass: 'ConnectionError', status: undefined, reaches: true, message: 'Unable to make request: TypeError: fetch failed' },
    ],
    [
      'no response before the deadline: RequestTimeoutError',
      'upscale',
      failed('timeout', 'no response after 30 s'),
      { errorClass: 'RequestTimeoutError', status: undefined, reaches: true, message: 'Request timed out: TimeoutError: no response after 30 s' },
    ],
    ['replay miss: not an answer', 'upscale', failed('replay-miss', 'Replay miss on runner'), { noAnswer: 'replay-miss: Replay miss on runner' }],
  ];

  test.each(rows)('%s', async (_name, pipeline, exchange, expected) => {
    expect(gist(await sdkView(exchange, pipeline))).toStrictEqual(expected);
  });

  test('a lost message is named in the one-line view', async () => {
    const view = describeSdkOutcome(await sdkView(answered(400, '{"error":{"message":"missing required fields"}}'), 'llm'));
    expect(view).toMatch(/^SDK \(@livepeer\/ai 0\.6\.2\) view: generate\.llm\(\) throws SDKValidationError \(no status code; server message is lost: "missing required fields"\): Response validation failed/);
  });

  test('opens no connection of its own: the answer comes from the captured exchange', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    await sdkView(answered(200, '{"images":[]}'), 'text-to-image');
    await sdkView(failed('dropped', 'reset', 'ECONNRESET'), 'upscale');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test('the messages of every error dialect are found', () => {
    expect(serverMessages({ detail: { msg: 'a' } })).toStrictEqual(['a']);
    expect(serverMessages({ detail: [{ msg: 'b' }, { msg: 'c' }] })).toStrictEqual(['b', 'c']);
    expect(serverMessages({ detail: 'Method Not Allowed' })).toStrictEqual(['Method Not Allowed']);
    expect(serverMessages({ error: { message: 'd' } })).toStrictEqual(['d']);
    expect(serverMessages({ errors: ['e', 'f'] })).toStrictEqual(['e', 'f']);
    expect(serverMessages('Internal Server Error\n')).toStrictEqual(['Internal Server Error']);
    expect(serverMessages('')).toStrictEqual([]);
  });

  test('a dropped connection is thrown as undici throws it', () => {
    expect(() => answerFor(failed('dropped', 'socket hang up', 'ECONNRESET'))).toThrow(expect.objectContaining({ name: 'TypeError', message: 'fetch failed', cause: expect.objectContaining({ code: 'ECONNRESET' }) }));
  });
});

describe("the SDK's own request, as the suite sends it and cassettes match it", () => {
  test.each(['text-to-image', 'upscale', 'audio-to-text', 'llm'] as const)('%s: the SDK request survives encode → wire → cassette form', async (pipeline) => {
    const spec = await sdkRequestSpec(pipeline, { model: 'org/model' }, 'https://livepeer.studio/api/beta/generate', { paid: true });
    expect(spec).toMatchObject({ method: 'POST', path: `/${pipeline}`, auth: 'key', paid: true });
    const encoded = encodeBody(spec.body);
    const request = new Request('http://x/', { method: 'POST', ...encoded.init, ...(encoded.contentType ? { headers: { 'content-type': encoded.contentType } } : {}) });
    const wire = await requestBodyFromWire(request.headers.get('content-type') ?? undefined, new Uint8Array(await request.arrayBuffer()));
    expect(wire).toStrictEqual(requestBodyFromSpec(spec.body));
  });

  test('the SDK fills its defaults: model_id "" when none is given, return_timestamps as text, llm as JSON', async () => {
    const base = 'https://livepeer.studio/api/beta/generate';
    const t2i = await sdkRequestSpec('text-to-image', {}, base, { paid: true });
    expect(t2i.body).toStrictEqual({
      kind: 'json',
      value: { model_id: '', loras: '', prompt: 'test', height: 576, width: 1024, guidance_scale: 7.5, negative_prompt: '', safety_check: true, num_inference_steps: 50, num_images_per_prompt: 1 },
    });
    const a2t = await sdkRequestSpec('audio-to-text', {}, base, { paid: true });
    expect(a2t.body.kind === 'multipart' && a2t.body.parts.map((p) => ('value' in p ? [p.name, p.value] : [p.name, p.file.contentType]))).toStrictEqual([
      ['audio', 'application/octet-stream'],
      ['model_id', ''],
      ['return_timestamps', 'true'],
    ]);
    const llm = await sdkRequestSpec('llm', {}, base, { paid: true });
    expect(llm.body).toStrictEqual({ kind: 'json', value: { messages: [{ role: 'user', content: 'test' }], model: '', temperature: 0.7, max_tokens: 256, top_p: 1, top_k: -1, stream: false } });
  });
});

describe('the SDK-01 checks in replay, on a copy of the fixtures', () => {
  const SEED_AS_TEXT = '"seed":"2840245575"';

  test(
    'a success body changed to a shape the SDK rejects fails SDK-01 with the SDK own text (and the DOC checks of that answer); with sockets blocked, nothing else fails',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sdk-selftest-'));
      try {
        cpSync('fixtures/cassettes', join(dir, 'cassettes'), { recursive: true });
        const file = join(dir, 'cassettes', 'gateway', 'responses.json');
        const original = readFileSync(file, 'utf8');
        const changed = original.replace('"seed\\":2840245575', '"seed\\":\\"2840245575\\"');
        expect(changed, 'the gateway text-to-image 200 of responses.json names seed 2840245575').not.toBe(original);
        writeFileSync(file, changed);

        // Any socket the run opens (the SDK's or anyone's) is logged and refused.
        const log = join(dir, 'connects.log');
        const blocker = join(dir, 'block-sockets.mjs');
        writeFileSync(log, '');
        writeFileSync(
          blocker,
          [
            "import net from 'node:net';",
            "import { appendFileSync } from 'node:fs';",
            'net.Socket.prototype.connect = function (o) {',
            "  const where = o && typeof o === 'object' ? (o.path ?? `${o.host}:${o.port}`) : String(o);",
            `  appendFileSync(${JSON.stringify(log)}, \`\${process.pid} \${where}\\n\`);`,
            "  throw new Error(`sockets are blocked: connect ${where}`);",
            '};',
          ].join('\n'),
        );

        // Forks: a preload (NODE_OPTIONS --import) runs in every process, but not in worker threads.
        const run = await runVitest(['--project', 'contract', '--pool', 'forks', 'specs/responses.spec.ts'], {
          LIVEPEER_FIXTURES_DIR: dir,
          LIVEPEER_REPORTS_DIR: join(dir, 'reports'),
          NODE_OPTIONS: `--import ${blocker}`,
        });
        const out = `${run.stdout}\n${run.stderr}`;
        expect(readFileSync(log, 'utf8'), 'connections attempted').toBe('');
        // The one answer is judged by every check of the request: each fails, nothing else does.
        const failures = [...out.matchAll(/FAIL .*? > ((?:DOC|SDK)-\d\d .*\])/g)].map((m) => m[1]);
        expect([...new Set(failures)].sort(), tail(run)).toStrictEqual([
          'DOC-09 warm model SG161222/RealVisXL_V4.0_Lightning answers /text-to-image [gateway]',
          'DOC-10 the documented minimal request to /text-to-image answers 200 [gateway]',
          'DOC-15 /text-to-image 200 body parses as ImageResponse [gateway]',
          'SDK-01 200 body of /text-to-image parses with the SDK [gateway]',
        ]);
        expect(out).toContain('SDK-01 [gateway]: changed: the documented behaviour does not hold and no deviation is pinned for gateway');
        // The SDK's own words: its response validation failed, at the seed of the first image.
        expect(out).toMatch(/generate\.textToImage\(\) throws SDKValidationError \(no status code; the body carries no message\): Response validation failed: .*"path": \[ "ImageResponse", "images", 0, "seed" \]/);
        expect(out).toContain(SEED_AS_TEXT);
        expect(run.code).toBe(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

describe('README "What SDK users see" is kept true', () => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## What SDK users see');
  const next = readme.indexOf('\n## ', start + 1);
  const section = start < 0 ? '' : readme.slice(start, next < 0 ? undefined : next);

  /** What the matrix shows for a row and column in replay, as the registry implies it; `—` where the row has no such column. */
  const outcome = (id: SdkId, subject: Subject) =>
    !subjectsOf(id, TARGET_IDS).includes(subject) ? '—' : SDKS[id].noSpec?.[subject] ? 'not applicable' : sdk.some((d) => d.check === id && d.target === subject) ? 'known deviation' : 'conforms';

  test.each(SDK_IDS)('%s: the outcome row matches the registry', (id) => {
    expect(section, 'README.md has no section "What SDK users see"').not.toBe('');
    expect(section).toContain(`| ${id} | ${SUBJECTS.map((t) => outcome(id, t)).join(' | ')} |`);
  });

  test('every SDK deviation is named there, and every name there is a deviation', () => {
    const names = [...section.matchAll(/`((?:studio|gateway|runner|suite)-sdk0\d-[a-z0-9<>-]+)`/g)].map((m) => m[1]!);
    const patterns = names.map((n) => ({ n, re: new RegExp(`^${n.replace('<pipeline>', '[a-z0-9-]+')}$`) }));
    expect(sdk.filter((d) => !patterns.some((p) => p.re.test(d.id))).map((d) => d.id), 'deviations the README does not name').toStrictEqual([]);
    expect(patterns.filter((p) => !sdk.some((d) => p.re.test(d.id))).map((p) => p.n), 'README names that are no deviation').toStrictEqual([]);
  });
});

