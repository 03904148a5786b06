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
import { z } from 'zod';
import type { CaseOf, TargetId } from '../support/catalogue.ts';
import { RATE_LIMITS, SERVER_ERROR, serverErrorHint, type LayerAnswer } from '../support/data/failure-modes.ts';
import { build, encodedAs, minimalDraft, unpaid, withField, withoutField } from '../support/data/requests.ts';
import { BURST_CASE } from '../support/deviations/error-handling.ts';
import type { Exchange } from '../support/http/exchange.ts';
import { CHECKLIST_POLICY, parseRetryAfter, waitBefore } from '../support/retry/retry.ts';
import { reportRetryRun, retryRequest, sleptForReal, type RetryRun } from '../support/retry/retry-run.ts';
import { checksTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, statusOf, type ContractContext } from '../support/run/test.ts';
import { anyBody, fieldsEqual, type Expectation } from '../support/schemas/expectations.ts';
import { errorDialect, responseSchemaFor } from '../support/schemas/index.ts';
import { judgeCheck } from '../support/verdict/check.ts';

const { targets, mode, timeouts, retryScale } = runConfig();
const PIPELINE = 'text-to-image';

/** A request of its own per case (the prompt names it), so each case is its own cassette sequence. */
const caseRequest = (label: string) => build(withField(minimalDraft(PIPELINE), 'prompt', `test (${label})`));

/** Studio's default cap is 20 a minute: one more request than that, quickly, one after another. */
const BURST = 21;

const anErrorBody = z.unknown().refine((body) => errorDialect(body) !== undefined, {
  error: 'expected an error body of a known dialect (runner, FastAPI, Starlette, gateway, Studio, plain text)',
});

/** The layer's own answer, exactly (support/data/failure-modes.ts): required on either side. */
const layerAnswer = (answer: LayerAnswer): Expectation => ({ summary: `the layer's own answer ${answer.summary} (${answer.evidence.join('; ')})`, status: answer.status, body: answer.body });

/** What retrying did, for the sequence facet: each attempt with its wait, and the waits slept. */
const trace = (run: RetryRun) => ({
  attempts: run.result.attempts.map((a) => `${a.seen} after ${a.waitBeforeMs} ms (${a.waitSource})`),
  sleeps: run.sleeps,
  gaveUp: run.result.gaveUp,
});

/** Exactly one retry: the attempts `seen`, the retry after `waitMs` from `source`. */
function oneRetry(seen: string[], waitMs: number, source: string, gaveUp: boolean): Expectation {
  const attempts = seen.map((s, i) => (i === 0 ? `${s} after 0 ms (none)` : `${s} after ${waitMs} ms (${source})`));
  return { summary: `attempts ${attempts.join(' → ')}${gaveUp ? ', then given up' : ''}`, sequence: fieldsEqual({ attempts, sleeps: [waitMs], gaveUp }) };
}

/** The answer after the retry is the image the request asked for. */
const answeredWithImage = (target: TargetId): Expectation => ({ summary: 'the retry answers 200 ImageResponse', final: { summary: '200 ImageResponse', status: 200, body: responseSchemaFor('ImageResponse', target) } });

/** Sends the case's request under the checklist policy; the first answer is the one judged. */
async function retried(ctx: ContractContext, target: TargetId, label: string): Promise<{ run: RetryRun; first: Exchange }> {
  const run = await retryRequest(ctx.api, target, caseRequest(label), CHECKLIST_POLICY);
  const first = run.result.attempts[0]!.outcome;
  await reportRetryRun(run, first);
  await ctx.annotate(run.summary, 'retry');
  if (sleptForReal(run, mode)) throw new Error(`replay slept for real: ${run.realMs} ms for ${run.result.totalWaitMs} ms of waits (it records them)`);
  return { run, first };
}

describe.each(targets)('error handling %s', (target) => {
  // ---------------------------------------------------------------------------------------------
  // DOC-12
  const limit = RATE_LIMITS[target];
  const status = statusOf(target, PIPELINE);
  const burstStatus = statusOf(target, 'image-to-image');
  if (limit.kind === 'limited' && !status.served) {
    check.skip({ check: 'DOC-12', subject: target, pipeline: PIPELINE }, `DOC-12 429 on /${PIPELINE}`, status.reason);
  } else if (limit.kind === 'none' && !burstStatus.served) {
    check.skip({ check: 'DOC-12', subject: target, pipeline: 'image-to-image', case: BURST_CASE }, `DOC-12 a burst of ${BURST} requests to /image-to-image`, burstStatus.reason);
  } else if (limit.kind === 'limited') {
    const cases = [
      { id: 'retry-after', label: 'DOC-12: 429 with Retry-After', name: 'DOC-12 429 with Retry-After: the checklist policy waits the window the header names, then the retry answers 200' },
      { id: 'no-retry-after', label: 'DOC-12: 429 without Retry-After', name: 'DOC-12 429 without Retry-After (e.g. stripped by a proxy): the checklist policy backs off on the documented schedule, then the retry answers 200' },
    ] as const satisfies readonly { id: CaseOf<'DOC-12'>; label: string; name: string }[];
    for (const c of cases) {
      const about = { check: 'DOC-12', subject: target, pipeline: PIPELINE, case: c.id } as const;
      if (mode !== 'replay') {
        check.skip(about, c.name, `replay only, ${limit.liveCost}`);
        continue;
      }
      check(about, c.name, async (ctx) => {
        const { run, first } = await retried(ctx, target, c.label);
        const header = first.response?.headers['retry-after'];
        const requires: Expectation[] = [layerAnswer(limit.answer), answeredWithImage(target)];
        if (c.id === 'retry-after') {
          requires.push({ summary: 'Retry-After: whole seconds ≥ 1 (contract-notes §2.3.3)', headers: { 'retry-after': z.string().regex(/^[1-9]\d*$/, { error: 'expected whole seconds ≥ 1' }) } });
          const windowMs = parseRetryAfter(header, Date.now()) ?? Number.NaN;
          requires.push(oneRetry(['429', '200'], windowMs * retryScale, 'retry-after', false));
        } else {
          requires.push({ summary: 'no Retry-After header (this case is the 429 without one)', headers: { 'retry-after': z.undefined({ error: 'expected no Retry-After' }) } });
          requires.push(oneRetry(['429', '200'], waitBefore(0) * retryScale, 'schedule', false));
        }
        await judgeCheck(ctx, target, {
          check: 'DOC-12',
          pipeline: PIPELINE,
          case: c.id,
          documented: { summary: '429 Too Many Requests (the rate-limit window is full; any body)', status: 429, body: anyBody },
          requires,
        }, { exchange: first, final: run.result.final, sequence: trace(run) }, [`retry: ${run.summary}`]);
      });
    }
    // What the limiter counts, which the run's pacing relies on: while the window is full, a
    // request refused before the limiter still gets its own answer (and is not counted); the limit
    // is per user, so another pipeline gets the 429 too (studio-observed.md §7).
    const notCounted = { check: 'DOC-12', subject: target, pipeline: PIPELINE, case: 'not counted' } as const;
    const notCountedName = `DOC-12 while the window is full: an invalid body still gets its 422 (validation comes before the limiter, so it is not counted), another pipeline gets the 429 too (per user)`;
    if (mode !== 'replay') check.skip(notCounted, notCountedName, `replay only, ${limit.liveCost}`);
    else
      check(notCounted, notCountedName, async (ctx) => {
        const client = ctx.api.client(target);
        const full = await client.send(caseRequest('DOC-12: window full'));
        const invalid = await client.send(build(unpaid(withoutField(minimalDraft(PIPELINE), 'prompt'))));
        const other = await client.send(build(withField(minimalDraft('upscale'), 'prompt', 'test (DOC-12: window full)')));
        const statuses = { invalidBody: invalid.response?.status ?? invalid.error?.kind, otherPipeline: other.response?.status ?? other.error?.kind };
        await judgeCheck(ctx, target, {
          check: 'DOC-12',
          pipeline: PIPELINE,
          case: 'not counted',
          documented: { summary: '429 Too Many Requests (the rate-limit window is full; any body)', status: 429, body: anyBody },
          requires: [
            layerAnswer(limit.answer),
            {
              summary: `while limited: a body without prompt answers 422, /upscale answers 429 (${limit.counting.join('; ')})`,
              sequence: fieldsEqual({ invalidBody: 422, otherPipeline: 429 }),
            },
          ],
        }, { exchange: full, sequence: statuses }, [`while limited: invalid body → ${statuses.invalidBody}, /upscale → ${statuses.otherPipeline}`]);
      }, checksTestTimeout(timeouts, 3));
  } else {
    check(
      { check: 'DOC-12', subject: target, pipeline: 'image-to-image', case: BURST_CASE },
      `DOC-12 a burst of ${BURST} requests gets no 429: ${limit.reason}`,
      async (ctx) => {
        // Rejected before inference on every layer: free live, and not a generation anywhere.
        const request = build(unpaid(encodedAs(withField(minimalDraft('image-to-image'), 'prompt', 'test (DOC-12: burst)'), 'json')));
        const answers: Exchange[] = [];
        for (let i = 0; i < BURST; i++) {
          const x = await ctx.api.client(target).send(request);
          answers.push(x);
          if (!x.response || x.response.status === 429) break;
        }
        const statuses = answers.map((x) => (x.response ? x.response.status : x.error?.kind));
        await allure.attachment('burst statuses', statuses.join(' '), 'text/plain');
        // A 429 anywhere is what the docs describe: judge it (the pin then goes stale); else the last answer.
        const judged = answers.find((x) => x.response?.status === 429) ?? answers.at(-1)!;
        await judgeCheck(ctx, target, {
          check: 'DOC-12',
          pipeline: 'image-to-image',
          case: BURST_CASE,
          documented: { summary: `429 once a burst of ${BURST} requests fills the rate-limit window (any body)`, status: 429, body: anyBody },
          requires: [{
            summary: `all ${BURST} answers of the burst alike (${limit.evidence.join('; ')})`,
            sequence: z.object({ statuses: z.array(z.unknown()).length(BURST, { error: `expected ${BURST} answers` }).refine((s) => new Set(s).size === 1, { error: 'expected every answer of the burst to be the same' }) }),
          }],
        }, { exchange: judged, sequence: { statuses } }, [`burst statuses: ${statuses.join(' ')}`]);
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
  ] as const satisfies readonly { id: CaseOf<'DOC-13'>; label: string; name: string }[];
  for (const c of cases13) {
    const about = { check: 'DOC-13', subject: target, pipeline: PIPELINE, case: c.id } as const;
    if (!status.served) {
      check.skip(about, c.name, status.reason);
      continue;
    }
    if (mode !== 'replay') {
      check.skip(about, c.name, 'replay only, no live target answers 500 on demand');
      continue;
    }
    check(about, c.name, async (ctx) => {
      const { run, first } = await retried(ctx, target, c.label);
      const wait = waitBefore(0) * retryScale;
      const requires: Expectation[] =
        c.id === 'retry helps'
          ? [layerAnswer(serverError), oneRetry(['500', '200'], wait, 'schedule', false), answeredWithImage(target)]
          : [layerAnswer(serverError), oneRetry(['500', '500'], wait, 'schedule', true), { summary: `the retry gets the same: ${serverError.summary}`, final: layerAnswer(serverError) }];
      const notes = [`retry: ${run.summary}`];
      if (c.id === 'persists') {
        const hint = serverErrorHint(caseRequest(c.label));
        await allure.attachment('DOC-13 hint', hint, 'text/plain');
        await ctx.annotate(hint, 'hint');
        notes.push(...hint.split('\n'));
      }
      await judgeCheck(ctx, target, {
        check: 'DOC-13',
        pipeline: PIPELINE,
        case: c.id,
        documented: { summary: '500 with an error body', status: 500, body: anErrorBody },
        requires,
      }, { exchange: first, final: run.result.final, sequence: trace(run) }, notes);
    });
  }
});
