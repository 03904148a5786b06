// Cassettes: what each target answers, one JSON file per target and spec area, with provenance.
// Format (version 1): fixtures/<target>/<area>.json
//   { cassette: 1, target, area, provenance, interactions: [{ id, source?, request, response, elapsedMs? }] }
// Requests keep only what a test controls (method, path, auth fingerprint, JSON value or parsed
// multipart parts with file hashes), never a key. Identical requests answer in recorded order.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { threadId } from 'node:worker_threads';
import { z } from 'zod';
import { PIPELINES, TARGET_IDS, TargetId } from '../catalogue.ts';
import { redactValue } from '../http/redact.ts';
import { summarisePart, type Body } from '../http/wire.ts';

export const CASSETTE_VERSION = 1;

const PartSummary = z.union([
  z.strictObject({ name: z.string(), value: z.string() }),
  z.strictObject({
    name: z.string(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
  }),
]);
export type PartSummary = z.infer<typeof PartSummary>;

export const RequestBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('json'), value: z.unknown() }),
  z.strictObject({ kind: z.literal('multipart'), parts: z.array(PartSummary) }),
  z.strictObject({ kind: z.literal('text'), text: z.string(), contentType: z.string().optional() }),
]);
export type RequestBody = z.infer<typeof RequestBody>;

export const AuthFingerprint = z.enum(['absent', 'malformed', 'bearer', 'bearer-unknown', 'other-scheme']);

export const RecordedRequest = z.strictObject({
  method: z.string().regex(/^[A-Z]+$/, 'must be an upper-case HTTP method'),
  path: z.string().startsWith('/', 'must start with /'),
  auth: AuthFingerprint,
  body: RequestBody,
});
export type RecordedRequest = z.infer<typeof RecordedRequest>;

export const ResponseBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('json'), value: z.unknown() }),
  z.strictObject({ kind: z.literal('text'), text: z.string() }),
  z.strictObject({ kind: z.literal('base64'), base64: z.string() }),
]);

export const RecordedResponse = z.union([
  z.strictObject({
    status: z.number().int().min(100).max(599),
    headers: z.record(z.string(), z.string()),
    body: ResponseBody,
  }),
  /** The server closed the connection without an HTTP response (e.g. a go-livepeer handler panic). */
  z.strictObject({ dropped: z.enum(['ECONNRESET', 'EPIPE']), message: z.string() }),
]);
export type RecordedResponse = z.infer<typeof RecordedResponse>;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

const Authored = z.strictObject({
  kind: z.literal('authored'),
  /** The reference this cassette follows: file, section and source lines. */
  source: z.string().min(10, 'must name the reference it follows (file and section)'),
  authoredOn: isoDate,
});
const Recorded = z.strictObject({
  kind: z.literal('recorded'),
  recordedAt: isoDate,
  host: z.string().min(1),
  target: TargetId,
  /** The target's version where it exposes one (runner GET /version, response headers). */
  version: z.string().optional(),
  /** Whether the target checked a bearer token (a runner with AUTH_TOKEN), as the recording run found. */
  checksToken: z.boolean().optional(),
});

/**
 * Answers of the target's own code, run by someone else and written down (studio-observed.md:
 * Studio's API server on loopback), which this cassette copies: not a recording of the target the
 * suite is pointed at, and not an answer authored from reading its code. Interactions the record
 * does not cover keep `"provenance": "authored"` and the file they follow is `authored`.
 */
const Observed = z.strictObject({
  kind: z.literal('observed'),
  /** The record the answers come from, with its sections. */
  source: z.string().min(10, 'must name the record it copies (file and section)'),
  /** The code that answered: repository and commit. */
  ran: z.string().min(7, 'must name the code that answered (repository and commit)'),
  /** What stood behind it, where part of the answers comes from a stand-in. */
  behind: z.string().min(1).optional(),
  observedOn: isoDate,
  /** Where the interactions marked authored come from. */
  authored: Authored.optional(),
});

/** Kinds of origin an interaction can have. */
export const ORIGINS = ['authored', 'observed', 'recorded'] as const;
export type Origin = (typeof ORIGINS)[number];

export const Provenance = z.discriminatedUnion('kind', [
  Authored,
  Observed,
  Recorded,
  /**
   * A recording that kept what it could not record: its own interactions (`"provenance":
   * "recorded"`), and the authored or observed ones no live target can be asked for, each file
   * they came from listed once.
   */
  z.strictObject({ kind: z.literal('mixed'), recorded: Recorded, kept: z.array(z.discriminatedUnion('kind', [Authored, Observed])).min(1) }),
]);
export type Provenance = z.infer<typeof Provenance>;

export const Interaction = z.strictObject({
  id: z.string().min(1),
  /** For authored cassettes: the exact source of this exchange (exchange O12, contract-notes line…). */
  source: z.string().optional(),
  /** In a mixed or observed cassette, where this interaction comes from; elsewhere the file's kind says it. */
  provenance: z.enum(ORIGINS).optional(),
  request: RecordedRequest,
  response: RecordedResponse,
  /** How long the target took (recorded), or is documented to take (authored). */
  elapsedMs: z.number().nonnegative().optional(),
});
export type Interaction = z.infer<typeof Interaction>;

/** Where an interaction comes from: its own mark (in a mixed or observed cassette), else the file's kind. */
export const originOf = (c: Pick<CassetteFile, 'provenance'>, i: Interaction): Origin =>
  i.provenance ?? (c.provenance.kind === 'mixed' ? 'recorded' : c.provenance.kind);

/** The origins a cassette of this provenance may hold. */
function originsOf(p: Provenance): readonly Origin[] {
  if (p.kind === 'mixed') return ['recorded', ...new Set(p.kept.map((k) => k.kind))];
  if (p.kind === 'observed') return p.authored ? ['observed', 'authored'] : ['observed'];
  return [p.kind];
}

/** The recording part of a cassette's provenance, if it has one. */
export const recordingOf = (p: Provenance) => (p.kind === 'recorded' ? p : p.kind === 'mixed' ? p.recorded : undefined);

export const CassetteFile = z.strictObject({
  cassette: z.literal(CASSETTE_VERSION),
  target: TargetId,
  area: z.string().regex(/^[a-z0-9-]+$/, 'must be a lower-case file-name word'),
  provenance: Provenance,
  interactions: z.array(Interaction),
});
export type CassetteFile = z.infer<typeof CassetteFile>;

export interface LoadedCassette extends CassetteFile {
  /** Path relative to the working directory, for messages. */
  file: string;
}

export class CassetteError extends Error {
  override name = 'CassetteError';
}

/** Path prefixes a cassette may hold besides the pipelines: the runner's own GET routes. */
const EXTRA_ROUTES = ['health', 'version', 'hardware'];

function knownRoute(path: string): boolean {
  const first = path.split(/[/?]/)[1] ?? '';
  return Object.values(PIPELINES).some((p) => p.path === `/${first}`) || EXTRA_ROUTES.includes(first);
}

/** Parses one cassette file; every problem names the file and the place inside it. */
export function parseCassette(file: string, text: string, expectedTarget?: string): LoadedCassette {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CassetteError(`${file}: not valid JSON (${(err as Error).message}). The file is corrupt or truncated: restore it from git or re-record it.`);
  }
  const parsed = CassetteFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `  - ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    const provenanceHint = parsed.error.issues.some((i) => i.path[0] === 'provenance')
      ? '\n  provenance must be {"kind":"authored","source":…,"authoredOn":…}, {"kind":"observed","source":…,"ran":…,"observedOn":…}, {"kind":"recorded","recordedAt":…,"host":…,"target":…} or {"kind":"mixed","recorded":{…},"kept":[{"kind":"authored",…}]}.'
      : '';
    throw new CassetteError(`${file}: not a valid cassette:\n${problems.join('\n')}${provenanceHint}`);
  }
  const cassette = parsed.data;
  if (expectedTarget !== undefined && cassette.target !== expectedTarget) {
    throw new CassetteError(`${file}: declares target "${cassette.target}" but sits in the folder of target "${expectedTarget}".`);
  }
  const ids = new Set<string>();
  for (const [i, x] of cassette.interactions.entries()) {
    if (ids.has(x.id)) throw new CassetteError(`${file}: interactions[${i}] repeats the id "${x.id}".`);
    ids.add(x.id);
    const origin = originOf(cassette, x);
    if (!originsOf(cassette.provenance).includes(origin)) {
      throw new CassetteError(`${file}: interactions[${i}] ("${x.id}") is marked ${origin}, which a cassette of kind ${cassette.provenance.kind} cannot hold${cassette.provenance.kind === 'observed' && origin === 'authored' ? ': name the file it follows in provenance.authored' : ''}.`);
    }
    if (!knownRoute(x.request.path)) {
      throw new CassetteError(`${file}: interactions[${i}] ("${x.id}") is for ${x.request.path}, which is no pipeline of the catalogue (support/catalogue.ts).`);
    }
  }
  return { ...cassette, file };
}

/** The cassette files of the given targets under a fixtures folder, in a stable order. */
function cassetteFiles(fixturesDir: string, targets: readonly TargetId[]): string[] {
  return targets.flatMap((target) => {
    const dir = join(fixturesDir, 'cassettes', target);
    try {
      return readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, n));
    } catch {
      return []; // No cassettes for this target yet: every request will be a replay miss, which says so.
    }
  });
}

/** Reads and parses every cassette of the given targets, each time (loadCassettes keeps the parse). */
export function readCassettes(fixturesDir: string, targets: readonly TargetId[]): LoadedCassette[] {
  return cassetteFiles(fixturesDir, targets).map((path) => parseCassette(relative(process.cwd(), path) || path, readFileSync(path, 'utf8'), basename(dirname(path))));
}

/**
 * Parsed cassettes per folder, target list and state of the files (names, sizes, times): one
 * parse per process for every reader (setup, replay, loopback servers, hygiene), and a new one
 * as soon as a file changes (a recording, a self-test altering a copy).
 */
const parsed = new Map<string, LoadedCassette[]>();

export function loadCassettes(fixturesDir: string, targets: readonly TargetId[]): LoadedCassette[] {
  const key = cassetteFiles(fixturesDir, targets)
    .map((f) => {
      const s = statSync(f);
      return `${f}:${s.size}:${s.mtimeMs}`;
    })
    .join('\n');
  let out = parsed.get(key);
  if (!out) parsed.set(key, (out = readCassettes(fixturesDir, targets)));
  return out;
}

/** Folders under fixtures/cassettes that are not a target: a mistake worth naming. */
export function strayCassetteFolders(fixturesDir: string): string[] {
  const root = join(fixturesDir, 'cassettes');
  try {
    return readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory() && !(TARGET_IDS as readonly string[]).includes(n));
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Identity of a request: what replay matches on and a recording keeps once

const partLabel = (p: PartSummary) => `${p.name}\u0000${'value' in p ? p.value : p.sha256}`;

/** Multipart parts compare regardless of order; everything else as it is. */
export const requestKey = (r: Pick<RecordedRequest, 'method' | 'path' | 'body'> & { auth: string }) => JSON.stringify([r.method, r.path, r.auth, canonicalBody(r.body)]);

function canonicalBody(b: RequestBody): unknown {
  if (b.kind !== 'multipart') return b;
  return { kind: 'multipart', parts: [...b.parts].sort((x, y) => partLabel(x).localeCompare(partLabel(y))) };
}


// ---------------------------------------------------------------------------------------------
// Request bodies in cassette form, from what the suite sends and from what arrives on the wire.

/** JSON text with a JSON content type is kept as a value; anything else as text. */
function textBody(text: string, contentType: string | undefined): RequestBody {
  if (contentType && /json/i.test(contentType)) {
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch {
      // Malformed JSON on purpose: keep the text.
    }
  }
  return contentType === undefined ? { kind: 'text', text } : { kind: 'text', text, contentType };
}

export function requestBodyFromSpec(body: Body, secrets: readonly string[] = []): RequestBody {
  switch (body.kind) {
    case 'none':
      return { kind: 'none' };
    case 'json':
      return { kind: 'json', value: redactValue(JSON.parse(JSON.stringify(body.value ?? null)), secrets) };
    case 'multipart':
      return { kind: 'multipart', parts: redactValue(body.parts.map(summarisePart), secrets) };
    case 'text':
      return redactValue(textBody(body.text, body.contentType), secrets);
  }
}

/** Normalises a request as it arrives (replay side) into the same form. */
export async function requestBodyFromWire(contentType: string | undefined, bytes: Uint8Array): Promise<RequestBody> {
  if (bytes.byteLength === 0) return { kind: 'none' };
  if (contentType && /^multipart\/form-data/i.test(contentType)) {
    try {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const parts: PartSummary[] = [];
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') parts.push({ name, value });
        else {
          const file = new Uint8Array(await value.arrayBuffer());
          parts.push(summarisePart({ name, file: { bytes: file, filename: value.name, contentType: value.type } }));
        }
      }
      return { kind: 'multipart', parts };
    } catch {
      // A deliberately broken multipart body: compare it as text.
    }
  }
  return textBody(Buffer.from(bytes).toString('utf8'), contentType);
}

// ---------------------------------------------------------------------------------------------
// Writing (record mode). Files are replaced whole: record is nock's "update", never "keep".

export function cassettePath(fixturesDir: string, target: TargetId, area: string): string {
  return join(fixturesDir, 'cassettes', target, `${area}.json`);
}

export function writeCassette(fixturesDir: string, cassette: CassetteFile): string {
  const path = cassettePath(fixturesDir, cassette.target, cassette.area);
  mkdirSync(join(fixturesDir, 'cassettes', cassette.target), { recursive: true });
  const checked = CassetteFile.parse(cassette);
  const tmp = `${path}.tmp-${process.pid}-${threadId}`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}
