// DOC-09: the warm models of the documented table (docs "Job debugging": text-to-image
// SG161222/RealVisXL_V4.0_Lightning, image-to-image timbrooks/instruct-pix2pix, audio-to-text
// openai/whisper-large-v3, image-to-text Salesforce/blip-image-captioning-large, LLM
// meta-llama/Meta-Llama-3.1-8B-Instruct) answer without a cold start: a 200 body of the spec's
// response model, inside the warm latency budget (LIVEPEER_WARM_BUDGET_MS).
//
// Each check is one real inference live (paid, counted against LIVEPEER_MAX_PAID_REQUESTS), with
// the cheapest request the pipeline's spec allows: the smallest inputs (4×4 PNG, 1 s WAV), two
// inference steps where the spec has the field, one token for the LLM. Each request is DOC-09's
// own, not DOC-15's minimal one, so every cassette interaction answers exactly one spec.
import * as allure from 'allure-js-commons';
import { afterAll, type TestContext } from 'vitest';
import { pipelineList, type TargetId } from '../support/catalogue.ts';
import { build, cheapestDraft } from '../support/data/requests.ts';
import { paidTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf } from '../support/run/test.ts';
import { responseSchemaFor } from '../support/schemas/index.ts';
import { judgeCheck } from '../support/verdict/check.ts';

const { targets, mode, timeouts, warmBudgetMs } = runConfig();

/** Paid requests this file sent (replay: would have sent), per target. */
const paid = new Map<TargetId, number>();

afterAll(() => {
  const counts = targets.map((t) => `${t} ${paid.get(t) ?? 0}`).join(', ');
  console.info(`DOC-09 paid requests ${mode === 'replay' ? 'replayed (no cost)' : 'sent'}: ${counts}`);
});

async function countPaid(target: TargetId, sent: number, ctx: Pick<TestContext, 'annotate'>): Promise<void> {
  paid.set(target, (paid.get(target) ?? 0) + sent);
  const line = `paid requests: ${sent} in this test, ${paid.get(target)} in DOC-09 on ${target} so far (${mode})`;
  await allure.attachment('paid requests', line, 'text/plain');
  await ctx.annotate(line, 'cost');
}

describe.each(targets)('warm models %s', (target) => {
  for (const pipeline of pipelineList()) {
    const model = pipeline.warmModel;
    if (!model) continue;
    const name = `DOC-09 warm model ${model} answers ${pipeline.path}`;
    const about = { check: 'DOC-09', subject: target, pipeline: pipeline.id } as const;
    const status = statusOf(target, pipeline.id);
    if (!status.served) {
      check.skip(about, name, status.reason);
      continue;
    }
    check(about, name, async (ctx) => {
      const request = build(cheapestDraft(pipeline.id, model));
      const exchange = await ctx.api.client(target).send(request);
      await countPaid(target, exchange.error?.kind === 'budget' ? 0 : 1, ctx);
      await judgeCheck(ctx, target, {
        check: 'DOC-09',
        pipeline: pipeline.id,
        documented: { summary: `200 ${pipeline.responseModel} (no cold start)`, status: 200, body: responseSchemaFor(pipeline.responseModel, target) },
        // Warm means no load: the answer comes within the budget (recorded time in replay), on either side.
        requires: [{ summary: `a warm model answers within LIVEPEER_WARM_BUDGET_MS=${warmBudgetMs} ms (a slower answer means it was cold)`, withinMs: warmBudgetMs }],
      }, { exchange });
    }, paidTestTimeout(timeouts));
  }
});
