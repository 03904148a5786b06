import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { matrix } from './matrix.ts';
import { CHANGED, PASSING, writeRun } from './synthetic-results.ts';

function runMatrix(argv: string[], reportsDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = matrix(argv, { LIVEPEER_REPORTS_DIR: reportsDir }, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('matrix', () => {
  const reportsDir = writeRun([...PASSING, CHANGED]);

  test('--json: one row per check and column, {doc, target, outcome, tests}; a check of the client code has one suite row', () => {
    const { code, out } = runMatrix(['--json'], reportsDir);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { doc: string; target: string; outcome: string; tests: number }[];
    for (const row of rows) expect(Object.keys(row)).toEqual(expect.arrayContaining(['doc', 'target', 'outcome', 'tests']));
    // Every check of a target, on every target of the run; every check of the client code, in the suite column alone.
    for (const doc of ['DOC-01', 'DOC-02', 'DOC-11', 'SDK-01']) {
      expect(rows.filter((r) => r.doc === doc).map((r) => r.target)).toEqual(['studio', 'gateway', 'runner']);
    }
    for (const doc of ['DOC-08', 'DOC-14', 'DOC-16', 'SDK-04']) {
      expect(rows.filter((r) => r.doc === doc).map((r) => r.target)).toEqual(['suite']);
    }
    expect(rows).toContainEqual(expect.objectContaining({ doc: 'DOC-08', target: 'suite', outcome: 'conforms', tests: 1 }));
    expect(rows).toContainEqual(expect.objectContaining({ doc: 'DOC-02', target: 'gateway', outcome: 'changed', tests: 1 }));
    expect(rows).toContainEqual(expect.objectContaining({ doc: 'DOC-01', target: 'studio', outcome: 'known deviation', tests: 1 }));
    expect(rows).toContainEqual(expect.objectContaining({ doc: 'DOC-11', target: 'runner', outcome: 'skipped', tests: 0 }));
    expect(rows).toContainEqual(expect.objectContaining({ doc: 'DOC-05', target: 'studio', outcome: 'not run', tests: 0 }));
  });

  test('Markdown: a header of targets and one row per check', () => {
    const { code, out } = runMatrix([], reportsDir);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Pipelines checked: studio: .* \(catalogue\); gateway: .*; runner: .*\.$/);
    expect(lines[2]).toBe('| check | studio | gateway | runner | suite |');
    expect(lines[3]).toBe('|---|---|---|---|---|');
    expect(lines.find((l) => l.startsWith('| **DOC-02**'))).toMatch(/\| · not run \| ❌ changed \(1\) \| · not run \|  \|$/);
    expect(lines.find((l) => l.startsWith('| **DOC-08**'))).toMatch(/\|  \|  \|  \| ✅ conforms \(1\) \|$/);
    expect(lines.find((l) => l.startsWith('| **DOC-01**'))).toContain('⚠️ known deviation (1)');
    expect(lines.find((l) => l.startsWith('| **SDK-01**'))).toContain('✅ conforms (1)');
  });

  test('--since <dir>: only the cells whose outcome moved, from a reports folder or its verdicts file', () => {
    const earlier = writeRun([...PASSING, { check: 'DOC-02', subject: 'gateway', state: 'pass', outcome: 'conforms' }]);
    for (const dir of [earlier, join(earlier, 'verdicts.json')]) {
      const { code, out } = runMatrix(['--json', '--since', dir], reportsDir);
      expect(code).toBe(0);
      expect(JSON.parse(out)).toEqual([{ doc: 'DOC-02', target: 'gateway', before: 'conforms', now: 'changed', testsBefore: 1, testsNow: 1 }]);
    }
    const md = runMatrix([`--since=${earlier}`], reportsDir).out;
    expect(md).toContain('| **DOC-02** | gateway | ✅ conforms (1) | ❌ changed (1) |');
    expect(runMatrix(['--since', reportsDir], reportsDir).out).toBe(`No check changed outcome since ${reportsDir}.`);
    expect(runMatrix(['--since'], reportsDir)).toMatchObject({ code: 2, err: expect.stringContaining("Option '--since <value>' argument missing") });
    expect(runMatrix(['--jason'], reportsDir)).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--jason'") });
    expect(runMatrix(['--since', join(earlier, 'nowhere')], reportsDir)).toMatchObject({ code: 2, err: expect.stringContaining('does not exist') });
  });

  test('no results: exit 2 and a message on stderr, nothing on stdout', () => {
    const { code, out, err } = runMatrix(['--json'], mkdtempSync(join(tmpdir(), 'livepeer-reports-')));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^matrix: No run to judge: /);
  });
});
