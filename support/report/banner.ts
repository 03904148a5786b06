// The one line every run starts with: mode, targets, hosts, and where the fixtures come from.
import { recordingOf, type LoadedCassette } from '../modes/cassettes.ts';
import { hostOf, type Config } from '../config.ts';
import { describeServed } from '../run/served.ts';
import type { RunInfo } from './run-record.ts';

export interface FixtureSummary {
  authored: number;
  /** Recorded cassettes, those that keep authored interactions too (`mixed`) among them. */
  recorded: number;
  /** Recorded cassettes that keep authored interactions no live target could be asked for. */
  keeping?: number;
  /** Age in days of the oldest recorded cassette. */
  oldestRecordedDays?: number;
}

export function summariseFixtures(cassettes: readonly LoadedCassette[], now = new Date()): FixtureSummary {
  let authored = 0;
  let recorded = 0;
  let keeping = 0;
  let oldest: number | undefined;
  for (const c of cassettes) {
    const recording = recordingOf(c.provenance);
    if (!recording) {
      authored++;
      continue;
    }
    recorded++;
    if (c.provenance.kind === 'mixed') keeping++;
    const days = (now.getTime() - Date.parse(recording.recordedAt)) / 86_400_000;
    oldest = Math.max(oldest ?? 0, days);
  }
  return { authored, recorded, ...(keeping ? { keeping } : {}), ...(oldest !== undefined ? { oldestRecordedDays: Math.floor(oldest) } : {}) };
}

export function describeFixtures(s: FixtureSummary): string {
  const recorded = s.recorded ? `${s.recorded} recorded (oldest ${s.oldestRecordedDays} d${s.keeping ? `; ${s.keeping} keeping authored exchanges` : ''})` : '0 recorded';
  return `${s.authored} authored, ${recorded}`;
}

/** The run's first line: mode, targets and hosts, fixtures, and what each target serves in this run (and whence). */
export function banner(config: Config, cassettes: readonly LoadedCassette[], run: Pick<RunInfo, 'served' | 'retired' | 'versions'>): string {
  const hosts = config.targets.map((t) => `${t}=${hostOf(config.baseUrls[t]!)}${run.versions[t] ? ` (version ${run.versions[t]})` : ''}`).join(' ');
  const fixtures = config.mode === 'live' ? 'not used (live)' : config.mode === 'record' ? `recording into ${config.fixturesDir}` : describeFixtures(summariseFixtures(cassettes));
  return `livepeer-ai-contracts · mode ${config.mode} · targets ${config.targets.join(', ')} · ${hosts} · fixtures: ${fixtures} · serves ${describeServed(run)}`;
}
