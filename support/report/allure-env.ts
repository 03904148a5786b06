// What the report's "Environment" panel says about a run, and the categories for the classic report:
// written into the allure results folder once per run, by globalSetup, after the stale results of
// the previous run are cleared (allure-vitest only adds files, so the gate would read old runs too).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvInfo, stringifyEnvInfo } from 'allure-js-commons/sdk/reporter';
import { allure2Categories } from './allure-categories.ts';
import { describeFixtures, summariseFixtures } from './banner.ts';
import { loadCassettes, type LoadedCassette } from '../modes/cassettes.ts';
import { hostOf, type Config } from '../config.ts';

export const ENVIRONMENT_FILE = 'environment.properties';
export const CATEGORIES_FILE = 'categories.json';

/** Where allure-vitest writes (vitest.config.ts builds the same path from LIVEPEER_REPORTS_DIR). */
export const allureResultsDir = (reportsDir: string) => join(reportsDir, 'allure-results');

/** The commit under test, or undefined outside a git checkout. Never fails the run. */
export function gitCommit(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.GITHUB_SHA) return env.GITHUB_SHA.slice(0, 12);
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Environment entries: mode, targets, hosts (never the key), node, commit, fixtures' provenance. */
export function environmentInfo(config: Config, cassettes: readonly LoadedCassette[], now = new Date(), commit = gitCommit()): Record<string, string> {
  const info: Record<string, string> = {
    mode: config.mode,
    targets: config.targets.join(', '),
  };
  for (const t of config.targets) info[`host.${t}`] = hostOf(config.baseUrls[t]!);
  info.node = process.version;
  if (commit) info.commit = commit;
  if (config.mode === 'replay') {
    const summary = summariseFixtures(cassettes, now);
    info.fixtures = describeFixtures(summary);
    if (summary.oldestRecordedDays !== undefined) info['fixtures.oldestRecordedDays'] = String(summary.oldestRecordedDays);
  } else {
    info.fixtures = config.mode === 'live' ? 'not used (live)' : `recording into ${config.fixturesDir}`;
  }
  info.started = now.toISOString();
  return info;
}

export const formatEnvironment = (info: Record<string, string>) => stringifyEnvInfo(info);
export const parseEnvironment = (text: string): Record<string, string> => parseEnvInfo(text) as Record<string, string>;

/** Clears the previous run's results, then writes environment.properties and categories.json. */
export function startAllureResults(config: Config): string {
  const dir = allureResultsDir(config.reportsDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cassettes = config.mode === 'replay' ? loadCassettes(config.fixturesDir, config.targets) : [];
  writeFileSync(join(dir, ENVIRONMENT_FILE), formatEnvironment(environmentInfo(config, cassettes)));
  writeFileSync(join(dir, CATEGORIES_FILE), `${JSON.stringify(allure2Categories(), null, 2)}\n`);
  return dir;
}
