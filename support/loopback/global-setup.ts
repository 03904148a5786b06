// globalSetup of the live-loopback-<target> projects: the suite checking itself, the contract specs
// in live mode, over real sockets, against servers on 127.0.0.1 that answer from the committed
// fixtures. A self-check run: its verdicts go to their own file, never to a target's gate. Starts
// one server per worker slot (so that files running side by side never share a recorded sequence),
// hands the workers a config built from a fixed environment, and stops the servers at the end.
import { availableParallelism } from 'node:os';
import type { TestProject } from 'vitest/node';
import { reportsDirFrom } from '../paths.ts';
import { startRun, withoutStack } from '../run/global-setup.ts';
import { TARGETS } from '../catalogue.ts';
import { LOOPBACK_KEY, loopbackConfig, loopbackNeedsKey, loopbackRetryScale } from './env.ts';
import { RateLedger } from './rate-ledger.ts';
import { targetOfProject, type LoopbackContext } from './projects.ts';
import { startLoopbackTarget, startStatusPage } from './server.ts';

const FIXTURES_DIR = 'fixtures';

/** How many files can run at once: vitest numbers its workers 1..this (VITEST_POOL_ID). */
function workerSlots(project: TestProject): number {
  return project.config.maxWorkers || project.vitest.config.maxWorkers || Math.max(availableParallelism() - 1, 1);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const target = targetOfProject(project.name);
  const key = loopbackNeedsKey(FIXTURES_DIR, target) ? LOOPBACK_KEY : undefined;
  // A target with a rate limit limits here too, across all its servers (they are one Studio).
  const perMinute = TARGETS[target].rateLimitPerMin;
  const rateLimit = perMinute ? new RateLedger(perMinute, loopbackRetryScale(target)) : undefined;
  const servers = await Promise.all(
    Array.from({ length: workerSlots(project) }, () => startLoopbackTarget({ target, fixturesDir: FIXTURES_DIR, validKeys: key ? [key] : undefined, ...(rateLimit ? { rateLimit } : {}) })),
  );
  const status = await startStatusPage();
  const teardown = async () => {
    if (rateLimit) console.log(`loopback ${target}: its rate limit (${perMinute} per ${rateLimit.windowMs} ms) refused ${[...rateLimit.refused.values()].reduce((a, b) => a + b, 0)} request(s)`);
    await Promise.all([...servers.map((s) => s.close()), status.close()]);
  };
  try {
    const reportsDir = reportsDirFrom(process.env);
    const config = withoutStack(() => loopbackConfig({ target, url: servers[0]!.url, statusUrl: status.url, fixturesDir: FIXTURES_DIR, reportsDir, key }));
    const { run, banner } = await startRun(config, 'self-check', project.name);
    console.log(`${banner} · ${servers.length} loopback server(s) answering from ${FIXTURES_DIR}/cassettes/${target}`);
    project.provide('config', config);
    project.provide('run', run);
    project.provide('loopback', { target, slots: servers.map((s) => ({ url: s.url, resetUrl: s.resetUrl })) } satisfies LoopbackContext);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
