// Record mode: every exchange a spec file makes becomes an interaction of that file's cassette,
// written whole when the file ends (nock's "update", never "keep"). Only redacted data is kept:
// the exchange is redacted by the client, the request body by requestBodyFromSpec.
import type { TargetId } from '../catalogue.ts';
import { requestBodyFromSpec, writeCassette, type Interaction, type RecordedResponse } from './cassettes.ts';
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

export class Recorder {
  private readonly byCassette = new Map<string, { area: string; target: TargetId; interactions: Interaction[] }>();
  /** How often each request was sent in the running test, per cassette. */
  private readonly sentInTest = new Map<string, number>();

  constructor(
    private readonly fixturesDir: string,
    private readonly baseUrls: Partial<Record<TargetId, string>>,
    private readonly secrets: readonly string[],
    private readonly now: () => Date = () => new Date(),
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  /** Replay restarts every recorded sequence at the start of a test: recording counts the same way. */
  beginTest(): void {
    this.sentInTest.clear();
  }

  add(area: string, x: Exchange, raw: RawExchange): void {
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
    const same = JSON.stringify(request);
    const nth = (this.sentInTest.get(`${key} ${same}`) ?? 0) + 1;
    this.sentInTest.set(`${key} ${same}`, nth);
    if (entry.interactions.filter((i) => JSON.stringify(i.request) === same).length >= nth) return;
    const n = entry.interactions.length + 1;
    entry.interactions.push({
      id: `${String(n).padStart(3, '0')}-${x.request.method.toLowerCase()}${x.request.path.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`,
      request,
      response,
      elapsedMs: Math.round(x.elapsedMs),
    });
    this.byCassette.set(key, entry);
  }

  /** Writes one cassette per target and area seen; returns the paths written. */
  flush(version?: Partial<Record<TargetId, string>>): string[] {
    const written: string[] = [];
    for (const { area, target, interactions } of this.byCassette.values()) {
      const baseUrl = this.baseUrls[target];
      if (!baseUrl) continue;
      written.push(
        writeCassette(this.fixturesDir, {
          cassette: 1,
          target,
          area,
          provenance: {
            kind: 'recorded',
            recordedAt: this.now().toISOString(),
            host: hostOf(baseUrl),
            target,
            ...(version?.[target] ? { version: version[target] } : {}),
          },
          interactions,
        }),
      );
    }
    this.byCassette.clear();
    return written;
  }
}
