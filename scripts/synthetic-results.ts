// Self-test material: run records (`verdicts.json`) shaped like the verdict reporter's, written to
// a temp folder, so the gate, the matrix and the hygiene check are tested without running (or
// touching) the suite.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CheckId, Subject, TargetId } from '../support/catalogue.ts';
import { verdictsFile } from '../support/paths.ts';
import { RUN_RECORD_VERSION, type RunInfo, type RunRecord, type TestEntry } from '../support/report/run-record.ts';
import type { Outcome } from '../support/verdict/outcome.ts';

export interface SyntheticTest {
  check: CheckId;
  subject: Subject;
  state: TestEntry['state'];
  /** The verdict's outcome; omitted = a test that left no verdict (skipped, or broke before judging). */
  outcome?: Outcome;
  pin?: string;
  /** Requests sent to the subject (default: 1 for a target, 0 for the suite). */
  requests?: number;
  /** Test name; defaults to `<check> case <n> [<subject>]`. */
  name?: string;
  /** The verdict's headline, or the error of a test without one. */
  message?: string;
  interactions?: string[];
}

let counter = 0;

export function testEntry(t: SyntheticTest): TestEntry {
  const n = ++counter;
  const name = t.name ?? `${t.check} case ${n} [${t.subject}]`;
  const about = { check: t.check, subject: t.subject };
  return {
    name,
    file: 'specs/synthetic.spec.ts',
    state: t.state,
    about,
    ...(t.outcome
      ? {
          verdict: {
            ...about,
            outcome: t.outcome,
            ...(t.pin ? { pin: t.pin } : {}),
            headline: t.message ?? t.outcome,
            requests: t.requests ?? (t.subject === 'suite' ? 0 : 1),
            interactions: t.interactions ?? [],
          },
        }
      : t.message
        ? { error: t.message }
        : {}),
  };
}

export function runInfo(over: Partial<RunInfo> = {}): RunInfo {
  const targets: TargetId[] = over.targets ?? ['studio', 'gateway', 'runner'];
  return {
    id: randomUUID(),
    kind: 'target',
    project: 'contract',
    mode: 'replay',
    targets,
    hosts: Object.fromEntries(targets.map((t) => [t, `${t}.example:443`])),
    startedAt: '2026-12-01T00:00:00.000Z',
    served: Object.fromEntries(targets.map((t) => [t, { pipelines: [], source: 'catalogue' }])),
    checksToken: {},
    versions: {},
    retired: [],
    notices: [],
    plan: {},
    ...over,
  };
}

/** A run record of these tests. */
export const runRecord = (tests: readonly SyntheticTest[], run: Partial<RunInfo> = {}): RunRecord => ({
  version: RUN_RECORD_VERSION,
  run: { ...runInfo(run), finishedAt: '2026-12-01T00:01:00.000Z' },
  tests: tests.map(testEntry),
});

/** Writes a run into `<reportsDir>/verdicts.json` (a fresh temp reportsDir unless given); returns the reportsDir. */
export function writeRun(tests: readonly SyntheticTest[], run: Partial<RunInfo> = {}, reportsDir = mkdtempSync(join(tmpdir(), 'livepeer-reports-'))): string {
  const file = verdictsFile(reportsDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(runRecord(tests, run)));
  return reportsDir;
}

/** A run that should pass the gate: conforms, known deviations, a suite check and a skip. */
export const PASSING: readonly SyntheticTest[] = [
  { check: 'DOC-01', subject: 'studio', state: 'pass', outcome: 'known deviation', pin: 'studio-doc01-get-404', name: 'DOC-01 pinned [studio]' },
  { check: 'DOC-01', subject: 'runner', state: 'pass', outcome: 'conforms' },
  { check: 'DOC-01', subject: 'gateway', state: 'pass', outcome: 'known deviation', pin: 'gateway-doc01-200-empty', name: 'DOC-01 pinned [gateway]' },
  { check: 'DOC-08', subject: 'suite', state: 'pass', outcome: 'conforms' },
  { check: 'DOC-11', subject: 'studio', state: 'pass', outcome: 'conforms' },
  { check: 'DOC-11', subject: 'runner', state: 'skip' },
  { check: 'SDK-01', subject: 'studio', state: 'pass', outcome: 'conforms' },
];

/** One changed check: the documented behaviour fails and no pin holds. */
export const CHANGED: SyntheticTest = {
  check: 'DOC-02',
  subject: 'gateway',
  state: 'fail',
  outcome: 'changed',
  message: 'changed: the documented behaviour does not hold and no deviation is pinned for gateway',
};
