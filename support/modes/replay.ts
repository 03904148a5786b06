// Replay: nock answers every request from the cassettes, in lockdown (no socket leaves the
// process). Matching is on what a test controls; a miss fails at once with the closest recorded
// request and the fields that differ, never with a bare "no match" and never via the network.
import nock from 'nock';
import { isDeepStrictEqual } from 'node:util';
import type { TargetId } from '../catalogue.ts';
import { requestBodyFromWire, requestKey, type Interaction, type LoadedCassette, type PartSummary, type RecordedRequest, type RecordedResponse, type RequestBody } from './cassettes.ts';
import { REPLAY_HEADERS } from '../http/client.ts';
import { handBodiesOverRaw, playZeroDelaysImmediately } from './nock-playback.ts';
import { authFingerprint } from '../http/wire.ts';

export class ReplayMissError extends Error {
  override name = 'ReplayMissError';
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface Entry {
  cassette: LoadedCassette;
  interaction: Interaction;
  key: string;
}


/** The differences between a recorded and a sent request, most important first. */
export function requestDifferences(recorded: RecordedRequest, sent: RecordedRequest): string[] {
  const diffs: string[] = [];
  if (recorded.method !== sent.method) diffs.push(`method: recorded ${recorded.method}, sent ${sent.method}`);
  if (recorded.path !== sent.path) diffs.push(`path: recorded ${recorded.path}, sent ${sent.path}`);
  if (recorded.auth !== sent.auth) diffs.push(`auth fingerprint: recorded ${recorded.auth}, sent ${sent.auth}`);
  diffs.push(...bodyDifferences(recorded.body, sent.body));
  return diffs;
}

function bodyDifferences(recorded: RequestBody, sent: RequestBody): string[] {
  if (recorded.kind !== sent.kind) return [`body: recorded ${describeKind(recorded)}, sent ${describeKind(sent)}`];
  if (recorded.kind === 'json' && sent.kind === 'json') return jsonDifferences(recorded.value, sent.value, 'body');
  if (recorded.kind === 'multipart' && sent.kind === 'multipart') return partDifferences(recorded.parts, sent.parts);
  if (recorded.kind === 'text' && sent.kind === 'text') {
    const out: string[] = [];
    if (recorded.contentType !== sent.contentType) out.push(`content-type: recorded ${recorded.contentType ?? '(none)'}, sent ${sent.contentType ?? '(none)'}`);
    if (recorded.text !== sent.text) out.push(`text body: recorded ${JSON.stringify(recorded.text.slice(0, 80))}, sent ${JSON.stringify(sent.text.slice(0, 80))}`);
    return out;
  }
  return [];
}

const describeKind = (b: RequestBody) =>
  b.kind === 'text' ? `text (${b.contentType ?? 'no content-type'})` : b.kind === 'multipart' ? 'multipart/form-data' : b.kind;

function jsonDifferences(a: unknown, b: unknown, at: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => {
      const path = `${at}.${k}`;
      if (!(k in a)) return [`json field ${path}: not recorded, sent ${JSON.stringify(b[k])}`];
      if (!(k in b)) return [`json field ${path}: recorded ${JSON.stringify(a[k])}, not sent`];
      return jsonDifferences(a[k], b[k], path);
    });
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => jsonDifferences(v, b[i], `${at}[${i}]`));
  }
  return [`json field ${at}: recorded ${JSON.stringify(a)}, sent ${JSON.stringify(b)}`];
}

function partDifferences(recorded: PartSummary[], sent: PartSummary[]): string[] {
  const out: string[] = [];
  const names = [...new Set([...recorded.map((p) => p.name), ...sent.map((p) => p.name)])];
  for (const name of names) {
    const r = recorded.filter((p) => p.name === name);
    const s = sent.filter((p) => p.name === name);
    if (r.length === 0) {
      out.push(`multipart part "${name}": not recorded, sent ${describePart(s[0]!)}`);
      continue;
    }
    if (s.length === 0) {
      out.push(`multipart part "${name}": recorded ${describePart(r[0]!)}, not sent`);
      continue;
    }
    for (let i = 0; i < Math.max(r.length, s.length); i++) {
      const rp = r[i];
      const sp = s[i];
      if (!rp || !sp) {
        out.push(`multipart part "${name}": recorded ${r.length} time(s), sent ${s.length} time(s)`);
        break;
      }
      if (isDeepStrictEqual(rp, sp)) continue;
      if ('value' in rp && 'value' in sp) {
        out.push(`multipart part "${name}": value recorded ${JSON.stringify(rp.value)}, sent ${JSON.stringify(sp.value)}`);
      } else if ('sha256' in rp && 'sha256' in sp) {
        if (rp.filename !== sp.filename) out.push(`multipart part "${name}": file name recorded ${rp.filename}, sent ${sp.filename}`);
        if (rp.contentType !== sp.contentType) out.push(`multipart part "${name}": part content type recorded ${rp.contentType}, sent ${sp.contentType}`);
        if (rp.sha256 !== sp.sha256) out.push(`multipart part "${name}": file hash recorded ${rp.sha256.slice(0, 12)}… (${rp.size} B), sent ${sp.sha256.slice(0, 12)}… (${sp.size} B)`);
      } else {
        out.push(`multipart part "${name}": recorded ${describePart(rp)}, sent ${describePart(sp)}`);
      }
    }
  }
  return out;
}

const describePart = (p: PartSummary) =>
  'value' in p ? `text ${JSON.stringify(p.value)}` : `file ${p.filename} (${p.contentType}, ${p.size} B)`;

/** Lower is closer. Method and path weigh most, then auth, then each body difference. */
function distance(recorded: RecordedRequest, sent: RecordedRequest): number {
  let d = 0;
  if (recorded.method !== sent.method) d += 100;
  if (recorded.path !== sent.path) d += 1000;
  if (recorded.auth !== sent.auth) d += 10;
  return d + bodyDifferences(recorded.body, sent.body).length;
}

/** Decodes the body string nock hands a reply function: hex when the bytes were not UTF-8. */
export function nockBodyBytes(body: string): Uint8Array {
  if (body.length > 0 && body.length % 2 === 0 && /^[0-9a-f]+$/.test(body)) {
    const bytes = Buffer.from(body, 'hex');
    if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) return new Uint8Array(bytes);
  }
  return new Uint8Array(Buffer.from(body, 'utf8'));
}

export class ReplayEngine {
  private readonly byTarget = new Map<TargetId, Entry[]>();
  private readonly cursor = new Map<string, number>();
  /** `<cassette file>#<interaction id>` of every interaction that answered since the sequences last restarted (the running test's). */
  readonly used: string[] = [];

  constructor(
    cassettes: readonly LoadedCassette[],
    private readonly baseUrls: Partial<Record<TargetId, string>>,
  ) {
    for (const cassette of cassettes) {
      const list = this.byTarget.get(cassette.target) ?? [];
      for (const interaction of cassette.interactions) list.push({ cassette, interaction, key: requestKey(interaction.request) });
      this.byTarget.set(cassette.target, list);
    }
  }

  /** The spec area (cassette) of the running test, whose own recordings answer first. */
  private area: string | undefined;

  /** Each test starts every recorded sequence from its first answer, its own area's first. */
  resetSequences(area?: string): void {
    this.cursor.clear();
    this.used.length = 0;
    this.area = area;
  }

  /** Gives nock's playback timer and its JSON body parsing back (see support/modes/nock-playback.ts). */
  private restoreTimers: (() => void) | undefined;
  private restoreBodies: (() => void) | undefined;

  start(): void {
    nock.disableNetConnect();
    this.restoreTimers = playZeroDelaysImmediately();
    this.restoreBodies = handBodiesOverRaw();
    const engine = this;
    for (const [target, baseUrl] of Object.entries(this.baseUrls) as [TargetId, string][]) {
      const url = new URL(baseUrl);
      const basePath = url.pathname.replace(/\/+$/, '');
      const underBase = (uri: string) => uri === basePath || uri.startsWith(`${basePath}/`) || uri.startsWith(`${basePath}?`);
      const scope = nock(url.origin).persist();
      for (const method of METHODS) {
        scope.intercept(underBase, method).reply(function (uri, body, callback) {
          const headers = this.req.headers as Record<string, string>;
          // nock hands bodies over as a string (hex when not UTF-8); JSON too, while handBodiesOverRaw holds.
          const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
          engine.answer(target, method, uri.slice(basePath.length) || '/', headers, text).then(
            (reply) => callback(null, reply),
            (err: Error) => callback(err, [500, '']),
          );
        });
      }
    }
  }

  stop(): void {
    nock.cleanAll();
    nock.enableNetConnect();
    this.restoreTimers?.();
    this.restoreTimers = undefined;
    this.restoreBodies?.();
    this.restoreBodies = undefined;
  }

  private async answer(
    target: TargetId,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<[number, string | Buffer, Record<string, string>]> {
    const sent = await recordedRequestFromWire(method, path, headers, nockBodyBytes(body));
    const { cassette, interaction } = this.match(target, sent);
    const r = interaction.response;
    if ('dropped' in r) throw Object.assign(new Error(r.message), { code: r.dropped });
    const { status, headers: out, payload } = replyParts(r, method);
    out[REPLAY_HEADERS.cassette] = cassette.file;
    out[REPLAY_HEADERS.interaction] = interaction.id;
    if (interaction.elapsedMs !== undefined) out[REPLAY_HEADERS.elapsed] = String(interaction.elapsedMs);
    return [status, payload, out];
  }

  /** Finds the answer to a request, or throws a ReplayMissError that says what differs. */
  match(target: TargetId, sent: RecordedRequest): Entry {
    const entries = this.byTarget.get(target) ?? [];
    const key = requestKey(sent);
    const all = entries.filter((e) => e.key === key);
    // A request that several spec areas recorded is answered from the running spec's own cassette,
    // so every area's recording stays in use; another area's answer is the fallback.
    const own = all.filter((e) => e.cassette.area === this.area);
    const candidates = own.length > 0 ? own : all;
    if (candidates.length > 0) {
      const sequence = `${target} ${own.length > 0 ? this.area : '*'} ${key}`;
      const n = this.cursor.get(sequence) ?? 0;
      this.cursor.set(sequence, n + 1);
      const entry = candidates[Math.min(n, candidates.length - 1)]!;
      this.used.push(`${entry.cassette.file}#${entry.interaction.id}`);
      return entry;
    }
    throw new ReplayMissError(this.describeMiss(target, sent, entries));
  }

  private describeMiss(target: TargetId, sent: RecordedRequest, entries: readonly Entry[]): string {
    const head = `Replay miss on ${target}: no recorded exchange matches ${sent.method} ${sent.path} (auth ${sent.auth}).`;
    const tail = 'If the request changed on purpose, record again (`npm run record` with a key) or author the cassette; replay never goes to the network.';
    if (entries.length === 0) return `${head}\n  No cassette holds any exchange for ${target}.\n${tail}`;
    const closest = [...entries].sort((a, b) => distance(a.interaction.request, sent) - distance(b.interaction.request, sent))[0]!;
    const diffs = requestDifferences(closest.interaction.request, sent);
    return `${head}\n  Closest recorded: ${closest.cassette.file} #${closest.interaction.id}\n${diffs.map((d) => `  - ${d}`).join('\n')}\n${tail}`;
  }
}

/** A recorded answer as status, headers (lower case, no framing headers) and body bytes; HEAD gets no body. */
export function replyParts(r: HttpResponse, method: string): { status: number; headers: Record<string, string>; payload: string | Buffer } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (!/^(content-length|transfer-encoding)$/i.test(k)) headers[k.toLowerCase()] = v;
  const b = r.body;
  const payload = b.kind === 'json' ? JSON.stringify(b.value) : b.kind === 'text' ? b.text : b.kind === 'base64' ? Buffer.from(b.base64, 'base64') : '';
  return { status: r.status, headers, payload: method === 'HEAD' ? '' : payload };
}

/** A recorded response that is an HTTP answer (not a dropped connection). */
export type HttpResponse = Exclude<RecordedResponse, { dropped: string }>;

export async function recordedRequestFromWire(
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  bodyBytes: Uint8Array,
): Promise<RecordedRequest> {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  return {
    method: method.toUpperCase(),
    path,
    auth: authFingerprint(header('authorization')),
    body: await requestBodyFromWire(header('content-type'), bodyBytes),
  };
}

export { REPLAY_HEADERS };
