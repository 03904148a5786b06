// SDK checks (SDK-01 … SDK-04): labelled, reported and judged as strictly as DOC checks
// (conforms / known deviation / changed, a stale pin is a change), but on two things at once:
// the HTTP answer, and what the official SDK made of it (support/schemas/sdk-outcome.ts). The SDK's
// published types and operations are the documentation these rows check.
import type { TestContext } from 'vitest';
import type { z } from 'zod';
import { SDKS, type PipelineId, type SdkId, type SdkRow, type TargetId } from '../catalogue.ts';
import { ContractError } from './check.ts';
import type { Mode } from '../config.ts';
import { findDeviation, RegistryError } from '../deviations/registry.ts';
import { SDK_DEVIATIONS, type SdkDeviation } from '../deviations/sdk.ts';
import type { Exchange } from '../http/exchange.ts';
import { judge, type Expectation } from '../schemas/expectations.ts';
import { decide, type Verdict } from './outcome.ts';
import { labelCheck, reportExchange, reportVerdict, type CheckLabels } from '../report/allure.ts';
import { judgeSdkOutcome } from '../schemas/sdk-outcome.ts';
import type { Session } from '../modes/session.ts';

export interface SdkExpectation {
  /** One line: `200, and generate.upscale() returns ImageResponse`. */
  summary: string;
  /** The HTTP answer: status and body shape, as for a DOC check. Omitted where the promise is the SDK's alone (SDK-02). */
  http?: Expectation;
  /** What the SDK makes of it: a schema over the SDK outcome (or, for SDK-04, the retry trace). */
  sdk: z.ZodType;
}

export interface SdkCheck {
  id: SdkId;
  pipeline: PipelineId;
  /** A variant inside the row (`unknown model`, `no model`…), matched against registry entries. */
  case?: string;
  documented: SdkExpectation;
}

export function sdkLabels(id: SdkId, target: TargetId, mode: Mode, pipeline?: PipelineId): CheckLabels {
  const row = SDKS[id];
  return { check: id, area: row.area, statement: row.statement, link: row.link, severity: row.severity, target, mode, pipeline };
}

/** The registry entry for an SDK check, with its SDK pin. */
export function findSdkDeviation(id: SdkId, target: TargetId, pipeline?: PipelineId, caseId?: string): SdkDeviation | undefined {
  const hit = findDeviation(id, target, pipeline, caseId);
  if (!hit) return undefined;
  const pin = SDK_DEVIATIONS.find((d) => d.id === hit.id);
  if (!pin) throw new RegistryError(`deviation "${hit.id}" pins ${id} but is not in support/deviations/sdk.ts, so it pins no SDK outcome`);
  return pin;
}

export interface SdkClassification {
  row: SdkRow;
  documented: SdkExpectation;
  pin?: SdkDeviation;
  /** The HTTP exchange (for SDK-04: the scripted answer the SDK was given). */
  exchange: Exchange;
  /** The SDK outcome, or the retry trace. */
  observed: unknown;
  /** One line (or a table) saying what the SDK did. */
  view: string;
}

export function classifySdk(c: SdkClassification): Verdict {
  const both = (http: Expectation | undefined, sdk: z.ZodType) => {
    const h = http ? judge(c.exchange, http) : { holds: true, reasons: [] };
    const s = judgeSdkOutcome(c.observed, sdk);
    return { holds: h.holds && s.holds, reasons: [...h.reasons, ...s.reasons] };
  };
  return decide({
    row: c.row,
    exchange: c.exchange,
    documented: { summary: c.documented.summary, judgement: both(c.documented.http, c.documented.sdk) },
    ...(c.pin ? { pin: { deviation: c.pin, summary: `${c.pin.pinned.summary}; ${c.pin.sdk.summary}`, judgement: both(c.pin.pinned, c.pin.sdk.outcome) } } : {}),
    extra: c.view.split('\n'),
  });
}

/**
 * Labels, reports and judges one SDK check; throws a ContractError with the whole story when it
 * neither conforms nor deviates exactly as pinned.
 */
export async function judgeSdk(
  ctx: Pick<TestContext, 'annotate'>,
  api: Session,
  target: TargetId,
  check: SdkCheck,
  exchange: Exchange,
  observed: unknown,
  view: string,
): Promise<Verdict> {
  await labelCheck(sdkLabels(check.id, target, api.config.mode, check.pipeline));
  // Not an answer of the target: a miss or a refused paid call fails as itself, not as "changed".
  if (exchange.error?.kind === 'replay-miss' || exchange.error?.kind === 'budget') {
    await reportExchange(exchange);
    throw new ContractError(`${check.id} [${target}]: ${exchange.error.message}`);
  }
  await reportExchange(exchange);
  const pin = findSdkDeviation(check.id, target, check.pipeline, check.case);
  if (pin) api.exercised.add(pin.id);
  const v = classifySdk({ row: SDKS[check.id], documented: check.documented, pin, exchange, observed, view });
  await reportVerdict(v);
  await ctx.annotate(v.headline, 'outcome');
  if (!v.pass) throw new ContractError(v.message);
  return v;
}
