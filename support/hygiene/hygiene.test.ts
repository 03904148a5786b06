// Registry hygiene on synthetic run records: an entry with no evidence, an unused entry, an orphan
// cassette and a documented behaviour without a spec each fail, naming what to fix.
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { CHECK_IDS, CHECKS, SUITE, subjectsOf } from '../catalogue.ts';
import { registryProblems } from '../deviations/registry.ts';
import type { Deviation } from '../deviations/types.ts';
import type { LoadedCassette } from '../modes/cassettes.ts';
import { runRecord, type SyntheticTest } from '../../scripts/synthetic-results.ts';
import { hygieneProblems } from './hygiene.ts';

const entry: Deviation = {
  id: 'gateway-doc01-200-empty',
  check: 'DOC-01',
  target: 'gateway',
  pipelines: 'all',
  summary: 'gateway answers 200',
  pinned: { summary: '200', status: 200, body: z.literal('') },
  evidence: ['contract-notes.md §2.2.2'],
};
const cassette: LoadedCassette = {
  file: 'fixtures/cassettes/gateway/connectivity.json',
  cassette: 1,
  target: 'gateway',
  area: 'connectivity',
  provenance: { kind: 'authored', source: 'contract-notes.md §2.2.2', authoredOn: '2026-11-25' },
  interactions: [
    { id: 'used', request: { method: 'GET', path: '/llm', auth: 'absent', body: { kind: 'none' } }, response: { status: 200, headers: {}, body: { kind: 'none' } } },
    { id: 'orphan', request: { method: 'HEAD', path: '/llm', auth: 'absent', body: { kind: 'none' } }, response: { status: 200, headers: {}, body: { kind: 'none' } } },
  ],
};
/** One passing test per check and column of a gateway run, the first one carrying `pin` and `interactions`. */
const tests = (pin: string | undefined, interactions: string[], skip: (check: string) => boolean = () => false): SyntheticTest[] =>
  CHECK_IDS.filter((c) => !skip(c)).flatMap((check, i) =>
    subjectsOf(check, ['gateway']).map((subject): SyntheticTest => ({ check, subject, state: 'pass', outcome: 'conforms', ...(i === 0 && pin ? { pin } : {}), ...(i === 0 ? { interactions } : {}) })),
  );
const record = (t: SyntheticTest[], mode: 'replay' | 'record' = 'replay') => runRecord(t, { targets: ['gateway'], mode });
const both = [`${cassette.file}#used`, `${cassette.file}#orphan`];

describe('hygiene', () => {
  test('a clean run has no problems', () => {
    expect(hygieneProblems({ registry: [entry], record: record(tests(entry.id, both)), cassettes: [cassette] })).toEqual([]);
  });

  test('an entry with no evidence is named', () => {
    expect(registryProblems([{ ...entry, evidence: [] }])).toEqual(['deviation "gateway-doc01-200-empty" names no evidence']);
  });

  test('an entry that pins an unknown target or pipeline is named', () => {
    const bad = { ...entry, target: 'edge', pipelines: ['text-to-3d'] } as unknown as Deviation;
    expect(registryProblems([bad])).toEqual([
      'deviation "gateway-doc01-200-empty" pins unknown target edge',
      'deviation "gateway-doc01-200-empty" pins unknown pipeline text-to-3d',
    ]);
  });

  test('a case the check does not have, a client check pinned on a target, and an empty pin are named', () => {
    expect(registryProblems([{ ...entry, case: 'PUT' as never }])).toEqual([expect.stringContaining('names case "PUT", which DOC-01 does not have (GET, HEAD)')]);
    expect(registryProblems([{ ...entry, check: 'DOC-08' }])).toEqual([expect.stringContaining('pins DOC-08, a check of the client code, on gateway: pin it on "suite"')]);
    expect(registryProblems([{ ...entry, target: SUITE, check: 'DOC-08', pinned: { summary: 'nothing' } }])).toEqual([expect.stringContaining('pins nothing')]);
  });

  test('an entry no spec exercised is named', () => {
    const problems = hygieneProblems({ registry: [entry], record: record(tests(undefined, both)), cassettes: [cassette] });
    expect(problems).toEqual([expect.stringContaining('deviation "gateway-doc01-200-empty" (DOC-01 on gateway) was exercised by no spec')]);
  });

  test('an orphan cassette interaction is named with its file and id', () => {
    const problems = hygieneProblems({ registry: [], record: record(tests(undefined, [`${cassette.file}#used`])), cassettes: [cassette] });
    expect(problems).toEqual([expect.stringContaining('cassette interaction fixtures/cassettes/gateway/connectivity.json #orphan (HEAD /llm) answered no spec')]);
  });

  test('a documented behaviour with no spec on a subject is named, unless the catalogue says why', () => {
    const problems = hygieneProblems({ registry: [], record: record(tests(undefined, [], (c) => c === 'DOC-12' || c === 'DOC-16' || c === 'DOC-08')), cassettes: [] });
    expect(problems).toEqual([
      expect.stringContaining('DOC-08 has no spec on suite (a check of the client code): add one, or say why in the catalogue (noSpec.suite of DOC-08'),
      expect.stringContaining('DOC-12 has no spec on gateway, which serves it: add one, or say why in the catalogue (noSpec.gateway of DOC-12 in support/catalogue.ts)'),
    ]);
    expect(CHECKS['DOC-16'].noSpec?.suite).toBeDefined();
  });

  test('checks of the client code are asked of the suite column only, not of each target', () => {
    const perTarget = tests(undefined, []).filter((t) => t.subject !== SUITE);
    const problems = hygieneProblems({ registry: [], record: record(perTarget), cassettes: [] });
    expect(problems.every((p) => /on suite/.test(p))).toBe(true);
    expect(problems.length).toBeGreaterThan(0);
  });
});

describe('hygiene outside replay', () => {
  test('a live or record run cannot prove an entry unused: live skips what it cannot provoke', () => {
    expect(hygieneProblems({ registry: [entry], record: record(tests(undefined, []), 'record'), cassettes: [] })).toEqual([]);
  });
});
