// The official JavaScript SDK (@livepeer/ai, pinned exactly) as a second observer. It runs its
// own operation for a pipeline against an answer handed to it by a custom fetcher (the SDK takes
// an HTTPClient with one: src/lib/http.ts L43-51), so it never opens a socket of its own:
//   - sdkView: a captured exchange → what an SDK caller would get from it;
//   - callThroughClient: the SDK builds its request; the suite's client sends it (replay, live,
//     record as usual) and the SDK reads the answer;
//   - sdkRetryRun: the SDK's retry loop against scripted answers, on the caller's (fake) clock.
import { Livepeer } from '@livepeer/ai';
import { HTTPClient, type Fetcher } from '@livepeer/ai/lib/http.js';
import type { RetryConfig } from '@livepeer/ai/lib/retries.js';
import type { RequestOptions } from '@livepeer/ai/lib/sdks.js';
import type { PipelineId, ResponseModel } from '../catalogue.ts';
import type { ApiClient } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import { observedBody } from '../schemas/expectations.ts';
import { MEDIA, type MediaFile } from '../data/media.ts';
import { documentedModel } from '../data/requests.ts';
import type { SdkOutcome, SdkThrew } from '../schemas/sdk-outcome.ts';
import { bearerToken, UNKNOWN_KEY, type AuthMode, type Body, type Part, type RequestSpec } from '../http/wire.ts';

/** What an SDK user passes: the required fields, the model (or none, as the SDK's types allow). */
export interface SdkInput {
  /** `modelId` (`model` for llm). Omitted, the SDK sends `""` (its outbound schemas' default). */
  model?: string;
  /** The prompt, or the text of text-to-speech (default "test"). */
  text?: string;
  /** llm only. */
  stream?: boolean;
}

/** A file as the SDK's request types take it; the SDK sends it as application/octet-stream. */
const sdkFile = (f: MediaFile) => ({ fileName: f.filename, content: f.bytes });

type Call = (lp: Livepeer, input: Required<Pick<SdkInput, 'text'>> & SdkInput, options?: RequestOptions) => Promise<object>;

export interface SdkOperation {
  /** `generate.textToImage()`. */
  name: string;
  resultType: ResponseModel;
  /** The field of the SDK's result that holds the parsed body (src/models/operations/gen*.ts L28). */
  resultKey: string;
  call: Call;
}

// One operation per pipeline, src/sdk/generate.ts; the result types match the catalogue's names.
export const SDK_OPERATIONS: Record<PipelineId, SdkOperation> = {
  'text-to-image': {
    name: 'generate.textToImage()',
    resultType: 'ImageResponse',
    resultKey: 'imageResponse',
    call: (lp, i, o) => lp.generate.textToImage({ prompt: i.text, modelId: i.model }, o),
  },
  'image-to-image': {
    name: 'generate.imageToImage()',
    resultType: 'ImageResponse',
    resultKey: 'imageResponse',
    call: (lp, i, o) => lp.generate.imageToImage({ prompt: i.text, image: sdkFile(MEDIA.image), modelId: i.model }, o),
  },
  'image-to-video': {
    name: 'generate.imageToVideo()',
    resultType: 'VideoResponse',
    resultKey: 'videoResponse',
    call: (lp, i, o) => lp.generate.imageToVideo({ image: sdkFile(MEDIA.image), modelId: i.model }, o),
  },
  upscale: {
    name: 'generate.upscale()',
    resultType: 'ImageResponse',
    resultKey: 'imageResponse',
    call: (lp, i, o) => lp.generate.upscale({ prompt: i.text, image: sdkFile(MEDIA.image), modelId: i.model }, o),
  },
  'audio-to-text': {
    name: 'generate.audioToText()',
    resultType: 'TextResponse',
    resultKey: 'textResponse',
    call: (lp, i, o) => lp.generate.audioToText({ audio: sdkFile(MEDIA.audio), modelId: i.model }, o),
  },
  'segment-anything-2': {
    name: 'generate.segmentAnything2()',
    resultType: 'MasksResponse',
    resultKey: 'masksResponse',
    call: (lp, i, o) => lp.generate.segmentAnything2({ image: sdkFile(MEDIA.image), modelId: i.model }, o),
  },
  llm: {
    name: 'generate.llm()',
    resultType: 'LLMResponse',
    resultKey: 'llmResponse',
    call: (lp, i, o) => lp.generate.llm({ messages: [{ role: 'user', content: i.text }], model: i.model, ...(i.stream !== undefined ? { stream: i.stream } : {}) }, o),
  },
  'image-to-text': {
    name: 'generate.imageToText()',
    resultType: 'ImageToTextResponse',
    resultKey: 'imageToTextResponse',
    call: (lp, i, o) => lp.generate.imageToText({ image: sdkFile(MEDIA.image), modelId: i.model }, o),
  },
  'text-to-speech': {
    name: 'generate.textToSpeech()',
    resultType: 'AudioResponse',
    resultKey: 'audioResponse',
    call: (lp, i, o) => lp.generate.textToSpeech({ text: i.text, modelId: i.model }, o),
  },
};

/** The token an SDK user passes as `httpBearer`: the client swaps in the configured key (or none). */
export const SDK_USER_KEY = 'sdk-user-key';

export interface RunOptions {
  fetcher: Fetcher;
  /** Base URL the SDK is pointed at (`serverURL`); any URL will do when the fetcher answers. */
  serverURL?: string;
  /** `httpBearer` (default SDK_USER_KEY). */
  bearer?: string;
  retryConfig?: RetryConfig;
  retryCodes?: string[];
}

/** Marks a fetcher failure that is the suite's, not the target's (replay miss, paid budget). */
class NoAnswer extends Error {
  override name = 'NoAnswer';
}

/**
 * Runs one SDK operation and says what its caller gets. `lastBody` gives the body of the last
 * answer (as a check reads it), to tell whether the server's message reached the caller.
 */
export async function runSdk(pipeline: PipelineId, input: SdkInput, options: RunOptions, lastBody: () => unknown = () => undefined): Promise<SdkOutcome> {
  const op = SDK_OPERATIONS[pipeline];
  const livepeer = new Livepeer({
    serverURL: options.serverURL ?? 'http://127.0.0.1:9',
    httpBearer: options.bearer ?? SDK_USER_KEY,
    httpClient: new HTTPClient({ fetcher: options.fetcher }),
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
  });
  try {
    const result = (await op.call(livepeer, { text: 'test', ...input }, options.retryCodes ? { retryCodes: options.retryCodes } : undefined)) as Record<string, unknown>;
    if (result[op.resultKey] === undefined) throw new Error(`the SDK returned no ${op.resultKey}`);
    return { kind: 'parsed', operation: op.name, resultType: op.resultType };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof NoAnswer) return { kind: 'no answer', operation: op.name, reason: cause.message };
    return { kind: 'error', operation: op.name, ...describeError(err, lastBody()) };
  }
}

/** Statuses a Response cannot carry a body with (fetch spec "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const HOP_HEADERS = /^(content-length|transfer-encoding|content-encoding|connection|keep-alive)$/i;

/**
 * What the SDK's fetch would have produced for a captured exchange: the response, or the error
 * undici throws for a connection closed without one (TypeError "fetch failed" with the socket
 * error as cause: src/lib/http.ts isConnectionError L259-281) or for a deadline (TimeoutError).
 */
export function answerFor(x: Exchange): Response {
  if (x.error) {
    switch (x.error.kind) {
      case 'dropped':
      case 'unreachable':
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(x.error.message), { code: x.error.code ?? 'ECONNRESET' }) });
      case 'timeout':
        throw new DOMException(x.error.message, 'TimeoutError');
      default:
        throw new NoAnswer(`${x.error.kind}: ${x.error.message}`);
    }
  }
  const r = x.response!;
  const headers = new Headers();
  for (const [name, value] of Object.entries(r.headers)) if (!HOP_HEADERS.test(name)) headers.set(name, value);
  const body = NULL_BODY.has(r.status) || r.bytes === 0 ? null : r.base64 !== undefined ? Buffer.from(r.base64, 'base64') : (r.text ?? '');
  return new Response(body, { status: r.status, headers });
}

/** What an SDK caller gets from a captured exchange, without any network call. */
export function sdkView(x: Exchange, pipeline: PipelineId): Promise<SdkOutcome> {
  return runSdk(pipeline, { model: documentedModel(pipeline) }, { fetcher: async () => answerFor(x) }, () => errorBody(x));
}

/** The body of an error answer (status ≥ 400), whose message should reach the caller; else nothing. */
const errorBody = (x: Exchange | undefined): unknown => (x?.response && x.response.status >= 400 ? observedBody(x) : undefined);

// ---------------------------------------------------------------------------------------------
// Errors: class, readable status, and whether the server's message reached the caller

/**
 * The SDK maps only a 422 to HTTPValidationError (M.jsonErr(422, …) in every src/funcs/generate*.ts),
 * so its class tells the caller the status although it has no statusCode field.
 */
const STATUS_OF_CLASS: Record<string, number> = { HTTPValidationError: 422 };

function describeError(err: unknown, body: unknown): Omit<SdkThrew, 'kind' | 'operation'> {
  const e = err as Error & { statusCode?: unknown };
  const errorClass = e instanceof Error ? e.name : typeof err;
  const surface = callerSurface(err);
  const messages = serverMessages(body);
  const reaches = (m: string) => surface.includes(m) || surface.includes(JSON.stringify(m).slice(1, -1));
  const base = { errorClass, message: e instanceof Error ? e.message : String(err), serverMessages: messages, serverMessagesReachCaller: messages.every(reaches) };
  if (typeof e?.statusCode === 'number') return { ...base, status: e.statusCode, statusFrom: 'statusCode' };
  const byClass = STATUS_OF_CLASS[errorClass];
  return byClass === undefined ? base : { ...base, status: byClass, statusFrom: 'class' };
}

/** The messages an error body carries, in each dialect the targets speak (contract-notes §2). */
export function serverMessages(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim()] : [];
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { detail?: unknown; error?: { message?: unknown }; errors?: unknown };
  const out: unknown[] = [];
  if (typeof b.detail === 'string') out.push(b.detail);
  else if (Array.isArray(b.detail)) out.push(...b.detail.map((d: { msg?: unknown }) => d?.msg));
  else if (b.detail && typeof b.detail === 'object') out.push((b.detail as { msg?: unknown }).msg);
  if (b.error && typeof b.error === 'object') out.push(b.error.message);
  if (Array.isArray(b.errors)) out.push(...b.errors);
  return out.filter((m): m is string => typeof m === 'string' && m.length > 0);
}

/** What a caller can read of the error: its message and the typed fields of its class. */
function callerSurface(err: unknown): string {
  const e = err as { message?: unknown; body?: unknown; detail?: unknown };
  return [e?.message, typeof e?.body === 'string' ? e.body : '', e?.detail === undefined ? '' : JSON.stringify(e.detail)].filter((s) => typeof s === 'string').join('\n');
}

// ---------------------------------------------------------------------------------------------
// The SDK's own request, sent by the suite's client

/** The SDK's Request as a RequestSpec: same method, path, fields, values, file parts and order. */
export async function specFromSdkRequest(req: Request, baseUrl: string, paid: boolean): Promise<RequestSpec> {
  const url = new URL(req.url);
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const path = (url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname) + url.search;
  const token = bearerToken(req.headers.get('authorization'));
  const auth: AuthMode = token === undefined ? 'none' : token === UNKNOWN_KEY ? 'unknown-key' : 'key';
  const headers: Record<string, string> = {};
  for (const name of ['accept', 'user-agent']) {
    const value = req.headers.get(name);
    if (value) headers[name] = value;
  }
  return { method: req.method, path, body: await bodyOf(req), auth, headers, paid };
}

async function bodyOf(req: Request): Promise<Body> {
  const contentType = req.headers.get('content-type') ?? '';
  if (/^multipart\/form-data/i.test(contentType)) {
    const parts: Part[] = [];
    for (const [name, value] of (await req.formData()).entries()) {
      if (typeof value === 'string') parts.push({ name, value });
      else parts.push({ name, file: { bytes: new Uint8Array(await value.arrayBuffer()), filename: value.name, contentType: value.type } });
    }
    return { kind: 'multipart', parts };
  }
  const text = await req.text();
  if (text === '') return { kind: 'none' };
  if (/json/i.test(contentType)) return { kind: 'json', value: JSON.parse(text) as unknown };
  return { kind: 'text', text, contentType };
}

export interface SdkThroughClient {
  outcome: SdkOutcome;
  /** What the client sent and received, one per attempt. */
  exchanges: Exchange[];
}

/**
 * The SDK builds its request for `input`; the suite's client sends it, so replay answers from
 * cassettes, live goes to the target, record writes the exchange. The SDK reads the answer.
 */
export async function callThroughClient(client: ApiClient, pipeline: PipelineId, input: SdkInput, options: { paid: boolean; bearer?: string }): Promise<SdkThroughClient> {
  const exchanges: Exchange[] = [];
  const fetcher: Fetcher = async (request) => {
    const x = await client.send(await specFromSdkRequest(request as Request, client.baseUrl, options.paid));
    exchanges.push(x);
    return answerFor(x);
  };
  const outcome = await runSdk(pipeline, input, { fetcher, serverURL: client.baseUrl, ...(options.bearer ? { bearer: options.bearer } : {}) }, () => errorBody(exchanges.at(-1)));
  return { outcome, exchanges };
}

/** The request the SDK builds for `input`, captured without sending it (for authoring cassettes). */
export async function sdkRequestSpec(pipeline: PipelineId, input: SdkInput, baseUrl: string, options: { paid: boolean; bearer?: string }): Promise<RequestSpec> {
  let captured: RequestSpec | undefined;
  await runSdk(pipeline, input, {
    serverURL: baseUrl,
    ...(options.bearer ? { bearer: options.bearer } : {}),
    fetcher: async (request) => {
      captured = await specFromSdkRequest(request as Request, baseUrl, options.paid);
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  if (!captured) throw new Error(`the SDK sent no request for ${pipeline}`);
  return captured;
}

// ---------------------------------------------------------------------------------------------
// Retries (src/lib/retries.ts): the SDK's loop, on the caller's clock

export interface RetrySetup {
  /** Test-name words: `as shipped (retries off)`. */
  label: string;
  retryConfig?: RetryConfig;
  retryCodes?: string[];
}

/** The documented schedule's total wait (5000 + 7500 + 11250 + 16875 + 25312.5 ms, DOC-08). */
const DOCUMENTED_TOTAL_WAIT_MS = 65_937.5;

export const SDK_RETRY_SETUPS = {
  // src/funcs/generate*.ts: `retryConfig: options?.retries || client._options.retryConfig || { strategy: "none" }`.
  shipped: { label: 'as shipped (retries off)' },
  // src/lib/retries.ts L14-19: initialInterval 500, maxInterval 60000, exponent 1.5, maxElapsedTime 3600000;
  // retryCodes default ["429","500","502","503","504"] (src/funcs/generate*.ts).
  'default backoff': { label: "turned on with the SDK's default backoff", retryConfig: { strategy: 'backoff' } },
  // The nearest the options come to DOC-08: 503 only, the documented first wait, factor and cap,
  // and (no count limit exists) the documented total wait as the elapsed-time limit.
  closest: {
    label: 'configured as close to DOC-08 as the SDK allows',
    retryConfig: {
      strategy: 'backoff',
      backoff: { initialInterval: 5_000, exponent: 1.5, maxInterval: 60_000, maxElapsedTime: DOCUMENTED_TOTAL_WAIT_MS },
      retryConnectionErrors: false,
    },
    retryCodes: ['503'],
  },
} as const satisfies Record<string, RetrySetup>;
export type RetrySetupId = keyof typeof SDK_RETRY_SETUPS;

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; omitted, the answer has no body and no content type. */
  body?: unknown;
}

export interface SdkRetryRun {
  /** Clock time of each attempt, from the call (ms). */
  attemptsAtMs: number[];
  outcome: SdkOutcome;
}

/**
 * Calls the SDK against scripted answers (`answer(n)` for attempt n, 1-based) and returns when it
 * gives up or succeeds. `drive` runs the clock (vi.runAllTimersAsync under fake timers): the SDK
 * waits with setTimeout and measures elapsed time with Date.now (src/lib/retries.ts L158-190,
 * L216-218). Jitter is Math.random() × 1000 (L185): the caller fixes Math.random.
 */
export async function sdkRetryRun(pipeline: PipelineId, setup: RetrySetup, answer: (attempt: number) => ScriptedAnswer, drive: () => Promise<unknown>): Promise<SdkRetryRun> {
  const start = Date.now();
  const attemptsAtMs: number[] = [];
  const fetcher: Fetcher = async () => {
    attemptsAtMs.push(Date.now() - start);
    const a = answer(attemptsAtMs.length);
    if (a.body === undefined) return new Response(null, { status: a.status, headers: { ...a.headers } });
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json', ...a.headers } });
  };
  const running = runSdk(
    pipeline,
    { model: documentedModel(pipeline) },
    {
      fetcher,
      ...(setup.retryConfig ? { retryConfig: setup.retryConfig } : {}),
      ...(setup.retryCodes ? { retryCodes: [...setup.retryCodes] } : {}),
    },
    () => {
      const last = attemptsAtMs.length ? answer(attemptsAtMs.length) : undefined;
      return last && last.status >= 400 ? last.body : undefined;
    },
  );
  await drive();
  return { attemptsAtMs, outcome: await running };
}

/** Whether a setup retries a status: one scripted `status`, then 200 if it asks again. */
export async function sdkRetriesStatus(pipeline: PipelineId, setup: RetrySetup, status: number, drive: () => Promise<unknown>): Promise<boolean> {
  const ok = { status: 200, body: {} };
  const run = await sdkRetryRun(pipeline, setup, (n) => (n === 1 ? { status, body: { error: { message: 'scripted' } } } : ok), drive);
  return run.attemptsAtMs.length > 1;
}
