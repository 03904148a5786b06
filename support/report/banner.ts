// The one line every run starts with: mode, targets, hosts, and where the fixtures come from.
import { originOf, recordingOf, type LoadedCassette, type Origin } from '../modes/cassettes.ts';
import { hostOf, type Config } from '../config.ts';
import { describeServed } from '../run/served.ts';
import type { RunInfo } from './run-record.ts';

/** Where the replayed fixtures come from: their interactions counted by origin (cassettes/*.json, `originOf`). */
export interface FixtureSummary {
  cassettes: number;
  interactions: number;
  /** Interactions authored from the reference. */
  authored: number;
  /** Interactions copied from a record of the target's own code answering (studio-observed.md). */
  observed: number;
  /** Interactions recorded from a live target. */
  recorded: number;
  /** Recorded cassettes that keep interactions no live target could be asked for (`mixed`). */
  keeping?: number;
  /** The origins those kept interactions have. */
  kept?: Origin[];
  /** Age in days of the oldest recorded cassette. */
  oldestRecordedDays?: number;
}

/** A summary as a run record may hold it: one written before the suite counted interactions has only the first two counts. */
export type FixtureCounts = Pick<FixtureSummary, 'authored' | 'recorded'> & Partial<FixtureSummary>;

export function summariseFixtures(cassettes: readonly LoadedCassette[], now = new Date()): FixtureSummary {
  const byOrigin: Record<Origin, number> = { authored: 0, observed: 0, recorded: 0 };
  const kept = new Set<Origin>();
  let interactions = 0;
  let keeping = 0;
  let oldest: number | undefined;
  for (const c of cassettes) {
    for (const i of c.interactions) byOrigin[originOf(c, i)]++;
    interactions += c.interactions.length;
    const recording = recordingOf(c.provenance);
    if (!recording) continue;
    if (c.provenance.kind === 'mixed') {
      keeping++;
      for (const k of c.provenance.kept) kept.add(k.kind);
    }
    const days = (now.getTime() - Date.parse(recording.recordedAt)) / 86_400_000;
    oldest = Math.max(oldest ?? 0, days);
  }
  return {
    cassettes: cassettes.length,
    interactions,
    ...byOrigin,
    ...(keeping ? { keeping, kept: (['authored', 'observed'] as const).filter((o) => kept.has(o)) } : {}),
    ...(oldest !== undefined ? { oldestRecordedDays: Math.floor(oldest) } : {}),
  };
}

/** `113 interactions in 21 cassettes: 61 authored, 52 observed, 0 recorded`, with the age of the oldest recording and what recordings keep. */
export function describeFixtures(s: FixtureCounts): string {
  const keeping = s.keeping ? `; ${s.keeping} keeping ${s.kept?.length ? s.kept.join(' and ') : 'authored'} exchanges` : '';
  const recorded = s.recorded && s.oldestRecordedDays !== undefined ? `${s.recorded} recorded (oldest ${s.oldestRecordedDays} d${keeping})` : `${s.recorded} recorded`;
  const counts = `${s.authored} authored, ${s.observed ?? 0} observed, ${recorded}`;
  return s.interactions === undefined ? counts : `${s.interactions} interactions in ${s.cassettes ?? 0} cassettes: ${counts}`;
}

/** The run's first line: mode, targets and hosts, fixtures, and what each target serves in this run (and whence). */
export function banner(config: Config, cassettes: readonly LoadedCassette[], run: Pick<RunInfo, 'served' | 'retired' | 'versions'>): string {
  const hosts = config.targets.map((t) => `${t}=${hostOf(config.baseUrls[t]!)}${run.versions[t] ? ` (version ${run.versions[t]})` : ''}`).join(' ');
  const fixtures = config.mode === 'live' ? 'not used (live)' : config.mode === 'record' ? `recording into ${config.fixturesDir}` : describeFixtures(summariseFixtures(cassettes));
  return `livepeer-ai-contracts · mode ${config.mode} · targets ${config.targets.join(', ')} · ${hosts} · fixtures: ${fixtures} · serves ${describeServed(run)}`;
}
