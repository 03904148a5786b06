// Self-test material: allure result files shaped like allure-vitest's, written to a temp folder,
// so the gate, the matrix and the report are tested without running (or touching) the suite.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allure2Categories } from '../support/report/allure-categories.ts';
import { allureResultsDir, CATEGORIES_FILE, ENVIRONMENT_FILE, formatEnvironment } from '../support/report/allure-env.ts';

export interface SyntheticTest {
  /** DOC-xx / SDK-xx; omitted = a result that broke before it was labelled. */
  check?: string;
  target: string;
  status: 'passed' | 'failed' | 'broken' | 'skipped';
  outcome?: 'conforms' | 'known deviation' | 'changed';
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
export function writeRun(tests: readonly SyntheticTest[], environment: Record<string, string> = { mode: 'replay', targets: 'studio, gateway, runner' }, reportsDir = mkdtempSync(join(tmpdir(), 'livepeer-reports-'))): string {
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

/** A run that should pass the gate: conforms, known deviations and a skip. */
export const PASSING: readonly SyntheticTest[] = [
  { check: 'DOC-01', target: 'studio', status: 'passed', outcome: 'known deviation', deviation: 'studio-doc01-404', name: 'DOC-01 pinned [studio]' },
  { check: 'DOC-01', target: 'runner', status: 'passed', outcome: 'conforms' },
  { check: 'DOC-01', target: 'gateway', status: 'passed', outcome: 'known deviation', deviation: 'gateway-doc01-200-empty', name: 'DOC-01 pinned [gateway]' },
  { check: 'DOC-11', target: 'studio', status: 'passed', outcome: 'conforms' },
  { check: 'DOC-11', target: 'runner', status: 'skipped' },
  { check: 'SDK-01', target: 'studio', status: 'passed', outcome: 'conforms' },
];

/** One changed check: the documented behaviour fails and no pin holds. */
export const CHANGED: SyntheticTest = {
  check: 'DOC-02',
  target: 'gateway',
  status: 'broken',
  outcome: 'changed',
  message: 'DOC-02 [gateway]: changed: the documented behaviour does not hold and no deviation is pinned for this target',
};
