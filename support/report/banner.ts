// The one line every run starts with: mode, targets, hosts, and where the fixtures come from.
import type { LoadedCassette } from '../modes/cassettes.ts';
import { hostOf, type Config } from '../config.ts';

export interface FixtureSummary {
  authored: number;
  recorded: number;
  /** Age in days of the oldest recorded cassette. */
  oldestRecordedDays?: number;
}

export function summariseFixtures(cassettes: readonly LoadedCassette[], now = new Date()): FixtureSummary {
  let authored = 0;
  let recorded = 0;
  let oldest: number | undefined;
  for (const c of cassettes) {
    if (c.provenance.kind === 'authored') authored++;
    else {
      recorded++;
      const days = (now.getTime() - Date.parse(c.provenance.recordedAt)) / 86_400_000;
      oldest = Math.max(oldest ?? 0, days);
    }
  }
  return { authored, recorded, ...(oldest !== undefined ? { oldestRecordedDays: Math.floor(oldest) } : {}) };
}

export function describeFixtures(s: FixtureSummary): string {
  const recorded = s.recorded ? `${s.recorded} recorded (oldest ${s.oldestRecordedDays} d)` : '0 recorded';
  return `${s.authored} authored, ${recorded}`;
}

export function banner(config: Config, cassettes: readonly LoadedCassette[]): string {
  const hosts = config.targets.map((t) => `${t}=${hostOf(config.baseUrls[t]!)}`).join(' ');
  const fixtures = config.mode === 'live' ? 'not used (live)' : config.mode === 'record' ? `recording into ${config.fixturesDir}` : describeFixtures(summariseFixtures(cassettes));
  return `livepeer-ai-contracts · mode ${config.mode} · targets ${config.targets.join(', ')} · ${hosts} · fixtures: ${fixtures}`;
}
