// DOC-14: "set a global timeout on every request; 300 s is recommended for cold models"
// (production checklist). The suite's client is the client the docs address, so this is a check of
// client code, judged once (the `suite` column): the deadline a request that runs a model is
// really sent with, and what the client does when a server on 127.0.0.1 accepts the request and
// never answers (support/http/deadline-checks.ts). No target's answer enters it; where a target is
// slow or silent, the checks that talk to it end in "no answer", at their deadline.
import { clientCheck, describe, runConfig } from '../support/run/test.ts';
import { documentedPaidDeadline, documentedSilentCut, DOCUMENTED_GLOBAL_TIMEOUT_MS, observePaidDeadline, observeSilentCut } from '../support/http/deadline-checks.ts';
import { judgeCheck } from '../support/verdict/check.ts';
import { SUITE } from '../support/catalogue.ts';

const { timeouts } = runConfig();

describe('DOC-14 a global timeout on every request', () => {
  const paidName = `DOC-14 a request that runs a model is sent with the documented ${DOCUMENTED_GLOBAL_TIMEOUT_MS / 1000} s global timeout`;
  if (timeouts.generationMs !== DOCUMENTED_GLOBAL_TIMEOUT_MS) {
    clientCheck.skip({ check: 'DOC-14' }, paidName, `LIVEPEER_REQUEST_TIMEOUT_MS=${timeouts.generationMs} replaces the documented ${DOCUMENTED_GLOBAL_TIMEOUT_MS} ms in this run`);
  } else {
    clientCheck({ check: 'DOC-14' }, paidName, async (ctx) => {
      const observed = await observePaidDeadline(timeouts);
      await judgeCheck(ctx, SUITE, { check: 'DOC-14', documented: documentedPaidDeadline }, { client: observed }, [`the client sent it with a deadline of ${observed.deadlineMs ?? 'none'} ms`]);
    });
  }

  clientCheck({ check: 'DOC-14' }, 'DOC-14 a server that accepts the request and never answers is cut at the deadline with "no response after N s"', async (ctx) => {
    const observed = await observeSilentCut(timeouts);
    await judgeCheck(ctx, SUITE, { check: 'DOC-14', documented: documentedSilentCut() }, { client: observed }, [`the request ended: ${observed.ended}${observed.message ? ` (${observed.message})` : ''}`]);
  });
});
