// The suite's `test`: vitest's, extended with the run's config and a session (mode driver and
// clients) per spec file, and `check`, which declares a contract test with what it checks (test
// meta) so that reporters know its check and subject even when it is skipped or breaks early.
// Specs never read process.env; configuration comes from globalSetup.
import { basename } from 'node:path';
import { inject, test as base, type TestContext } from 'vitest';
import { CHECKS, SUITE, type CheckId, type PipelineId, type Subject, type TargetId } from '../catalogue.ts';
import type { Config } from '../config.ts';
import { Session } from '../modes/session.ts';
import type { About, RunInfo } from '../report/run-record.ts';
import { onSubject } from '../verdict/check.ts';
import { useRegistryOf } from '../deviations/registry.ts';
import { retiredMark } from '../modes/retired-marks.ts';
import { DEFAULT_TEST_TIMEOUT_MS, rateLimitAllowanceMs } from './deadlines.ts';
import { pipelineStatus, retiredReason, type PipelineStatus } from './served.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    config: Config;
    run: RunInfo;
  }
}

/** The run's configuration, checked once by globalSetup. Usable at collection time. */
export const runConfig = (): Config => inject('config');
/** What this run is: against the configured target(s), or the suite checking itself. */
export const runInfo = (): RunInfo => inject('run');

// Every check of this worker is judged against the registry of the run's fixtures (code pins and
// the reviewed data pins of <fixtures>/pins/), as the global setup checked it.
useRegistryOf(runConfig().fixturesDir);

export const test = base
  .extend('session', { scope: 'file' }, async ({}, { onCleanup }) => {
    const session = new Session(runConfig(), runInfo());
    onCleanup(async () => {
      await session.finish();
    });
    return session;
  })
  // The session, reset for this test: sequences restart, exchanges are collected afresh.
  .extend('api', async ({ session, task }) => {
    session.area = basename(task.file.name).replace(/\.(spec|test)\.ts$/, '');
    session.beginTest(task.meta.about);
    return session;
  });

/** What a check of a target's answers gets: the session (clients, mode), the test, its annotations. */
export type ContractContext = Pick<TestContext, 'task' | 'annotate'> & { api: Session };
/** What a check of the client code gets: no session, so nothing is intercepted or sent on its behalf. */
export type ClientContext = Pick<TestContext, 'task' | 'annotate'>;

export interface Declared {
  check: CheckId;
  subject: Subject;
  pipeline?: PipelineId;
  case?: string;
}

const aboutOf = (d: Declared): About => ({ check: d.check, subject: d.subject, ...(d.pipeline ? { pipeline: d.pipeline } : {}), ...(d.case ? { case: d.case } : {}) });
const titleOf = (d: Declared, name: string) => `${name} ${onSubject(d.subject)}`;

function scoped(d: Declared, scope: 'target' | 'client'): void {
  if (CHECKS[d.check].scope !== scope) throw new Error(`${d.check} is a check of ${CHECKS[d.check].scope === 'client' ? 'the client code: declare it with clientCheck' : "a target's answers: declare it with check"}`);
  if ((scope === 'client') !== (d.subject === SUITE)) throw new Error(`${d.check} is declared on ${d.subject}: ${scope === 'client' ? 'a check of the client code speaks for the suite' : 'a check of a target speaks for a target'}`);
}

/** How the run treats a pipeline on a target: served, absent (RUN-01 checks it), left out, or retired. */
export const statusOf = (target: TargetId, pipeline: PipelineId): PipelineStatus => pipelineStatus(runInfo(), target, pipeline);

/**
 * A contract test of what a target answers: `<name> [<target>]`, with its check and subject in the
 * test's meta. When another check of the run has found its pipeline retired (410 Gone), it is
 * skipped as retired rather than meeting the same 410 again.
 */
export function check(declared: Declared, name: string, body: (ctx: ContractContext) => Promise<void>, timeout?: number): void {
  scoped(declared, 'target');
  // A paced target: the test also outlives its turn on the rate limit (support/run/deadlines.ts).
  const pacing = declared.subject === SUITE ? 0 : rateLimitAllowanceMs(runConfig(), declared.subject, runInfo().plan[declared.subject]?.counted);
  const testTimeout = pacing > 0 ? (timeout ?? DEFAULT_TEST_TIMEOUT_MS) + pacing : timeout;
  test(titleOf(declared, name), { meta: { about: aboutOf(declared) }, ...(testTimeout !== undefined ? { timeout: testTimeout } : {}) }, ({ api, task, annotate, skip }) => {
    const retired = declared.pipeline && declared.subject !== SUITE ? retiredMark(api.config.reportsDir, declared.subject, declared.pipeline) : undefined;
    if (retired) return skip(retiredReason(retired));
    return body({ api, task, annotate });
  });
}

/** A contract test that cannot run here, with the reason in its name. */
check.skip = (declared: Declared, name: string, reason: string): void => {
  test.skip(`${name}: ${reason} ${onSubject(declared.subject)}`, { meta: { about: aboutOf(declared) } }, () => {});
};

/**
 * A contract test of the client code (catalogue scope `client`): `<name> [suite]`. It runs once, in
 * a run against targets; a self-check run (loopback) skips it, since no target's answer enters it.
 */
export function clientCheck(declared: Omit<Declared, 'subject'>, name: string, body: (ctx: ClientContext) => Promise<void>, timeout?: number): void {
  const d: Declared = { ...declared, subject: SUITE };
  scoped(d, 'client');
  const meta = { about: aboutOf(d) };
  if (runInfo().kind === 'self-check') {
    test.skip(`${titleOf(d, name)}: a check of the client code, judged once by the run against targets`, { meta }, () => {});
    return;
  }
  test(titleOf(d, name), { meta, ...(timeout !== undefined ? { timeout } : {}) }, ({ task, annotate }) => body({ task, annotate }));
}

clientCheck.skip = (declared: Omit<Declared, 'subject'>, name: string, reason: string): void => check.skip({ ...declared, subject: SUITE }, name, reason);

export { describe, expect } from 'vitest';
