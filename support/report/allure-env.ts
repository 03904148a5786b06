// What the report's "Environment" panel says about a run, and the categories for the classic report:
// written into the allure results folder once per run, by globalSetup, after the stale results of
// the previous run are cleared (allure-vitest only adds files, so the gate would read old runs too).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvInfo, stringifyEnvInfo } from 'allure-js-commons/sdk/reporter';
import { allure2Categories } from './allure-categories.ts';
import type { Config } from '../config.ts';
import { allureResultsDir } from '../paths.ts';
import { describeFixtures } from './banner.ts';
import type { RunInfo } from './run-record.ts';

export const ENVIRONMENT_FILE = 'environment.properties';
export const CATEGORIES_FILE = 'categories.json';


/** The commit under test, or undefined outside a git checkout. Never fails the run. */
export function gitCommit(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.GITHUB_SHA) return env.GITHUB_SHA.slice(0, 12);
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Environment entries: run, mode, targets, hosts (never the key), node, commit, fixtures' provenance. */
export function environmentInfo(config: Config, run: RunInfo): Record<string, string> {
  const info: Record<string, string> = {
    run: `${run.kind} ${run.id}`,
    mode: config.mode,
    targets: config.targets.join(', '),
  };
  for (const [t, host] of Object.entries(run.hosts)) info[`host.${t}`] = host;
  info.node = process.version;
  if (run.commit) info.commit = run.commit;
  if (run.fixtures) {
    info.fixtures = describeFixtures(run.fixtures);
    if (run.fixtures.oldestRecordedDays !== undefined) info['fixtures.oldestRecordedDays'] = String(run.fixtures.oldestRecordedDays);
  } else {
    info.fixtures = config.mode === 'live' ? 'not used (live)' : `recording into ${config.fixturesDir}`;
  }
  info.started = run.startedAt;
  return info;
}

export const formatEnvironment = (info: Record<string, string>) => stringifyEnvInfo(info);
export const parseEnvironment = (text: string): Record<string, string> => parseEnvInfo(text) as Record<string, string>;

/** Clears the previous run's results, then writes environment.properties and categories.json. */
export function startAllureResults(config: Config, run: RunInfo): string {
  const dir = allureResultsDir(config.reportsDir);
  return writeAllureStart(dir, environmentInfo(config, run));
}

/** Adds entries to a results folder's environment.properties (what a run learns as it goes). */
export function appendEnvironment(dir: string, entries: Record<string, string>): void {
  const file = join(dir, ENVIRONMENT_FILE);
  const now = existsSync(file) ? parseEnvironment(readFileSync(file, 'utf8')) : {};
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, formatEnvironment({ ...now, ...entries }));
}

/** Clears an Allure results folder and writes its environment and categories: what every run starts with. */
export function writeAllureStart(dir: string, environment: Record<string, string>): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ENVIRONMENT_FILE), formatEnvironment(environment));
  writeFileSync(join(dir, CATEGORIES_FILE), `${JSON.stringify(allure2Categories(), null, 2)}\n`);
  return dir;
}
