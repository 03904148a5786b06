// A check: one documented behaviour, one request, on one target. Runs the request, judges the
// answer against the documentation and the registry, reports it, and fails with the full story.
import type { TestContext } from 'vitest';
import { DOCS, type DocId, type PipelineId, type TargetId } from '../catalogue.ts';
import { findDeviation } from '../deviations/registry.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Expectation } from '../schemas/expectations.ts';
import { classify, type Verdict } from './outcome.ts';
import { docLabels, labelCheck, reportExchange, reportVerdict } from '../report/allure.ts';
import type { Session } from '../modes/session.ts';
import type { RequestSpec } from '../http/wire.ts';

export interface Check {
  doc: DocId;
  pipeline?: PipelineId;
  /** A variant inside the DOC row (`GET`, `HEAD`, `missing-key`…), matched against registry entries. */
  case?: string;
  request: RequestSpec;
  documented: Expectation;
}

export class ContractError extends Error {
  override name = 'ContractError';
}

/** Observers that never change the outcome but add their view (e.g. the SDK) to the report. */
export type Observer = (x: Exchange, check: Check) => Promise<string | undefined>;
// Keyed by name: a setup file runs again for every spec file, while without isolation this
// module (and so the registry) is shared between them.
const observers = new Map<string, Observer>();
export const addObserver = (name: string, o: Observer) => observers.set(name, o);

/** Judges an exchange that a spec already made (for checks needing several requests). */
export async function judgeExchange(ctx: Pick<TestContext, 'annotate'>, api: Session, target: TargetId, check: Check, exchange: Exchange): Promise<Verdict> {
  await labelCheck(docLabels(check.doc, target, api.config.mode, check.pipeline));
  // Not an answer of the target: a miss or a refused paid call fails as itself, not as "changed".
  if (exchange.error?.kind === 'replay-miss' || exchange.error?.kind === 'budget') {
    await reportExchange(exchange);
    throw new ContractError(`${check.doc} [${target}]: ${exchange.error.message}`);
  }
  const asides = (await Promise.all([...observers.values()].map((o) => o(exchange, check)))).filter((a): a is string => !!a);
  const aside = asides.join('\n  ') || undefined;
  await reportExchange(exchange);
  const pin = findDeviation(check.doc, target, check.pipeline, check.case);
  const verdict = classify({ doc: DOCS[check.doc], documented: check.documented, pin, exchange, aside });
  if (pin) api.exercised.add(pin.id);
  await reportVerdict(verdict);
  await ctx.annotate(verdict.headline, 'outcome');
  if (!verdict.pass) throw new ContractError(verdict.message);
  return verdict;
}

export async function runCheck(ctx: Pick<TestContext, 'annotate'>, api: Session, target: TargetId, check: Check): Promise<Verdict> {
  const exchange = await api.client(target).send(check.request);
  return judgeExchange(ctx, api, target, check, exchange);
}

/** `[studio]`, `[gateway]`: test names carry the target in brackets. */
export const onTarget = (target: TargetId) => `[${target}]`;
