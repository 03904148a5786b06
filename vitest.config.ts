import { availableParallelism } from 'node:os';
import { config as loadDotenv } from 'dotenv';
import { defineConfig } from 'vitest/config';
import { TARGET_IDS } from './support/catalogue.ts';
import { loopbackProjectName } from './support/loopback/projects.ts';
import { allureResultsDir, reportsDirFrom, selfCheckDir } from './support/paths.ts';
import { DEFAULT_TEST_TIMEOUT_MS } from './support/run/deadlines.ts';
import { CONTRACT_PROJECT, SELF_TEST_PROJECT } from './support/run/projects.ts';

// .env is read here too, so that LIVEPEER_REPORTS_DIR and LIVEPEER_TEST_MODE set there shape the run.
if (process.env.LIVEPEER_SKIP_DOTENV !== '1') loadDotenv({ quiet: true });

// Where results go; the same variable the suite's config reads (default reports/).
const reportsDir = reportsDirFrom(process.env);

// A live or record run is a run against the configured target and nothing else: the suite's
// checks of itself (loopback servers, self-tests) stay in the offline `npm test`, so no result of
// theirs can sit beside the target's. (A bad mode is reported by globalSetup, before any spec.)
const mode = process.env.LIVEPEER_TEST_MODE?.trim();
const againstTargetOnly = mode === 'live' || mode === 'record';

// `vitest list` with no --project lists the checks only: the loopback projects repeat the contract
// specs' names and the self-tests check the suite, not the API (and listing all of them is slow).
const listingChecks = process.argv.includes('list') && !process.argv.some((a) => a.startsWith('--project'));

// At least two workers, even on two cores (vitest's default there is one): a worker spends about a
// third of its time waiting on the main process (results, annotations), so a second one fills it
// (npm run bench: replay suite 10.5 s → 9.3 s; npm test 135 s → 105 s on 2 cores). Only when the
// command line names none: a config's maxWorkers reaches the projects over --maxWorkers.
const workersOnCommandLine = process.argv.some((a) => /^--max-?workers/i.test(a));
const defaultWorkers = Math.max(2, availableParallelism() - 1);

const contract = {
  extends: true as const,
  test: {
    name: CONTRACT_PROJECT,
    include: ['specs/**/*.spec.ts'],
    globalSetup: ['support/run/global-setup.ts'],
    setupFiles: ['allure-vitest/setup', 'support/sdk/sdk-observer.ts'],
    // Spec files share their workers' module graph: each file's state lives in its session
    // fixture (started and stopped per file), so isolation only costs start-up (npm run bench).
    isolate: false,
  },
};

// Projects of one run: the contract specs against the target(s) (mode and targets from the
// environment, checked once by globalSetup); offline, also the suite checking itself: the same
// specs live against loopback servers, and the self-tests.
export default defineConfig({
  test: {
    reporters: [
      'default',
      // No step per expect(): values a matcher compares (a planted key in a self-test, a live
      // config value) would reach the results unredacted. Specs report through support/report/.
      ['./support/report/allure-reporter.ts', { resultsDir: allureResultsDir(reportsDir), selfCheckResultsDir: allureResultsDir(selfCheckDir(reportsDir)), reportMatchers: false }],
      // Each run's verdicts (and the hygiene check after a full replay run).
      './support/report/verdict-reporter.ts',
      ['junit', { outputFile: `${reportsDir}/junit.xml` }],
      ['json', { outputFile: `${reportsDir}/vitest.json` }],
    ],
    // Above LIVEPEER_CHECK_TIMEOUT_MS (default 30 s) so a hung unpaid check fails with the client's
    // "no response after N s", not vitest's timeout; paid and paced tests set their own (support/run/deadlines.ts).
    testTimeout: DEFAULT_TEST_TIMEOUT_MS,
    ...(workersOnCommandLine ? {} : { maxWorkers: defaultWorkers }),
    // Worker threads: they start faster than processes and pass results by message port rather
    // than a child-process pipe (replay suite 10.3 s → 8.9 s, npm run bench). Nothing here needs a
    // process of its own (nock, the SDK and the clients patch and use per-thread globals).
    pool: 'threads',
    hookTimeout: 30_000,
    projects: listingChecks || againstTargetOnly ? [contract] : [
      contract,
      // The same specs live, over real sockets, against servers per target on 127.0.0.1 that
      // answer from the committed fixtures (support/loopback/global-setup.ts, per-test.ts).
      ...TARGET_IDS.map((target) => ({
        extends: true as const,
        test: {
          name: loopbackProjectName(target),
          include: ['specs/**/*.spec.ts'],
          globalSetup: ['support/loopback/global-setup.ts'],
          setupFiles: ['allure-vitest/setup', 'support/loopback/per-test.ts', 'support/sdk/sdk-observer.ts'],
        },
      })),
      {
        extends: true,
        test: {
          name: SELF_TEST_PROJECT,
          include: ['support/**/*.test.ts', 'scripts/**/*.test.ts'],
          setupFiles: ['allure-vitest/setup'],
        },
      },
    ],
  },
});
