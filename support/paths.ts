// Where a run writes: one source for the reports folder and everything under it. No imports beyond
// node:path, so vitest.config.ts can read it before anything else loads.
import { join } from 'node:path';

export const DEFAULT_REPORTS_DIR = 'reports';

/** `LIVEPEER_REPORTS_DIR`, or `reports`: read the same way by the config, vitest.config.ts and the scripts. */
export const reportsDirFrom = (env: Record<string, string | undefined>): string => env.LIVEPEER_REPORTS_DIR?.trim() || DEFAULT_REPORTS_DIR;

/** Allure results of the run against the target(s): what `npm run report` builds the report from. */
export const allureResultsDir = (reportsDir: string): string => join(reportsDir, 'allure-results');

/** The run's verdicts, one per test: what the gate, the matrix and the hygiene check read. */
export const verdictsFile = (reportsDir: string): string => join(reportsDir, 'verdicts.json');

/** Scratch space shared by the workers of one run (paid-request slots). */
export const runDir = (reportsDir: string): string => join(reportsDir, 'run');
/** The paid-request slots of a run (one folder for every target of the run). */
export const paidDir = (reportsDir: string): string => join(runDir(reportsDir), 'paid');
/** The rate-limit pacer's slots of a run, per target: where its count is read at the end. */
export const pacerDir = (reportsDir: string, target: string): string => join(runDir(reportsDir), 'limit', target);

/** Where the suite checking itself writes (loopback runs, self-tests): never read as a target's verdict. */
export const selfCheckDir = (reportsDir: string): string => join(reportsDir, 'self-check');
