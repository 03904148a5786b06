// DOC-11: "a wrong or missing API key gets 401; do not retry it" (production checklist), on every
// pipeline a target serves, in four cases: no key, a malformed header, an unknown key, and the
// key under a scheme other than Bearer (`Authorization: Token <key>`).
//
// Documented: status 401. The docs show no body; the docs v2 authentication page claims
// {"error":"Unauthorized","message":"Invalid API key"}, which Studio's code contradicts and the
// docs v2 pages are marked unverified (contract-notes.md §5, §6 items 5 and 16), so no body shape
// is part of the documented expectation. A target that checks no key (the gateway; a runner
// without AUTH_TOKEN) is a pinned deviation; what it is sent is chosen so that nothing generates
// (support/data/auth-probe.ts).
//
// "Do not retry it": each request goes through the checklist retry policy (support/retry/retry.ts),
// which must make exactly one attempt and never wait on what the target answered.
import * as allure from 'allure-js-commons';
import { z } from 'zod';
import { pipelineList } from '../support/catalogue.ts';
import { AUTH_CASES, authCaseFor, authProbe } from '../support/data/auth-probe.ts';
import { CHECKLIST_POLICY, formatAttempts, retryWithPolicy } from '../support/retry/retry.ts';
import { checksTestTimeout } from '../support/run/deadlines.ts';
import { check, describe, runConfig, runInfo, statusOf } from '../support/run/test.ts';
import { anyBody, type Expectation } from '../support/schemas/expectations.ts';
import { judgeCheck } from '../support/verdict/check.ts';

const { targets, timeouts } = runConfig();
/** One request, refused before inference: the test outlives its check deadline. */
const CHECK_TEST_MS = checksTestTimeout(timeouts, 1);

const UNAUTHORIZED: Expectation = { summary: '401 Unauthorized (the docs show no body)', status: 401, body: anyBody };

/** "Do not retry it": whatever the target answered, the checklist policy made one attempt and never waited. */
const NOT_RETRIED: Expectation = {
  summary: 'one attempt, no wait (the checklist policy does not retry what came)',
  sequence: z.object({ attempts: z.literal(1, { error: 'expected exactly one attempt: do not retry it' }), waitsMs: z.tuple([], { error: 'expected no wait before a retry' }) }),
};

describe.each(targets)('auth %s', (target) => {
  for (const pipeline of pipelineList()) {
    const status = statusOf(target, pipeline.id);
    if (!status.served) {
      check.skip({ check: 'DOC-11', subject: target, pipeline: pipeline.id }, `DOC-11 ${pipeline.path}`, status.reason);
      continue;
    }
    for (const authCase of AUTH_CASES) {
      check({ check: 'DOC-11', subject: target, pipeline: pipeline.id, case: authCase.id }, `DOC-11 ${authCase.id} on ${pipeline.path} answers 401`, async (ctx) => {
        const request = authProbe(target, pipeline.id, authCase.auth);
        const client = ctx.api.client(target);
        const waitsMs: number[] = [];
        const retried = await retryWithPolicy(() => client.send(request), CHECKLIST_POLICY, {
          sleep: async (ms) => {
            waitsMs.push(ms);
          },
        });
        await allure.attachment('retry attempts (checklist policy)', formatAttempts(retried), 'text/plain');
        await judgeCheck(
          ctx,
          target,
          { check: 'DOC-11', pipeline: pipeline.id, case: authCaseFor(target, authCase, runInfo().checksToken[target] ?? false), documented: UNAUTHORIZED, requires: [NOT_RETRIED] },
          { exchange: retried.attempts[0]!.outcome, final: retried.final, sequence: { attempts: retried.attempts.length, waitsMs } },
        );
      }, CHECK_TEST_MS);
    }
  }
});
