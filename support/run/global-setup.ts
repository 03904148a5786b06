// Runs once, before any spec: reads .env, checks the configuration, the cassettes and the
// registry, prints the banner, and hands the config to the workers. Any problem stops the run here,
// once, with a message that names what to fix.
import { rmSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import type { TestProject } from 'vitest/node';
import { loadCassettes, strayCassetteFolders, CassetteError } from '../modes/cassettes.ts';
import { loadConfig, type Config } from '../config.ts';
import { RegistryError, registryProblems } from '../deviations/registry.ts';
import { banner } from '../report/banner.ts';
import { startAllureResults } from '../report/allure-env.ts';
import { runDir } from '../modes/session.ts';

export function prepareRun(config: Config): string {
  if (config.mode === 'replay') {
    const stray = strayCassetteFolders(config.fixturesDir);
    if (stray.length) throw new CassetteError(`${config.fixturesDir}/cassettes has folder(s) ${stray.join(', ')}, which are no target: use studio, gateway or runner.`);
  }
  // Every cassette is parsed up front so that a corrupt one is named once, not in forty specs.
  const cassettes = loadCassettes(config.fixturesDir, config.targets);
  const problems = registryProblems();
  if (problems.length) throw new RegistryError(`The deviation registry (support/deviations/registry.ts) is invalid:\n  - ${problems.join('\n  - ')}`);
  rmSync(runDir(config), { recursive: true, force: true });
  return banner(config, cassettes);
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
  startAllureResults(config);
  project.provide('config', config);
}
