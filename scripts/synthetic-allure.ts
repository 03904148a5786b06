// Self-test material: Allure result files shaped like allure-vitest's (with the labels the reporter
// adds from each verdict), written to a temp folder, so `npm run report` and its categories are
// tested without running (or touching) the suite.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allure2Categories } from '../support/report/allure-categories.ts';
import { allureResultsDir } from '../support/paths.ts';
import { CATEGORIES_FILE, ENVIRONMENT_FILE, formatEnvironment } from '../support/report/allure-env.ts';
import type { Outcome } from '../support/verdict/outcome.ts';

export interface SyntheticTest {
  /** DOC-xx / SDK-xx; omitted = a result that broke before it was labelled. */
  check?: string;
  target: string;
  status: 'passed' | 'failed' | 'broken' | 'skipped';
  outcome?: Outcome;
  deviation?: string;
  mode?: string;
  message?: string;
  /** Test name; defaults to `<check> case <n> [<target>]`. */
  name?: string;
  /** Spec file; a path outside specs/ makes it a self-test result. */
  file?: string;
  stop?: number;
}

let counter = 0;

export function allureResult(t: SyntheticTest): Record<string, unknown> {
  const n = ++counter;
  const name = t.name ?? `${t.check ?? 'unlabelled'} case ${n} [${t.target}]`;
  const file = t.file ?? 'specs/synthetic.spec.ts';
  const labels = [
    { name: 'framework', value: 'vitest' },
    ...(t.check
      ? [
          { name: 'epic', value: 'synthetic' },
          { name: 'story', value: t.check },
          { name: 'check', value: t.check },
          { name: 'target', value: t.target },
          { name: 'mode', value: t.mode ?? 'replay' },
          { name: 'tag', value: t.target },
        ]
      : []),
    ...(t.outcome ? [{ name: 'outcome', value: t.outcome }] : []),
    ...(t.deviation ? [{ name: 'deviation', value: t.deviation }] : []),
  ];
  const stop = t.stop ?? 1_700_000_000_000 + n;
  return {
    uuid: randomUUID(),
    name,
    fullName: `livepeer-ai-contracts:${file}#${name}`,
    historyId: `${name}:${file}`,
    testCaseId: name,
    status: t.status,
    statusDetails: t.message ? { message: t.message, trace: `ContractError: ${t.message}\n    at synthetic` } : {},
    stage: 'finished',
    labels,
    links: [],
    parameters: [],
    steps: [],
    attachments: [],
    start: stop - 5,
    stop,
  };
}

/** Writes a run into `<reportsDir>/allure-results` (a fresh temp reportsDir unless given). */
export function writeAllureRun(tests: readonly SyntheticTest[], environment: Record<string, string> = { mode: 'replay', targets: 'studio, gateway, runner' }, reportsDir = mkdtempSync(join(tmpdir(), 'livepeer-reports-'))): string {
  const dir = allureResultsDir(reportsDir);
  mkdirSync(dir, { recursive: true });
  for (const t of tests) {
    const r = allureResult(t);
    writeFileSync(join(dir, `${r.uuid as string}-result.json`), JSON.stringify(r));
  }
  writeFileSync(join(dir, ENVIRONMENT_FILE), formatEnvironment(environment));
  writeFileSync(join(dir, CATEGORIES_FILE), JSON.stringify(allure2Categories()));
  return reportsDir;
}

