// Record mode: every exchange a spec file makes becomes an interaction of that file's cassette,
// written when the file ends. What it recorded replaces the old interactions (nock's "update", never
// "keep"); what no live run can be asked for stays (see flush). Only redacted data is kept: the
// exchange is redacted by the client, the request body by requestBodyFromSpec.
import { existsSync, readFileSync } from 'node:fs';
import { pipelineOfPath, type PipelineId, type TargetId } from '../catalogue.ts';
import { cassettePath, originOf, parseCassette, requestBodyFromSpec, requestKey, writeCassette, type CassetteFile, type Interaction, type Origin, type Provenance, type RecordedResponse } from './cassettes.ts';
import type { RawExchange } from '../http/client.ts';
import { hostOf } from '../config.ts';
import type { Exchange } from '../http/exchange.ts';
import { redactText } from '../http/redact.ts';

/** Headers that change every run or carry nothing a check reads. */
const DROPPED_HEADERS = /^(date|content-length|transfer-encoding|connection|keep-alive|set-cookie|etag|x-request-id|cf-ray|age|report-to|nel)$/i;

/**
 * What a cassette keeps of an exchange: the answer, or a connection the target closed without one.
 * Nothing for an exchange with no answer of the target's (a timeout, an unreachable host, a
 * refused paid call): replay could not play it back, and the run's verdict says what happened.
 */
export function recordedResponse(x: Exchange): RecordedResponse | undefined {
  if (x.error) {
    if (x.error.kind !== 'dropped') return undefined;
    return { dropped: x.error.code === 'EPIPE' ? 'EPIPE' : 'ECONNRESET', message: x.error.message };
  }
  const r = x.response!;
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !DROPPED_HEADERS.test(k)));
  const body =
    r.bytes === 0
      ? ({ kind: 'none' } as const)
      : r.json !== undefined
        ? ({ kind: 'json', value: r.json } as const)
        : r.text !== undefined
          ? ({ kind: 'text', text: r.text } as const)
          : ({ kind: 'base64', base64: r.base64 ?? '' } as const);
  return { status: r.status, headers, body };
}

export interface RecorderOptions {
  fixturesDir: string;
  baseUrls: Partial<Record<TargetId, string>>;
  /** Values to scrub from what is kept (the key). */
  secrets?: readonly string[];
  now?: () => Date;
  /** Where a line about an exchange that could not be kept goes. */
  log?: (line: string) => void;
  served?: Partial<Record<TargetId, readonly PipelineId[]>>;
  /** Per target that may check a token: whether it did, as the run found before any spec. */
  checksToken?: Partial<Record<TargetId, boolean>>;
}

export class Recorder {
  private readonly byCassette = new Map<string, { area: string; target: TargetId; interactions: Interaction[] }>();
  /** How often each request was sent in the running test, per cassette. */
  private readonly sentInTest = new Map<string, number>();

  private readonly fixturesDir: string;
  private readonly baseUrls: Partial<Record<TargetId, string>>;
  private readonly secrets: readonly string[];
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  /** Per target, the pipelines the run serves: recordings of the others are kept, not dropped. */
  private readonly served: Partial<Record<TargetId, readonly PipelineId[]>>;
  private readonly checksToken: Partial<Record<TargetId, boolean>>;

  constructor(o: RecorderOptions) {
    this.fixturesDir = o.fixturesDir;
    this.baseUrls = o.baseUrls;
    this.secrets = o.secrets ?? [];
    this.now = o.now ?? (() => new Date());
    this.log = o.log ?? ((line) => console.warn(line));
    this.served = o.served ?? {};
    this.checksToken = o.checksToken ?? {};
  }

  /** Replay restarts every recorded sequence at the start of a test: recording counts the same way. */
  beginTest(): void {
    this.sentInTest.clear();
  }

  add(area: string, x: Exchange, raw: RawExchange): void {
    if (x.rateLimited) {
      // The target's rate limit, not its answer to the request: replay must never play it back.
      this.log(`record: not recorded, a 429 of the rate limit: ${x.target} ${x.request.method} ${x.request.path} (attempt ${x.rateLimited.attempt})`);
      return;
    }
    const response = recordedResponse(x);
    if (!response) {
      // Said where the user sees it: the cassette will not hold this request, and replay will miss it.
      this.log(`record: not recorded, no answer to keep: ${x.target} ${x.request.method} ${x.request.path} (${x.error?.kind}${x.error?.code ? ` ${x.error.code}` : ''})`);
      return;
    }
    const key = `${x.target}/${area}`;
    const entry = this.byCassette.get(key) ?? { area, target: x.target, interactions: [] };
    const request = {
      method: raw.spec.method.toUpperCase(),
      path: redactText(raw.spec.path, this.secrets),
      auth: x.request.auth,
      body: requestBodyFromSpec(raw.spec.body, this.secrets),
    };
    // The n-th identical request of a test is answered in replay by the n-th recorded one. When an
    // earlier test already recorded it, a second copy would never answer (an orphan): keep the first.
    const same = requestKey(request);
    const nth = (this.sentInTest.get(`${key} ${same}`) ?? 0) + 1;
    this.sentInTest.set(`${key} ${same}`, nth);
    if (entry.interactions.filter((i) => requestKey(i.request) === same).length >= nth) return;
    const n = entry.interactions.length + 1;
    entry.interactions.push({
      id: `${String(n).padStart(3, '0')}-${x.request.method.toLowerCase()}${x.request.path.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`,
      request,
      response,
      elapsedMs: Math.round(x.elapsedMs),
    });
    this.byCassette.set(key, entry);
  }

  /**
   * Writes one cassette per target and area seen; returns the paths written. A recording replaces
   * what it recorded and keeps, from the cassette it replaces, what no live run can ask for: the
   * authored interactions it did not record (a 500 on demand, a cold model's 503s), and the
   * recorded ones of pipelines this run does not serve. The file's provenance then lists both.
   */
  flush(version?: Partial<Record<TargetId, string>>): string[] {
    const written: string[] = [];
    for (const { area, target, interactions } of this.byCassette.values()) {
      const baseUrl = this.baseUrls[target];
      if (!baseUrl) continue;
      const recorded: Extract<Provenance, { kind: 'recorded' }> = {
        kind: 'recorded',
        recordedAt: this.now().toISOString(),
        host: hostOf(baseUrl),
        target,
        ...(version?.[target] ? { version: version[target] } : {}),
        ...(this.checksToken[target] !== undefined ? { checksToken: this.checksToken[target] } : {}),
      };
      const { kept, from } = this.keptFrom(target, area, interactions);
      const cassette: CassetteFile =
        kept.length === 0 || from.length === 0
          ? { cassette: 1, target, area, provenance: recorded, interactions: [...interactions, ...kept] }
          : {
              cassette: 1,
              target,
              area,
              provenance: { kind: 'mixed', recorded, kept: from },
              interactions: [...interactions.map((i) => ({ ...i, provenance: 'recorded' as const })), ...kept],
            };
      written.push(writeCassette(this.fixturesDir, cassette));
    }
    this.byCassette.clear();
    return written;
  }

  /** What the cassette about to be replaced holds that this recording did not record and must not lose. */
  private keptFrom(target: TargetId, area: string, recorded: readonly Interaction[]): { kept: Interaction[]; from: Extract<Provenance, { kind: 'mixed' }>['kept'] } {
    const path = cassettePath(this.fixturesDir, target, area);
    if (!existsSync(path)) return { kept: [], from: [] };
    const old = parseCassette(path, readFileSync(path, 'utf8'), target);
    const sent = new Set(recorded.map((i) => requestKey(i.request)));
    const served = this.served[target];
    const kept = old.interactions
      .filter((i) => !sent.has(requestKey(i.request)))
      .filter((i) => {
        const pipeline = pipelineOfPath(i.request.path);
        return originOf(old, i) !== 'recorded' || (served !== undefined && pipeline !== undefined && !served.includes(pipeline));
      })
      .map((i) => ({ ...i, provenance: originOf(old, i) }));
    const from = keptSources(old.provenance, kept.map((i) => i.provenance));
    // Ids stay unique: a kept interaction whose id a new one took is renamed.
    const ids = new Set(recorded.map((i) => i.id));
    for (const i of kept) if (ids.has(i.id)) i.id = `kept-${i.id}`;
    return { kept, from };
  }
}

/** The files the kept interactions come from, once each: an observed cassette lists the authored file its own unobserved interactions follow. */
function keptSources(p: Provenance, origins: readonly Origin[]): Extract<Provenance, { kind: 'mixed' }>['kept'] {
  if (p.kind === 'mixed') return p.kept;
  if (p.kind === 'authored') return [p];
  if (p.kind === 'observed') {
    const { authored, ...observed } = p;
    return [...(origins.includes('observed') ? [observed] : []), ...(authored && origins.includes('authored') ? [authored] : [])];
  }
  return [];
}
