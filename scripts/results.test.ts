import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECK_IDS, CHECKS } from '../support/catalogue.ts';
import { verdictsFile } from '../support/paths.ts';
import { main as mergeMain } from './merge-runs.ts';
import { cells, compareChecks, NoResultsError, readRun, testOutcome } from './results.ts';
import { CHANGED, PASSING, testEntry, writeRun } from './synthetic-results.ts';

describe('testOutcome', () => {
  test.each([
    [{ state: 'pass', outcome: 'conforms' }, 'conforms'],
    [{ state: 'pass', outcome: 'known deviation' }, 'known deviation'],
    [{ state: 'fail', outcome: 'changed' }, 'changed'],
    [{ state: 'fail', outcome: 'no answer' }, 'no answer'],
    [{ state: 'fail', outcome: 'not sent' }, 'not sent'],
    // Ran and left no verdict (it broke before judging): never a pass, never "changed".
    [{ state: 'fail' }, 'no verdict'],
    [{ state: 'pass' }, 'no verdict'],
    [{ state: 'skip' }, 'skipped'],
  ] as const)('%o → %s', (t, expected) => {
    expect(testOutcome(testEntry({ check: 'DOC-01', subject: 'studio', ...t }))).toBe(expected);
  });
});

describe('readRun', () => {
  test('reads the contract tests of the record, and only those', () => {
    const dir = writeRun(PASSING);
    const run = readRun(dir);
    expect(run.results).toHaveLength(PASSING.length);
    expect(run.record.run.kind).toBe('target');
  });

  test('no record, a corrupt one, or one of another version: NoResultsError that says what to do', () => {
    const empty = mkdtempSync(join(tmpdir(), 'livepeer-reports-'));
    expect(() => readRun(empty)).toThrow(/No run to judge: .*verdicts\.json does not exist\. Run the suite first/);
    writeFileSync(verdictsFile(empty), '{"version":1,');
    expect(() => readRun(empty)).toThrow(/is not valid JSON .*run the suite again/);
    writeFileSync(verdictsFile(empty), '{"version":9,"run":{},"tests":[]}');
    expect(() => readRun(empty)).toThrow(NoResultsError);
  });

  test("a self-check run's record speaks for no target: refused", () => {
    const dir = writeRun(PASSING, { kind: 'self-check', project: 'live-loopback-studio' });
    expect(() => readRun(dir)).toThrow(/record of a self-check run \(live-loopback-studio: the suite against its own loopback servers\): it speaks for no target/);
  });
});

describe('merge-runs: the shards of one run become one record', () => {
  test('tests of every shard, the first shard naming the run; records of different runs refused', () => {
    const a = writeRun(PASSING.slice(0, 3));
    const b = writeRun([...PASSING.slice(3), CHANGED]);
    const out = mkdtempSync(join(tmpdir(), 'livepeer-merged-'));
    const lines: string[] = [];
    expect(mergeMain([verdictsFile(a), verdictsFile(b)], { LIVEPEER_REPORTS_DIR: out }, (s) => lines.push(s))).toBe(0);
    const merged = readRun(out);
    expect(merged.results).toHaveLength(PASSING.length + 1);
    expect(merged.record.run.id).toMatch(/\(\+1 shard\(s\)\)$/);
    const other = writeRun(PASSING, { mode: 'live', targets: ['studio'] });
    expect(mergeMain([verdictsFile(a), verdictsFile(other)], { LIVEPEER_REPORTS_DIR: out }, (s) => lines.push(s))).toBe(2);
    expect(lines.at(-1)).toMatch(/different runs/);
  });
});

describe('cells', () => {
  const run = readRun(writeRun([...PASSING, CHANGED]));
  const all = cells(run);

  test('one cell per check and column, checks in order: every DOC row, then every SDK row, then RUN-01', () => {
    const docs = [...new Set(all.map((c) => c.doc))];
    expect(docs.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => `DOC-${String(i + 1).padStart(2, '0')}`));
    expect(docs.slice(16)).toEqual(['SDK-01', 'SDK-02', 'SDK-03', 'SDK-04', 'RUN-01']);
    expect([...docs].sort(compareChecks)).toEqual(docs);
  });

  test('a check of the client code has one suite cell and no target cells; a check of a target, one per target', () => {
    for (const doc of CHECK_IDS) {
      const columns = all.filter((c) => c.doc === doc).map((c) => c.target);
      expect(columns, doc).toEqual(CHECKS[doc].scope === 'client' ? ['suite'] : ['studio', 'gateway', 'runner']);
    }
  });

  test('a cell shows its worst outcome and counts every test', () => {
    expect(all.find((c) => c.doc === 'DOC-02' && c.target === 'gateway')).toMatchObject({ outcome: 'changed', tests: 1 });
    expect(all.find((c) => c.doc === 'DOC-08' && c.target === 'suite')).toMatchObject({ outcome: 'conforms', tests: 1 });
  });

  test('a target cell counts only tests that sent the target a request; a skip sends none', () => {
    const r = readRun(writeRun([{ check: 'DOC-11', subject: 'runner', state: 'pass', outcome: 'conforms', requests: 0 }, { check: 'DOC-11', subject: 'runner', state: 'skip' }, { check: 'DOC-11', subject: 'runner', state: 'pass', outcome: 'conforms', requests: 2 }]));
    expect(cells(r).find((c) => c.doc === 'DOC-11' && c.target === 'runner')).toMatchObject({ tests: 1, counts: expect.objectContaining({ conforms: 2, skipped: 1 }) });
  });

  test('a cell without tests is not run, or not applicable where the catalogue says why', () => {
    expect(all.find((c) => c.doc === 'DOC-05' && c.target === 'studio')).toMatchObject({ outcome: 'not run', tests: 0 });
    expect(all.find((c) => c.doc === 'DOC-16')).toMatchObject({ target: 'suite', outcome: 'not applicable', note: expect.stringContaining('npm run diagnose') });
    expect(all.find((c) => c.doc === 'DOC-07' && c.target === 'runner')).toMatchObject({ outcome: 'not applicable' });
  });
});
