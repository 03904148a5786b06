// Runs once, before any spec: reads .env, checks the configuration, the cassettes and the
// registry, prints the banner, and hands the config and what the run is to the workers and the
// reporters. Any problem stops the run here, once, with a message that names what to fix.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import type { TestProject } from 'vitest/node';
import { hostOf, loadConfig, type Config } from '../config.ts';
import { RegistryError, registryProblems } from '../deviations/registry.ts';
import { CassetteError, loadCassettes, strayCassetteFolders } from '../modes/cassettes.ts';
import { runDir, verdictsFile } from '../paths.ts';
import { gitCommit, startAllureResults } from '../report/allure-env.ts';
import { banner, summariseFixtures } from '../report/banner.ts';
import type { RunInfo } from '../report/run-record.ts';

/** Checks what a run reads before any spec, and clears what the last run left; returns the banner. */
export function prepareRun(config: Config): string {
  if (config.mode === 'replay') {
    const stray = strayCassetteFolders(config.fixturesDir);
    if (stray.length) throw new CassetteError(`${config.fixturesDir}/cassettes has folder(s) ${stray.join(', ')}, which are no target: use studio, gateway or runner.`);
  }
  // Every cassette is parsed up front so that a corrupt one is named once, not in forty specs.
  const cassettes = loadCassettes(config.fixturesDir, config.targets);
  const problems = registryProblems();
  if (problems.length) throw new RegistryError(`The deviation registry (support/deviations/) is invalid:\n  - ${problems.join('\n  - ')}`);
  rmSync(runDir(config.reportsDir), { recursive: true, force: true });
  // A verdicts file left by an earlier run must never be judged as this one's.
  rmSync(verdictsFile(config.reportsDir), { force: true });
  return banner(config, cassettes);
}

/** What a run is: handed to the workers (`inject('run')`) and to the reporters, and written with its verdicts. */
export function runInfo(config: Config, kind: RunInfo['kind'], project: string, now = new Date()): RunInfo {
  const commit = gitCommit();
  return {
    id: randomUUID(),
    kind,
    project,
    mode: config.mode,
    targets: config.targets,
    hosts: Object.fromEntries(config.targets.map((t) => [t, hostOf(config.baseUrls[t]!)])),
    ...(commit ? { commit } : {}),
    startedAt: now.toISOString(),
    ...(config.mode === 'replay' ? { fixtures: summariseFixtures(loadCassettes(config.fixturesDir, config.targets), now) } : {}),
  };
}

/** A setup problem is the user's to fix, not ours to debug: show the message, not a stack. */
export function withoutStack<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && ['ConfigError', 'CassetteError', 'RegistryError'].includes(err.name)) err.stack = `${err.name}: ${err.message}`;
    throw err;
  }
}

export default function setup(project: TestProject): void {
  if (process.env.LIVEPEER_SKIP_DOTENV !== '1') loadDotenv({ quiet: true });
  const config = withoutStack(() => loadConfig(process.env));
  const line = withoutStack(() => prepareRun(config));
  console.log(line);
  const run = runInfo(config, 'target', project.name);
  startAllureResults(config, run);
  project.provide('config', config);
  project.provide('run', run);
}

