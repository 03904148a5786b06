// What a child vitest run did, read from its JSON reporter's file (`<reports>/vitest.json`): the
// counts and the failed tests, for `npm run bench`, `npm run flaky` and CI's closing line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const VitestJson = z.looseObject({
  numTotalTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number().default(0),
  testResults: z.array(
    z.looseObject({
      name: z.string(),
      assertionResults: z.array(z.looseObject({ fullName: z.string(), status: z.string() })),
    }),
  ),
});

export interface RunSummary {
  tests: number;
  failed: number;
  skipped: number;
  passed: number;
  /** `<file> > <full name>` of every failed test. */
  failedTests: string[];
}

export function summariseVitestJson(text: string): RunSummary {
  const j = VitestJson.parse(JSON.parse(text));
  const failedTests = j.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${f.name} > ${a.fullName}`));
  const skipped = j.numPendingTests + j.numTodoTests;
  return { tests: j.numTotalTests, failed: j.numFailedTests, skipped, passed: j.numTotalTests - j.numFailedTests - skipped, failedTests };
}

/** The summary of the run that wrote `<reportsDir>/vitest.json`, or undefined when it stopped before writing one (a setup error). */
export function readRunSummary(reportsDir: string): RunSummary | undefined {
  let text: string;
  try {
    text = readFileSync(join(reportsDir, 'vitest.json'), 'utf8');
  } catch {
    return undefined;
  }
  return summariseVitestJson(text);
}
