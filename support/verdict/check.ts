// A check: one documented behaviour on one subject (a target, or the suite's client code). Judges
// what was observed against the documentation and the registry in one place (classify), reports
// it, hands its verdict to the reporters once (task.meta), and fails with the whole story.
import * as allure from 'allure-js-commons';
import type { TestContext } from 'vitest';
import { CHECKS, SUITE, type CaseOf, type CheckId, type PipelineId, type Subject, type TargetId } from '../catalogue.ts';
import { findDeviation } from '../deviations/registry.ts';
import { PROPOSE_COMMAND } from '../deviations/data-pins.ts';
import type { Exchange } from '../http/exchange.ts';
import { sunsetHeaders } from '../http/sunset.ts';
import { markRetired } from '../modes/retired-marks.ts';
import type { RequestSpec } from '../http/wire.ts';
import type { Session } from '../modes/session.ts';
import { reportExchange } from '../report/allure.ts';
import type { About, ObservedAnswer, VerdictRecord } from '../report/run-record.ts';
import type { Expectation, Observation } from '../schemas/expectations.ts';
import { classify, type Verdict } from './outcome.ts';

declare module 'vitest' {
  interface TaskMeta {
    /** What the test checks, declared with it (support/run/test.ts): known even when it is skipped. */
    about?: About;
    /** Its verdict, set once by judgeCheck. */
    verdict?: VerdictRecord;
  }
}

export interface Check<C extends CheckId = CheckId> {
  check: C;
  pipeline?: PipelineId;
  /** A variant inside the check, matched against registry entries. */
  case?: CaseOf<C>;
  documented: Expectation;
  /** What must hold on either side, documented or pinned (a layer's exact answer, a latency budget, a retry trace). */
  requires?: readonly Expectation[];
}

/** A check that sends one request and judges its answer. */
export interface RequestCheck<C extends CheckId = CheckId> extends Check<C> {
  request: RequestSpec;
}

export class ContractError extends Error {
  override name = 'ContractError';
}

/** The parts of a test's context a check uses: the test itself, its annotations, and the session when it talks to a target. */
export type CheckContext = Pick<TestContext, 'task' | 'annotate'> & { api?: Session };

/** Observers add their view of an exchange (e.g. the SDK's) to the report; they never change the outcome. */
export type Observer = (x: Exchange, check: Check) => Promise<string | undefined>;
// Keyed by name: a setup file runs again for every spec file, while without isolation this
// module (and so the registry) is shared between them.
const observers = new Map<string, Observer>();
export const addObserver = (name: string, o: Observer) => observers.set(name, o);

async function asides(check: Check, x: Exchange | undefined): Promise<string[]> {
  // An SDK row judges the SDK's view itself; a DOC row shows it aside.
  if (!x || check.documented.sdk) return [];
  return (await Promise.all([...observers.values()].map((o) => o(x, check)))).filter((a): a is string => !!a);
}

/**
 * Judges what a check observed, once per test: the verdict goes to the report (a `verdict`
 * attachment), to the reporters (task.meta.verdict), and, unless it passes, into the failure.
 */
export async function judgeCheck<C extends CheckId>(ctx: CheckContext, subject: Subject, check: Check<C>, observation: Observation, notes: readonly string[] = []): Promise<Verdict> {
  const about = ctx.task.meta.about;
  if (about && (about.check !== check.check || about.subject !== subject)) {
    throw new Error(`test "${ctx.task.name}" declares ${about.check} [${about.subject}] but judges ${check.check} [${subject}]`);
  }
  if (ctx.task.meta.verdict) throw new Error(`test "${ctx.task.name}" was judged twice: one verdict per test`);
  if ((CHECKS[check.check].scope === 'client') !== (subject === SUITE)) throw new Error(`${check.check} is judged on ${subject}, but its scope is ${CHECKS[check.check].scope}`);

  const x = observation.exchange;
  const aside = await asides(check, x);
  // Every attempt the rate limit made the client repeat is in the report, before the one judged.
  for (const e of ctx.api?.sentInTest ?? []) if (e.rateLimited?.resent) await reportExchange(e);
  if (x) await reportExchange(x);
  const pin = findDeviation(check.check, subject, check.pipeline, check.case);
  const sent = ctx.api?.sentInTest ?? [];
  const verdict = classify({
    row: CHECKS[check.check],
    subject,
    ...(check.pipeline ? { pipeline: check.pipeline } : {}),
    documented: check.documented,
    ...(pin ? { pin } : {}),
    ...(check.requires ? { requires: check.requires } : {}),
    observation,
    exchanges: sent.length ? sent : [x, observation.final].filter((e): e is Exchange => !!e),
    notes: [...notes, ...aside],
  });
  const retired =
    verdict.retired && check.pipeline && subject !== SUITE ? { target: subject, pipeline: check.pipeline, message: verdict.retired.message, ...(verdict.retired.sunset ? { sunset: verdict.retired.sunset } : {}), seenIn: ctx.task.name } : undefined;
  const notices = sent.flatMap((e) => {
    const h = sunsetHeaders(e);
    return h && e.response ? [{ target: e.target, method: e.request.method, path: e.request.path, status: e.response.status, ...h }] : [];
  });
  ctx.task.meta.verdict = {
    check: check.check,
    subject,
    ...(check.pipeline ? { pipeline: check.pipeline } : {}),
    ...(check.case ? { case: check.case } : {}),
    outcome: verdict.outcome,
    ...(pin ? { pin: pin.id } : {}),
    headline: verdict.headline,
    requests: sent.filter((e) => e.target === subject && e.error?.kind !== 'budget').length,
    interactions: [...(ctx.api?.interactionsInTest ?? [])],
    ...(verdict.failure ? { failure: verdict.failure } : {}),
    ...(retired ? { retired } : {}),
    ...(notices.length ? { notices } : {}),
    ...((verdict.outcome === 'changed' || verdict.outcome === 'retired') && x ? { observed: observedAnswer(x) } : {}),
    ...(verdict.stale ? { stale: true } : {}),
  };
  if (retired && ctx.api) markRetired(ctx.api.config.reportsDir, retired);
  // A change seen on a target (not a replay, not the suite's loopback): the one command that proposes its pin.
  const message = verdict.outcome === 'changed' && ctx.api?.proposesPins ? `${verdict.message}\n\n  to propose a pin from what ${subject} answered: ${PROPOSE_COMMAND}, then review \`git diff ${ctx.api.config.fixturesDir}/pins\`` : verdict.message;
  await allure.attachment('verdict', message, 'text/plain');
  await ctx.annotate(verdict.headline, 'outcome');
  if (!verdict.pass) throw new ContractError(message);
  return verdict;
}

/**
 * Sends the check's request to the target and judges the answer. Sent once per spec file: another
 * check of the file that sends the very same request (DOC-02 and DOC-03 both leave out text-to-
 * speech's one required field, model_id) judges the same answer, and it is paid for once.
 */
export async function runCheck<C extends CheckId>(ctx: CheckContext & { api: Session }, target: TargetId, check: RequestCheck<C>): Promise<Verdict> {
  const exchange = await ctx.api.sendOnce(target, check.request);
  return judgeCheck(ctx, target, check, { exchange });
}

/** Bodies kept whole up to this size; a bigger JSON body keeps its keys, a bigger text nothing. */
const OBSERVED_MAX = 8_192;

/** The answer a verdict judged, as the run record keeps it (already redacted, like every Exchange). */
export function observedAnswer(x: Exchange): ObservedAnswer {
  const base = { method: x.request.method, path: x.request.path };
  if (!x.response) return { ...base, status: 'dropped' };
  const r = x.response;
  const out: ObservedAnswer = { ...base, status: r.status, ...(r.contentType ? { contentType: r.contentType } : {}) };
  if (r.json !== undefined) {
    if (JSON.stringify(r.json).length <= OBSERVED_MAX) out.json = r.json;
    else if (r.json && typeof r.json === 'object' && !Array.isArray(r.json)) out.keys = Object.keys(r.json);
  } else if (r.text !== undefined && r.text.length <= OBSERVED_MAX) out.text = r.text;
  return out;
}

/** `[studio]`, `[suite]`: test names carry the subject in brackets. */
export const onSubject = (subject: Subject) => `[${subject}]`;