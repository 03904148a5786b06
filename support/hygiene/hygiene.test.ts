// Registry hygiene on synthetic copies: an entry with no evidence, an unused entry, an orphan
// cassette and a documented behaviour without a spec each fail, naming what to fix.
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { CHECK_IDS } from '../catalogue.ts';
import type { LoadedCassette } from '../modes/cassettes.ts';
import { registryProblems, type Deviation } from '../deviations/registry.ts';
import { hygieneProblems, type TestSeen, type UsageRecord } from './hygiene.ts';

const entry: Deviation = {
  id: 'gateway-doc01-200-empty',
  doc: 'DOC-01',
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
const usage = (deviations: string[], interactions: string[]): UsageRecord[] => [
  { area: 'connectivity', mode: 'replay', targets: ['gateway'], fixturesDir: 'fixtures', deviations, interactions },
];
const allDocs: TestSeen[] = CHECK_IDS.map((d) => ({ name: `${d} something [gateway]`, state: 'passed' }));

describe('hygiene', () => {
  test('a clean run has no problems', () => {
    const problems = hygieneProblems({ registry: [entry], usage: usage([entry.id], [`${cassette.file}#used`, `${cassette.file}#orphan`]), cassettes: [cassette], tests: allDocs, targets: ['gateway'] });
    expect(problems).toEqual([]);
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

  test('an entry no spec exercised is named', () => {
    const problems = hygieneProblems({ registry: [entry], usage: usage([], [`${cassette.file}#used`, `${cassette.file}#orphan`]), cassettes: [cassette], tests: allDocs, targets: ['gateway'] });
    expect(problems).toEqual([expect.stringContaining('deviation "gateway-doc01-200-empty" (DOC-01 on gateway) was exercised by no spec')]);
  });

  test('an orphan cassette interaction is named with its file and id', () => {
    const problems = hygieneProblems({ registry: [], usage: usage([], [`${cassette.file}#used`]), cassettes: [cassette], tests: allDocs, targets: ['gateway'] });
    expect(problems).toEqual([expect.stringContaining('cassette interaction fixtures/cassettes/gateway/connectivity.json #orphan (HEAD /llm) answered no spec')]);
  });

  test('a documented behaviour with no spec on a target is named, unless the catalogue says why', () => {
    const tests = allDocs.filter((t) => !t.name.startsWith('DOC-12 ') && !t.name.startsWith('DOC-16 '));
    const problems = hygieneProblems({ registry: [], usage: usage([], []), cassettes: [], tests, targets: ['gateway'] });
    expect(problems).toEqual([expect.stringContaining("DOC-12 has no spec on gateway, which serves it: add one, or say why in the catalogue (noSpec.gateway of DOC-12 in support/catalogue.ts)")]);
  });
});

describe('hygiene outside replay', () => {
  test('a live or record run cannot prove an entry unused: live skips what it cannot provoke', () => {
    const live: UsageRecord[] = [{ area: 'connectivity', mode: 'record', targets: ['gateway'], fixturesDir: 'fixtures', deviations: [], interactions: [] }];
    expect(hygieneProblems({ registry: [entry], usage: live, cassettes: [], tests: allDocs, targets: ['gateway'] })).toEqual([]);
  });
});
