// The banner's fixtures part: every interaction replayed, counted by where it comes from
// (authored from the reference, observed on the target's own code, recorded live), with the age
// of the oldest recording and what recordings keep.
import { describe, expect, test } from 'vitest';
import { parseCassette, type CassetteFile, type Interaction, type LoadedCassette } from '../modes/cassettes.ts';
import { describeFixtures, summariseFixtures } from './banner.ts';

const NOW = new Date('2026-12-10T00:00:00Z');
const AUTHORED = { kind: 'authored', source: 'contract-notes.md §2.3.3', authoredOn: '2026-11-25' } as const;
const OBSERVED = {
  kind: 'observed',
  source: 'studio-observed.md §1 (GET and HEAD)',
  ran: 'livepeer/studio packages/api 670a0a66',
  observedOn: '2026-12-01',
} as const;
const RECORDED = { kind: 'recorded', recordedAt: '2026-12-07T12:00:00Z', host: 'livepeer.studio', target: 'studio' } as const;

const interaction = (id: string, provenance?: Interaction['provenance']): Interaction => ({
  id,
  ...(provenance ? { provenance } : {}),
  request: { method: 'GET', path: '/text-to-image', auth: 'bearer', body: { kind: 'none' } },
  response: { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { kind: 'json', value: { errors: ['not found'] } } },
});

/** A cassette as the loader gives it: parsed, so it holds only what parseCassette accepts. */
const cassette = (area: string, provenance: CassetteFile['provenance'], interactions: Interaction[]): LoadedCassette => {
  const file = `fixtures/cassettes/studio/${area}.json`;
  return parseCassette(file, JSON.stringify({ cassette: 1, target: 'studio', area, provenance, interactions }), 'studio');
};

describe('summariseFixtures', () => {
  test('an observed cassette is counted as observed: its interactions, unmarked or marked observed, and the authored ones it keeps as authored', () => {
    const observed = cassette('connectivity', { ...OBSERVED, authored: AUTHORED }, [interaction('a'), interaction('b', 'observed'), interaction('c', 'authored')]);
    const s = summariseFixtures([observed], NOW);
    expect(s).toEqual({ cassettes: 1, interactions: 3, authored: 1, observed: 2, recorded: 0 });
    expect(describeFixtures(s)).toBe('3 interactions in 1 cassettes: 1 authored, 2 observed, 0 recorded');
  });

  test('authored, observed, recorded and mixed cassettes: interactions by origin, the oldest recording, what recordings keep', () => {
    const s = summariseFixtures(
      [
        cassette('auth', AUTHORED, [interaction('a1'), interaction('a2')]),
        cassette('served', OBSERVED, [interaction('o1')]),
        cassette('sdk', RECORDED, [interaction('r1'), interaction('r2')]),
        cassette('validation', { kind: 'mixed', recorded: { ...RECORDED, recordedAt: '2026-12-01T00:00:00Z' }, kept: [AUTHORED, OBSERVED] }, [
          interaction('r3', 'recorded'),
          interaction('k1', 'authored'),
          interaction('k2', 'observed'),
        ]),
      ],
      NOW,
    );
    expect(s).toEqual({ cassettes: 4, interactions: 8, authored: 3, observed: 2, recorded: 3, keeping: 1, kept: ['authored', 'observed'], oldestRecordedDays: 9 });
    expect(describeFixtures(s)).toBe('8 interactions in 4 cassettes: 3 authored, 2 observed, 3 recorded (oldest 9 d; 1 keeping authored and observed exchanges)');
  });

  test('no fixtures at all', () => {
    expect(describeFixtures(summariseFixtures([], NOW))).toBe('0 interactions in 0 cassettes: 0 authored, 0 observed, 0 recorded');
  });

  test("a run record written before interactions were counted still reads (support/report/run-record.ts keeps the first two counts)", () => {
    expect(describeFixtures({ authored: 21, recorded: 0 })).toBe('21 authored, 0 observed, 0 recorded');
  });
});
