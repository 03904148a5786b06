// What the production checklist tells a client to do with two failures, and what each layer
// gives it to work with.
//
// DOC-12, 429: "back off and retry after the rate-limit window". Where a layer rate-limits
// (Studio: 20 logged requests a minute per user, 429 + Retry-After in whole seconds), the
// checklist policy (support/retry/retry.ts, CHECKLIST_POLICY) must wait exactly what Retry-After says
// and then get its answer; without the header it falls back to the documented schedule (5 s).
// Provoking the limit live takes more paid requests than a run's budget, so these run from
// cassettes. Where a layer has no rate limit (gateway, runner), the check sends a burst of
// requests that are rejected before inference (free) and pins that none is ever a 429: a 429
// appearing there is a change the suite must notice.
//
// DOC-13, 500: "retry once; if it persists, check model_id, dimensions and file format". Each
// layer's 500 body, retried once after the schedule's first wait: once the retry answers 200, once
// the 500 persists and the check reports the hint, filled in from the request. No live target
// answers 500 on demand, so these run from cassettes.
import * as allure from 'allure-js-commons';
import type { TestContext } from 'vitest';
import { z } from 'zod';
import { checkAfterVerdict } from '../support/verdict/after-verdict.ts';
import type { TargetId } from '../support/catalogue.ts';
import { judgeExchange, onTarget } from '../support/verdict/check.ts';
import { checksTestTimeout } from '../support/run/deadlines.ts';
import { BURST_CASE } from '../support/deviations/error-handling.ts';
import { describeOutcome, type Exchange } from '../support/http/exchange.ts';
import { anyBody } from '../support/schemas/expectations.ts';
import { RATE_LIMITS, SERVER_ERROR, serverErrorHint, type LayerAnswer } from '../support/data/failure-modes.ts';
import { build, encodedAs, minimalDraft, unpaid, withField } from '../support/data/requests.ts';
import { CHECKLIST_POLICY, parseRetryAfter, waitBefore } from '../support/retry/retry.ts';
import { reportRetryRun, retryRequest, sleptForReal, type RetryRun } from '../support/retry/retry-run.ts';
import { errorDialect, responseSchemaFor } from '../support/schemas/index.ts';
import type { Session } from '../support/modes/session.ts';
import { describe, expect, runConfig, test } from '../support/run/test.ts';

const { targets, mode, timeouts, retryScale } = runConfig();
const PIPELINE = 'text-to-image';

/** A request of its own per case (the prompt names it), so each case is its own cassette sequence. */
const caseRequest = (label: string) => build(withField(minimalDraft(PIPELINE), 'prompt', `test (${label})`));

/** Studio's default cap is 20 a minute: one more request than that, quickly, one after another. */
const BURST = 21;

const anErrorBody = z.unknown().refine((body) => errorDialect(body) !== undefined, {
  error: 'expected an error body of a known dialect (runner, FastAPI, Starlette, gateway, Studio, plain text)',
});

/** The layer's exact answer, checked after the verdict. */
async function checkLayerAnswer(ctx: Pick<TestContext, 'annotate'>, doc: 'DOC-12' | 'DOC-13', target: TargetId, x: Exchange, answer: LayerAnswer): Promise<void> {
  const holds = x.response?.status === answer.status && answer.body.safeParse(x.response.json ?? x.response.text).success;
  await checkAfterVerdict(ctx, { doc, target, expected: `the layer's own answer ${answer.summary} (${answer.evidence.join('; ')})`, seen: describeOutcome(x), holds, exchange: x });
}

/** The attempts were exactly `seen`, and the one retry waited `waitMs` from `source`. */
async function checkOneRetry(ctx: Pick<TestContext, 'annotate'>, doc: 'DOC-12' | 'DOC-13', target: TargetId, run: RetryRun, seen: string[], waitMs: number, source: string): Promise<void> {
  const attempts = run.result.attempts;
  const got = attempts.map((a) => `${a.seen} after ${a.waitBeforeMs} ms (${a.waitSource})`);
  const want = seen.map((s, i) => (i === 0 ? `${s} after 0 ms (none)` : `${s} after ${waitMs} ms (${source})`));
  await checkAfterVerdict(ctx, {
    doc,
    target,
    expected: `attempts ${want.join(' → ')}`,
    seen: `attempts ${got.join(' → ')}; ${run.result.reason}`,
    holds: JSON.stringify(got) === JSON.stringify(want) && JSON.stringify(run.sleeps) === JSON.stringify([waitMs]),
    exchange: run.result.final,
  });
  expect(sleptForReal(run, mode), 'replay recorded the waits without sleeping').toBe(false);
}

async function runRetried(ctx: Pick<TestContext, 'annotate'>, api: Session, target: TargetId, doc: 'DOC-12' | 'DOC-13', caseId: string, label: string, documented: { summary: string; status: number }) {
  const request = caseRequest(label);
  const run = await retryRequest(api, target, request, CHECKLIST_POLICY);
  const first = run.result.attempts[0]!.outcome;
  await reportRetryRun(run, first);
  await ctx.annotate(run.summary, 'retry');
  await judgeExchange(ctx, api, target, { doc, pipeline: PIPELINE, case: caseId, request, documented: { ...documented, body: doc === 'DOC-13' ? anErrorBody : anyBody } }, first);
  return { request, run, first };
}

/** The answer after the retry is the image the request asked for. */
async function checkAnswered(ctx: Pick<TestContext, 'annotate'>, doc: 'DOC-12' | 'DOC-13', target: TargetId, run: RetryRun): Promise<void> {
  const final = run.result.final;
  const holds = final.response?.status === 200 && responseSchemaFor('ImageResponse', target).safeParse(final.response.json).success;
  await checkAfterVerdict(ctx, { doc, target, expected: 'the retry answers 200 ImageResponse', seen: describeOutcome(final), holds, exchange: final });
}

describe.each(targets)('error handling %s', (target) => {
  // ---------------------------------------------------------------------------------------------
  // DOC-12
  const limit = RATE_LIMITS[target];
  if (limit.kind === 'limited') {
    const cases = [
      { id: 'retry-after', label: 'DOC-12: 429 with Retry-After', name: 'DOC-12 429 with Retry-After: the checklist policy waits the window the header names, then the retry answers 200' },
      { id: 'no-retry-after', label: 'DOC-12: 429 without Retry-After', name: 'DOC-12 429 without Retry-After (e.g. stripped by a proxy): the checklist policy backs off on the documented schedule, then the retry answers 200' },
    ] as const;
    for (const c of cases) {
      if (mode !== 'replay') {
        test.skip(`${c.name}: replay only, ${limit.liveCost} ${onTarget(target)}`, () => {});
        continue;
      }
      test(`${c.name} ${onTarget(target)}`, async ({ api, annotate }) => {
        const { run, first } = await runRetried({ annotate }, api, target, 'DOC-12', c.id, c.label, { summary: '429 Too Many Requests (the rate-limit window is full; any body)', status: 429 });
        await checkLayerAnswer({ annotate }, 'DOC-12', target, first, limit.answer);
        const header = first.response?.headers['retry-after'];
        const windowMs = parseRetryAfter(header, Date.now());
        if (c.id === 'retry-after') {
          await checkAfterVerdict({ annotate }, {
            doc: 'DOC-12',
            target,
            expected: 'Retry-After: whole seconds ≥ 1 (contract-notes §2.3.3)',
            seen: `Retry-After: ${header ?? '(absent)'}`,
            holds: header !== undefined && /^\d+$/.test(header) && Number(header) >= 1,
            exchange: first,
          });
          await checkOneRetry({ annotate }, 'DOC-12', target, run, ['429', '200'], windowMs! * retryScale, 'retry-after');
        } else {
          expect(header, 'this case has no Retry-After').toBeUndefined();
          await checkOneRetry({ annotate }, 'DOC-12', target, run, ['429', '200'], waitBefore(0) * retryScale, 'schedule');
        }
        await checkAnswered({ annotate }, 'DOC-12', target, run);
      });
    }
  } else {
    test(
      `DOC-12 a burst of ${BURST} requests gets no 429: ${limit.reason} ${onTarget(target)}`,
      async ({ api, annotate }) => {
        // Rejected before inference on every layer: free live, and not a generation anywhere.
        const request = build(unpaid(encodedAs(withField(minimalDraft('image-to-image'), 'prompt', 'test (DOC-12: burst)'), 'json')));
        const answers: Exchange[] = [];
        for (let i = 0; i < BURST; i++) {
          const x = await api.client(target).send(request);
          answers.push(x);
          if (!x.response || x.response.status === 429) break;
        }
        const statuses = answers.map((x) => (x.response ? x.response.status : x.error?.kind));
        await allure.attachment('burst statuses', statuses.join(' '), 'text/plain');
        // A 429 anywhere is what the docs describe: judge it (the pin then goes stale); else the last answer.
        const judged = answers.find((x) => x.response?.status === 429) ?? answers.at(-1)!;
        await judgeExchange({ annotate }, api, target, {
          doc: 'DOC-12',
          pipeline: 'image-to-image',
          case: BURST_CASE,
          request,
          documented: { summary: `429 once a burst of ${BURST} requests fills the rate-limit window (any body)`, status: 429, body: anyBody },
        }, judged);
        await checkAfterVerdict({ annotate }, {
          doc: 'DOC-12',
          target,
          expected: `all ${BURST} answers of the burst alike (${limit.evidence.join('; ')})`,
          seen: `statuses ${statuses.join(' ')}`,
          holds: answers.length === BURST && new Set(statuses).size === 1,
          exchange: judged,
        });
      },
      checksTestTimeout(timeouts, BURST),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // DOC-13
  const serverError = SERVER_ERROR[target](PIPELINE);
  const cases13 = [
    { id: 'retry helps', label: 'DOC-13: 500, then 200', name: 'DOC-13 500 is retried once after the first backoff wait, and the retry answers 200' },
    { id: 'persists', label: 'DOC-13: 500 twice', name: 'DOC-13 500 that persists is retried once, then reported with the model_id, dimensions and file format to check' },
  ] as const;
  for (const c of cases13) {
    if (mode !== 'replay') {
      test.skip(`${c.name}: replay only, no live target answers 500 on demand ${onTarget(target)}`, () => {});
      continue;
    }
    test(`${c.name} ${onTarget(target)}`, async ({ api, annotate }) => {
      const { request, run, first } = await runRetried({ annotate }, api, target, 'DOC-13', c.id, c.label, { summary: '500 with an error body', status: 500 });
      await checkLayerAnswer({ annotate }, 'DOC-13', target, first, serverError);
      const wait = waitBefore(0) * retryScale;
      if (c.id === 'retry helps') {
        await checkOneRetry({ annotate }, 'DOC-13', target, run, ['500', '200'], wait, 'schedule');
        await checkAnswered({ annotate }, 'DOC-13', target, run);
        return;
      }
      await checkOneRetry({ annotate }, 'DOC-13', target, run, ['500', '500'], wait, 'schedule');
      await checkLayerAnswer({ annotate }, 'DOC-13', target, run.result.final, serverError);
      expect(run.result.gaveUp, run.result.reason).toBe(true);
      const hint = serverErrorHint(request);
      await allure.attachment('DOC-13 hint', hint, 'text/plain');
      await annotate(hint, 'hint');
      expect(hint).toMatch(/model_id: SG161222\/RealVisXL_V4\.0_Lightning\n.*dimensions: none sent.*\n.*file format: no file sent/);
    });
  }
});
