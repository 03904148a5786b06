import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cells, compareChecks, NoResultsError, readRun, testOutcome } from './results.ts';
import { CHANGED, PASSING, writeRun } from './synthetic-results.ts';

describe('testOutcome', () => {
  test.each([
    ['passed', 'conforms', 'conforms'],
    ['passed', 'known deviation', 'known deviation'],
    ['passed', undefined, 'conforms'],
    ['broken', 'changed', 'changed'],
    ['failed', 'changed', 'changed'],
    // Failed before the judgement (replay miss, timeout, config): not a judged change, still a failure.
    ['broken', undefined, 'broken'],
    ['failed', undefined, 'broken'],
    // Judged as a known deviation, then failed anyway: the failure wins.
    ['broken', 'known deviation', 'broken'],
    ['unknown', undefined, 'broken'],
    [undefined, undefined, 'broken'],
    ['skipped', undefined, 'skipped'],
  ] as const)('status %s, outcome label %s → %s', (status, outcome, expected) => {
    expect(testOutcome(status, outcome)).toBe(expected);
  });
});

describe('readRun', () => {
  test('reads contract results and leaves self-test results out', () => {
    const dir = writeRun([...PASSING, { target: 'none', status: 'failed', name: 'a self-test that failed', file: 'support/x.test.ts' }]);
    const run = readRun(dir);
    expect(run.results).toHaveLength(PASSING.length);
    expect(run.results.every((r) => r.check !== 'unlabelled')).toBe(true);
    expect(run.environment.mode).toBe('replay');
  });

  test('a spec that broke before it was labelled still counts, with check and target from its name', () => {
    const dir = writeRun([{ target: 'gateway', status: 'broken', name: 'DOC-07 cold model answers 503 [gateway]', message: 'Replay miss on gateway: …' }]);
    expect(readRun(dir).results).toEqual([
      expect.objectContaining({ check: 'DOC-07', target: 'gateway', outcome: 'broken', message: 'Replay miss on gateway: …' }),
    ]);
  });

  test('a retried test counts once, with its last attempt', () => {
    const dir = writeRun([
      { check: 'DOC-01', target: 'studio', status: 'broken', outcome: 'changed', name: 'DOC-01 retried [studio]', stop: 2_000 },
      { check: 'DOC-01', target: 'studio', status: 'passed', outcome: 'conforms', name: 'DOC-01 retried [studio]', stop: 3_000 },
    ]);
    expect(readRun(dir).results.map((r) => r.outcome)).toEqual(['conforms']);
  });

  test('the same spec in two modes (replay, and live on loopback) counts twice', () => {
    const dir = writeRun([
      { check: 'DOC-01', target: 'studio', status: 'broken', outcome: 'changed', mode: 'live', name: 'DOC-01 both [studio]', stop: 2_000 },
      { check: 'DOC-01', target: 'studio', status: 'passed', outcome: 'conforms', mode: 'replay', name: 'DOC-01 both [studio]', stop: 3_000 },
    ]);
    expect(readRun(dir).results.map((r) => r.outcome).sort()).toEqual(['changed', 'conforms']);
  });

  test('no folder, an empty folder, or only self-test results: NoResultsError that says what to run', () => {
    const empty = mkdtempSync(join(tmpdir(), 'livepeer-reports-'));
    expect(() => readRun(empty)).toThrow(NoResultsError);
    expect(() => readRun(empty)).toThrow(/does not exist\. Run the suite first/);
    mkdirSync(join(empty, 'allure-results'));
    expect(() => readRun(empty)).toThrow(/No contract results in .*: run the contract specs first/);
    const selfTestsOnly = writeRun([{ target: 'none', status: 'passed', name: 'x', file: 'scripts/x.test.ts' }]);
    expect(() => readRun(selfTestsOnly)).toThrow(NoResultsError);
  });

  test('an unreadable result file is named', () => {
    const dir = writeRun(PASSING);
    writeFileSync(join(dir, 'allure-results', 'broken-result.json'), '{ not json');
    expect(() => readRun(dir)).toThrow(/Unreadable result .*broken-result\.json/);
  });
});

describe('cells', () => {
  const all = cells(readRun(writeRun([...PASSING, CHANGED, { check: 'DOC-02', target: 'gateway', status: 'passed', outcome: 'conforms' }])));
  const cell = (doc: string, target: string) => all.find((c) => c.doc === doc && c.target === target)!;

  test('one cell per check and target, checks in order: every DOC row, then every SDK row', () => {
    const docs = [...new Set(all.map((c) => c.doc))];
    expect(docs.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => `DOC-${String(i + 1).padStart(2, '0')}`));
    expect(docs.slice(16)).toEqual(['SDK-01', 'SDK-02', 'SDK-03', 'SDK-04']);
    expect(all).toHaveLength(docs.length * 3);
    expect(['SDK-01', 'DOC-10', 'DOC-02', 'X-1'].sort(compareChecks)).toEqual(['DOC-02', 'DOC-10', 'SDK-01', 'X-1']);
  });

  test('a cell shows its worst outcome and counts every test', () => {
    expect(cell('DOC-02', 'gateway')).toMatchObject({ outcome: 'changed', tests: 2, counts: { changed: 1, conforms: 1 } });
    expect(cell('DOC-01', 'studio')).toMatchObject({ outcome: 'known deviation', tests: 1 });
    expect(cell('DOC-01', 'runner')).toMatchObject({ outcome: 'conforms', tests: 1 });
    expect(cell('DOC-11', 'runner')).toMatchObject({ outcome: 'skipped', tests: 1 });
  });

  test('a cell without tests is not run, or not applicable where the catalogue says why', () => {
    expect(cell('DOC-09', 'studio')).toMatchObject({ outcome: 'not run', tests: 0 });
    expect(cell('DOC-16', 'studio')).toMatchObject({ outcome: 'not applicable', tests: 0, note: expect.stringContaining('npm run diagnose') });
  });
});
