// DOC-14: "set a global timeout on every request; 300 s is recommended for cold models"
// (production checklist). The suite's client is the client the docs address: every request it
// sends to a target has a deadline (300 s for requests that run a model, a shorter one for the
// checks a target rejects before inference), and a target that never answers ends in the client's
// "no response after N s … npm run diagnose", never in a hung run or the test runner's bare
// timeout. support/http/timeouts.test.ts proves the deadlines against a server on 127.0.0.1 that never
// answers; these checks hold the configured bounds to the documented value, to each other and to
// the test timeouts, and set them against each target's own limit upstream where it has one
// (Studio gives up on the gateway after 10 min; a go-livepeer gateway never gives up on an
// orchestrator: support/data/failure-modes.ts UPSTREAM_LIMITS).
import * as allure from 'allure-js-commons';
import type { TestContext } from 'vitest';
import type { TargetId } from '../support/catalogue.ts';
import { onTarget } from '../support/verdict/check.ts';
import { DOCUMENTED_GLOBAL_TIMEOUT_MS, paidTestTimeout } from '../support/run/deadlines.ts';
import { UPSTREAM_LIMITS } from '../support/data/failure-modes.ts';
import { docLabels, LABELS, labelCheck } from '../support/report/allure.ts';
import { build, minimalDraft, unpaid } from '../support/data/requests.ts';
import { describe, expect, runConfig, test } from '../support/run/test.ts';

const { targets, mode, timeouts } = runConfig();

const paidRequest = build(minimalDraft('text-to-image'));
const checkRequest = build(unpaid(minimalDraft('text-to-image')));
const seconds = (ms: number) => `${ms / 1000} s`;

async function label(target: TargetId): Promise<void> {
  await labelCheck(docLabels('DOC-14', target, mode));
}

/** Called last: reached only when every assertion above held. */
async function conforms(annotate: TestContext['annotate'], note?: string): Promise<void> {
  await allure.label(LABELS.outcome, 'conforms');
  await annotate(note ? `conforms (${note})` : 'conforms', 'outcome');
}

describe.each(targets)('timeouts %s', (target) => {
  test(`DOC-14 a request that runs a model ends at the documented 300 s global timeout ${onTarget(target)}`, async ({ api, annotate }) => {
    await label(target);
    const deadline = api.client(target).deadlineFor(paidRequest);
    expect(deadline, 'the deadline of a paid request is LIVEPEER_REQUEST_TIMEOUT_MS').toBe(timeouts.generationMs);
    const overridden = deadline !== DOCUMENTED_GLOBAL_TIMEOUT_MS;
    await conforms(annotate, overridden ? `LIVEPEER_REQUEST_TIMEOUT_MS=${deadline} overrides the documented ${seconds(DOCUMENTED_GLOBAL_TIMEOUT_MS)} in this run` : `deadline ${seconds(deadline)}`);
  });

  test(`DOC-14 a check rejected before inference has a shorter deadline than generation ${onTarget(target)}`, async ({ api, annotate }) => {
    await label(target);
    const deadline = api.client(target).deadlineFor(checkRequest);
    expect(deadline, 'the deadline of an unpaid check is LIVEPEER_CHECK_TIMEOUT_MS').toBe(timeouts.checkMs);
    expect(deadline, `LIVEPEER_CHECK_TIMEOUT_MS (${deadline} ms) must be below LIVEPEER_REQUEST_TIMEOUT_MS (${timeouts.generationMs} ms)`).toBeLessThan(timeouts.generationMs);
    await conforms(annotate, `check ${seconds(deadline)} < generation ${seconds(timeouts.generationMs)}`);
  });

  // This test runs with the default test timeout, as every unpaid check does.
  test(`DOC-14 a target that never answers fails with the client's "no response after N s", before the test's own timeout ${onTarget(target)}`, async ({ annotate, task }) => {
    await label(target);
    expect(
      task.timeout,
      `vitest's testTimeout (${task.timeout} ms) must exceed LIVEPEER_CHECK_TIMEOUT_MS (${timeouts.checkMs} ms), or a hung check ends in "Test timed out" instead of the client's message: raise testTimeout in vitest.config.ts or lower the variable`,
    ).toBeGreaterThan(timeouts.checkMs);
    expect(paidTestTimeout(timeouts), 'a paid test outlives its request').toBeGreaterThan(timeouts.generationMs);
    await conforms(annotate, `test timeout ${seconds(task.timeout)} > check deadline ${seconds(timeouts.checkMs)}`);
  });

  const upstream = UPSTREAM_LIMITS[target];
  const name = 'DOC-14 the global timeout ends before the target gives up upstream';
  if (upstream.kind === 'unbounded') {
    test.skip(`${name}: no limit of its own, ${upstream.reason} (${upstream.evidence.join('; ')}) ${onTarget(target)}`, () => {});
    return;
  }
  test(`${name} (${seconds(upstream.limitMs)} toward ${upstream.toward}) ${onTarget(target)}`, async ({ api, annotate }) => {
    await label(target);
    await allure.attachment('upstream limit', `${target} gives up on ${upstream.toward} after ${seconds(upstream.limitMs)} and answers ${upstream.answer}.\nEvidence: ${upstream.evidence.join('; ')}`, 'text/plain');
    const deadline = api.client(target).deadlineFor(paidRequest);
    expect(
      deadline,
      `LIVEPEER_REQUEST_TIMEOUT_MS (${deadline} ms) must be below ${target}'s own ${upstream.limitMs} ms limit toward ${upstream.toward}, or a slow generation ends in ${upstream.answer} instead of the client's "no response"`,
    ).toBeLessThan(upstream.limitMs);
    await conforms(annotate, `the client gives up after ${seconds(deadline)}, ${target} after ${seconds(upstream.limitMs)}: ${upstream.answer} is never seen`);
  });
});
