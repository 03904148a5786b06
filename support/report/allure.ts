// Allure: one step per HTTP exchange with its redacted request and response (in the worker), and
// the labels that sort a result (epic = area, feature = pipeline, story = check id, tags = subject
// and mode, the outcome and the pin), made by the reporter from the test's declared check and its
// verdict (task.meta): the worker never labels a result, so nothing parses labels back.
import * as allure from 'allure-js-commons';
import { CHECKS } from '../catalogue.ts';
import type { Exchange } from '../http/exchange.ts';
import type { About, RunInfo, VerdictRecord } from './run-record.ts';

/** Label names of a contract result, for the report's categories and filters. */
export const LABELS = { check: 'check', target: 'target', outcome: 'outcome', deviation: 'deviation', mode: 'mode', pipeline: 'pipeline', run: 'run' } as const;

interface Label {
  name: string;
  value: string;
}

/** What allure-vitest applies to a result: labels, links and the description, as one runtime message. */
export interface MetadataMessage {
  type: 'metadata';
  data: { labels: Label[]; links: { url: string; name: string; type?: string }[]; description: string };
}

/** The labels of a contract test, from what it declared and the verdict it left (none if it broke first). */
export function resultMetadata(about: About, verdict: VerdictRecord | undefined, run: Pick<RunInfo, 'mode' | 'kind'>): MetadataMessage {
  const row = CHECKS[about.check];
  const labels: Label[] = [
    { name: 'epic', value: row.area },
    { name: 'feature', value: about.pipeline ?? 'all pipelines' },
    { name: 'story', value: about.check },
    { name: 'tag', value: about.subject },
    { name: 'tag', value: run.mode },
    { name: 'severity', value: row.severity },
    { name: LABELS.check, value: about.check },
    { name: LABELS.target, value: about.subject },
    { name: LABELS.mode, value: run.mode },
    { name: LABELS.run, value: run.kind },
    ...(about.pipeline ? [{ name: LABELS.pipeline, value: about.pipeline }] : []),
    ...(verdict ? [{ name: LABELS.outcome, value: verdict.outcome }] : []),
    ...(verdict?.pin ? [{ name: LABELS.deviation, value: verdict.pin }] : []),
  ];
  return {
    type: 'metadata',
    data: {
      labels,
      links: [{ url: row.link, name: `${about.check} documentation`, type: 'link' }],
      description: `**${about.check}** — documented: ${row.statement}.\n\nSource: ${row.link}`,
    },
  };
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

