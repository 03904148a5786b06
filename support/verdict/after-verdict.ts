// Checks a spec makes after the verdict on an exchange (latency, a header, the answer after a
// retry). The verdict labelled the test; when such a check fails, the outcome becomes `changed`
// (results read the last outcome label) and the failure tells the whole story with the exchange.
import * as allure from 'allure-js-commons';
import type { TestContext } from 'vitest';
import type { DocId, TargetId } from '../catalogue.ts';
import { ContractError } from './check.ts';
import { formatExchange, type Exchange } from '../http/exchange.ts';
import { LABELS } from '../report/allure.ts';

export interface AfterVerdict {
  doc: DocId;
  target: TargetId;
  /** What must hold, in the documentation's or the reference's terms. */
  expected: string;
  /** What was seen instead; only read when the check fails. */
  seen: string;
  holds: boolean;
  /** The exchange to show. */
  exchange?: Exchange;
}

export async function checkAfterVerdict(ctx: Pick<TestContext, 'annotate'>, c: AfterVerdict): Promise<void> {
  if (c.holds) return;
  const headline = `changed: ${c.expected} does not hold`;
  await allure.label(LABELS.outcome, 'changed');
  await ctx.annotate(headline, 'outcome');
  const lines = [`${c.doc} [${c.target}]: ${headline}`, `  expected: ${c.expected}`, `  seen:     ${c.seen}`];
  if (c.exchange) lines.push('', formatExchange(c.exchange));
  throw new ContractError(lines.join('\n'));
}
