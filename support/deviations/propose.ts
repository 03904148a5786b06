// From a live run's verdicts to proposed pins: for each `changed` verdict, the exact answer the
// target gave (its status, and the body's shape with the observed text) as a data pin; for each
// stale pin, its removal; for a third behaviour where a pin exists, its replacement, old and new
// side by side. Only what a target answered in a live or record run is ever pinned: a replay, the
// suite's own loopback, or a result that is no verdict on the contract (no answer, not sent, rate
// limited) is refused, saying why. Nothing here changes a run's verdicts: a proposal is judged by
// the next run, once it is committed (support/deviations/pin-review.ts).
import { CHECKS, PIPELINES, TARGET_IDS, type PipelineId, type TargetId } from '../catalogue.ts';
import type { ObservedAnswer, RunRecord, TestEntry, VerdictRecord } from '../report/run-record.ts';
import { errorDialect, FastApiValidationError, responseSchemaFor } from '../schemas/index.ts';
import { OUTCOME_GROUP } from '../verdict/outcome.ts';
import type { DataPin, PinBody, PinsFile, Withdrawal } from './data-pins.ts';
import type { Deviation } from './types.ts';

export interface Refusal {
  test: string;
  why: string;
}

export interface Change {
  kind: 'new pin' | 'replaces' | 'withdraws';
  target: TargetId;
  test: string;
  /** The new pin (new pin, replaces). */
  pin?: DataPin;
  /** What it replaces or withdraws. */
  old?: { id: string; summary: string; from?: string };
}

export interface Proposal {
  changes: Change[];
  refused: Refusal[];
  /** The pins files as they would be written, per target with a change. */
  files: Partial<Record<TargetId, PinsFile>>;
}

/** Why a run as a whole cannot propose pins, or undefined when it can. */
export function refuseRun(record: RunRecord): string | undefined {
  const r = record.run;
  if (r.kind === 'self-check') return `run ${r.id} is a self-check (the suite against its own loopback servers, project ${r.project}): it speaks for no target, so nothing it saw can become a pin`;
  if (r.mode === 'replay') return `run ${r.id} is a replay: it judged the cassettes, not a target. Run live (or record) against the target first, then propose`;
  if (record.stopped) return `run ${r.id} stopped before any spec (${record.stopped.split('\n')[0]}): no target answered anything to pin`;
  return undefined;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The body shape of an observed answer, or why none can be said. */
export function bodyShape(o: ObservedAnswer, target: TargetId, pipeline: PipelineId | undefined): PinBody | string {
  if (o.status === 'dropped') return { kind: 'empty' };
  if (o.json !== undefined) {
    const json = o.json;
    switch (errorDialect(json)) {
      case 'studio':
        return { kind: 'studio-errors', messages: (json as { errors: unknown[] }).errors.map((e) => String(e)) };
      case 'gateway':
        return { kind: 'gateway-error', message: String((json as { error: { message: unknown } }).error.message) };
      case 'runner-http-error':
        return { kind: 'runner-msg', message: String((json as { detail: { msg: unknown } }).detail.msg) };
      case 'starlette':
        return { kind: 'starlette-detail', message: String((json as { detail: unknown }).detail) };
      case 'fastapi-validation':
        return { kind: 'fastapi-detail', items: FastApiValidationError.parse(json).detail.map((i) => ({ type: String((i as { type: unknown }).type), loc: [...i.loc] })) };
      case 'plain-text':
        return { kind: 'plain-text', text: json as string };
    }
    const model = pipeline ? PIPELINES[pipeline].responseModel : undefined;
    if (model && o.status >= 200 && o.status < 300 && responseSchemaFor(model, target).safeParse(json).success) return { kind: 'model', model };
    if (json && typeof json === 'object' && !Array.isArray(json)) return { kind: 'keys', keys: Object.keys(json) };
    return `a JSON body no shape describes (${JSON.stringify(json).slice(0, 80)})`;
  }
  if (o.keys) {
    const model = pipeline ? PIPELINES[pipeline].responseModel : undefined;
    return model && o.status >= 200 && o.status < 300 ? { kind: 'model', model } : { kind: 'keys', keys: o.keys };
  }
  if (o.text !== undefined) return o.text === '' ? { kind: 'empty' } : { kind: 'plain-text', text: o.text };
  return `a body the run did not keep (${o.contentType ?? 'no content type'}: binary or over 8 kB): pin it by hand in support/deviations/`;
}

function describeBody(b: PinBody): string {
  switch (b.kind) {
    case 'studio-errors':
      return JSON.stringify({ errors: b.messages });
    case 'gateway-error':
      return JSON.stringify({ error: { message: b.message } });
    case 'runner-msg':
      return JSON.stringify({ detail: { msg: b.message } });
    case 'starlette-detail':
      return JSON.stringify({ detail: b.message });
    case 'fastapi-detail':
      return `{"detail":[${b.items.map((i) => `{"type":${JSON.stringify(i.type)},"loc":${JSON.stringify(i.loc)},…}`).join(',')}]}`;
    case 'plain-text':
      return JSON.stringify(b.text);
    case 'model':
      return b.model;
    case 'keys':
      return `an object with keys ${b.keys.join(', ')}`;
    case 'empty':
      return '(no body)';
  }
}

/** Why a test's verdict cannot become a pin, or undefined when it can. */
function refuseTest(t: TestEntry): string | undefined {
  const v = t.verdict;
  if (!v) return t.state === 'fail' ? 'it broke before its verdict: fix the test, nothing was judged' : undefined;
  if (OUTCOME_GROUP[v.outcome] === 'broken') {
    return `its result is "${v.outcome}", no verdict on the contract (${v.headline.split(': ').slice(1).join(': ') || v.headline}): there is no answer of the target to pin`;
  }
  if (v.outcome !== 'changed' && v.outcome !== 'retired') return undefined;
  if (CHECKS[v.check].scope === 'client') return `${v.check} is a check of the client code: it has no target answer to pin`;
  if (v.check.startsWith('SDK-')) return `${v.check} pins what the SDK makes of an answer too: write that pin in support/deviations/sdk.ts`;
  if (!v.stale && !v.observed) return 'the run kept no answer for it';
  return undefined;
}

const seenIn = (record: RunRecord, t: TestEntry, target: TargetId) => ({
  run: record.run.id,
  date: record.run.startedAt,
  mode: record.run.mode as 'live' | 'record',
  host: record.run.hosts[target] ?? '(unknown host)',
  ...(record.run.versions[target] ? { version: record.run.versions[target] } : {}),
  test: t.name,
});

function newPin(record: RunRecord, t: TestEntry, v: VerdictRecord & { observed: ObservedAnswer }, target: TargetId, body: PinBody, replaces?: Deviation): DataPin {
  const o = v.observed;
  const shown = o.status === 'dropped' ? 'a dropped connection (no HTTP response)' : `${o.status} ${describeBody(body)}`;
  return {
    id: ['seen', target, v.check.toLowerCase().replace('-', ''), v.pipeline ?? 'all', ...(v.case ? [slug(v.case)] : [])].join('-'),
    check: v.check,
    pipelines: v.pipeline ? [v.pipeline] : 'all',
    ...(v.case ? { case: v.case } : {}),
    summary: `${TARGET_IDS.includes(target) ? target : 'the target'} answers ${shown} to ${o.method} ${o.path}, as a ${record.run.mode} run saw it`,
    pinned: { summary: shown, status: o.status, ...(o.status === 'dropped' ? {} : { body }) },
    evidence: [`${o.method} ${o.path} → ${o.status === 'dropped' ? 'dropped' : `${o.status}${o.contentType ? ` (${o.contentType})` : ''}`}${o.json !== undefined ? ` ${JSON.stringify(o.json).slice(0, 300)}` : o.text !== undefined ? ` ${JSON.stringify(o.text.slice(0, 300))}` : ''}`],
    seenIn: seenIn(record, t, target),
    ...(replaces && !replaces.from ? { replaces: replaces.id } : {}),
  };
}

const emptyFile = (target: TargetId): PinsFile => ({ pins: 1, target, entries: [], withdrawn: [] });
const overlap = (a: DataPin['pipelines'], b: DataPin['pipelines']) => a === 'all' || b === 'all' || a.some((p) => b.includes(p));
const sameSlot = (a: Pick<DataPin, 'check' | 'pipelines' | 'case'>, b: Pick<DataPin, 'check' | 'pipelines' | 'case'>) => a.check === b.check && a.case === b.case && overlap(a.pipelines, b.pipelines);

/**
 * The proposal of a run: `registry` is the one the run judged with (code and data pins),
 * `current` the pins files as they are now.
 */
export function propose(record: RunRecord, registry: readonly Deviation[], current: Partial<Record<TargetId, PinsFile>>): Proposal {
  const changes: Change[] = [];
  const refused: Refusal[] = [];
  const files: Partial<Record<TargetId, PinsFile>> = {};
  const fileOf = (t: TargetId) => (files[t] ??= structuredClone(current[t] ?? emptyFile(t)));
  const byId = new Map(registry.map((d) => [d.id, d]));
  const verdicts = record.tests.flatMap((t) => (t.verdict ? [t.verdict] : []));
  /** Code pins judged in this run by tests that all get a new answer: withdrawn along with their replacement. */
  const replacedEverywhere = (id: string, replaced: Set<string>) => verdicts.filter((v) => v.pin === id).every((v) => replaced.has(`${v.check} ${v.pipeline} ${v.case}`));
  const replaced = new Map<string, Set<string>>();

  for (const t of record.tests) {
    const why = refuseTest(t);
    if (why) {
      refused.push({ test: t.name, why });
      continue;
    }
    const v = t.verdict;
    if (!v || (v.outcome !== 'changed' && v.outcome !== 'retired')) continue;
    const target = v.subject as TargetId;
    const old = v.pin ? byId.get(v.pin) : undefined;
    if (v.stale) {
      if (!old) continue;
      if (old.from) {
        const f = fileOf(target);
        f.entries = f.entries.filter((e) => e.id !== old.id);
      } else if (verdicts.filter((x) => x.pin === old.id).some((x) => !x.stale)) {
        refused.push({ test: t.name, why: `pin "${old.id}" is stale here but still judged other tests of this run: narrow its pipelines in support/deviations/ by hand` });
        continue;
      } else {
        const f = fileOf(target);
        if (!f.withdrawn.some((w) => w.id === old.id)) {
          const w: Withdrawal = { id: old.id, evidence: [`the documented behaviour held: ${v.headline}`], seenIn: seenIn(record, t, target) };
          f.withdrawn.push(w);
        }
      }
      changes.push({ kind: 'withdraws', target, test: t.name, old: { id: old.id, summary: old.pinned.summary, ...(old.from ? { from: old.from } : {}) } });
      continue;
    }
    const body = bodyShape(v.observed!, target, v.pipeline);
    if (typeof body === 'string') {
      refused.push({ test: t.name, why: body });
      continue;
    }
    const pin = newPin(record, t, v as VerdictRecord & { observed: ObservedAnswer }, target, body, old);
    const f = fileOf(target);
    f.entries = [...f.entries.filter((e) => !sameSlot(e, pin)), pin];
    changes.push(old ? { kind: 'replaces', target, test: t.name, pin, old: { id: old.id, summary: old.pinned.summary, ...(old.from ? { from: old.from } : {}) } } : { kind: 'new pin', target, test: t.name, pin });
    if (old && !old.from) replaced.set(old.id, (replaced.get(old.id) ?? new Set()).add(`${v.check} ${v.pipeline} ${v.case}`));
  }
  // A code pin none of whose tests it judged still holds is withdrawn: its replacements say what the target does.
  for (const [id, slots] of replaced) {
    const old = byId.get(id)!;
    if (!replacedEverywhere(id, slots)) continue;
    const f = fileOf(old.target as TargetId);
    if (!f.withdrawn.some((w) => w.id === id)) f.withdrawn.push({ id, evidence: [`replaced by what the target answered: ${[...slots].join('; ')}`], seenIn: f.entries.find((e) => e.replaces === id)!.seenIn });
  }
  return { changes, refused, files };
}

/** The proposal as a reader reviews it: one line per change, old and new side by side. */
export function describeProposal(p: Proposal): string[] {
  const lines: string[] = [];
  for (const c of p.changes) {
    if (c.kind === 'new pin') lines.push(`new pin ${c.pin!.id} (${c.target}): ${c.pin!.pinned.summary}`, `    for: ${c.test}`);
    if (c.kind === 'replaces') lines.push(`replaces ${c.old!.id} (${c.target}):`, `    old: ${c.old!.summary}`, `    new: ${c.pin!.pinned.summary}  (${c.pin!.id})`, `    for: ${c.test}`);
    if (c.kind === 'withdraws') lines.push(`withdraws ${c.old!.id} (${c.target}): the documented behaviour holds now`, `    was: ${c.old!.summary}`, `    for: ${c.test}`);
  }
  for (const r of p.refused) lines.push(`refused: ${r.test}: ${r.why}`);
  return lines;
}
