// Allure: labels that sort a result (epic = area, feature = pipeline, story = DOC id, tags =
// target and mode), one step per HTTP exchange with its redacted request and response, and the
// outcome as a label that the gate and the matrix read back.
import * as allure from 'allure-js-commons';
import { DOCS, type DocId, type PipelineId, type TargetId } from '../catalogue.ts';
import type { Mode } from '../config.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Verdict } from '../verdict/outcome.ts';

/** Label names the gate and the matrix read from allure results. */
export const LABELS = { check: 'check', target: 'target', outcome: 'outcome', deviation: 'deviation', mode: 'mode', pipeline: 'pipeline' } as const;

export interface CheckLabels {
  /** DOC-xx, or SDK-xx for the SDK rows. */
  check: string;
  area: string;
  statement: string;
  link: string;
  severity: string;
  target: TargetId;
  mode: Mode;
  pipeline?: PipelineId;
}

export function docLabels(doc: DocId, target: TargetId, mode: Mode, pipeline?: PipelineId): CheckLabels {
  const row = DOCS[doc];
  return { check: doc, area: row.area, statement: row.statement, link: row.link, severity: row.severity, target, mode, pipeline };
}

export async function labelCheck(l: CheckLabels): Promise<void> {
  await allure.epic(l.area);
  await allure.feature(l.pipeline ?? 'all pipelines');
  await allure.story(l.check);
  await allure.tags(l.target, l.mode);
  await allure.severity(l.severity);
  await allure.label(LABELS.check, l.check);
  await allure.label(LABELS.target, l.target);
  await allure.label(LABELS.mode, l.mode);
  // The same spec runs in replay and live (loopback) in one `npm test`; allure-vitest's historyId
  // ignores the vitest project, so without this the report shows one as a retry of the other.
  await allure.parameter('mode', l.mode);
  if (l.pipeline) await allure.label(LABELS.pipeline, l.pipeline);
  await allure.link(l.link, `${l.check} documentation`);
  await allure.description(`**${l.check}** — documented: ${l.statement}.\n\nSource: ${l.link}`);
}

/** Long strings (data URLs, base64) are summarised so a report stays readable and small. */
export function summariseLongStrings(value: unknown, max = 512): unknown {
  if (typeof value === 'string') {
    return value.length > max ? `${value.slice(0, 64)}… <${value.length} chars summarised>` : value;
  }
  if (Array.isArray(value)) return value.map((v) => summariseLongStrings(v, max));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summariseLongStrings(v, max)]));
  }
  return value;
}

export function exchangeAttachment(x: Exchange): { request: string; response: string } {
  const request = JSON.stringify(summariseLongStrings(x.request), null, 2);
  const response = x.error
    ? JSON.stringify({ error: x.error, elapsedMs: Math.round(x.elapsedMs) }, null, 2)
    : JSON.stringify(
        summariseLongStrings({
          status: x.response!.status,
          headers: x.response!.headers,
          elapsedMs: Math.round(x.elapsedMs),
          body: x.response!.json ?? x.response!.text ?? `<${x.response!.bytes} bytes binary, summarised>`,
          ...(x.replayed ? { replayedFrom: x.replayed } : {}),
        }),
        null,
        2,
      );
  return { request, response };
}

/**
 * One step per exchange, with request and response attached. The verdict attachment says the rest
 * (documented, pinned with its evidence, seen, the SDK's view): one file each, not repeated.
 */
export async function reportExchange(x: Exchange): Promise<void> {
  const seen = x.error ? x.error.kind : String(x.response?.status);
  await allure.step(`${x.request.method} ${x.request.path} → ${seen}`, async () => {
    const { request, response } = exchangeAttachment(x);
    await allure.attachment('request', request, 'application/json');
    await allure.attachment('response', response, 'application/json');
  });
}

export async function reportVerdict(v: Verdict): Promise<void> {
  await allure.label(LABELS.outcome, v.outcome);
  if (v.deviation) await allure.label(LABELS.deviation, v.deviation.id);
  await allure.attachment('verdict', v.message, 'text/plain');
}
