// Runs once, before any spec: reads .env, checks the configuration, the cassettes and the
// registry, prints the banner, and hands the config and what the run is to the workers and the
// reporters. Any problem stops the run here, once, with a message that names what to fix.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import type { TestProject } from 'vitest/node';
import { ConfigError, hostOf, loadConfig, type Config } from '../config.ts';
import { activeRegistry, RegistryError, registryProblems, useRegistryOf } from '../deviations/registry.ts';
import { waitingProposals } from '../deviations/pin-review.ts';
import { CassetteError, loadCassettes, strayCassetteFolders, type LoadedCassette } from '../modes/cassettes.ts';
import { runDir, verdictsFile } from '../paths.ts';
import { gitCommit, startAllureResults } from '../report/allure-env.ts';
import { banner, summariseFixtures } from '../report/banner.ts';
import { RUN_RECORD_VERSION, type RunInfo, type RunRecord } from '../report/run-record.ts';
import { describeEndOfLife } from '../report/end-of-life.ts';
import { describePlan, plan, type Plan } from './plan.ts';
import { establishFacts, PreflightError, type Facts } from './preflight.ts';

/** Checks what a run reads before any spec, and clears what the last run left; returns the cassettes it read. */
export function prepareRun(config: Config): readonly LoadedCassette[] {
  if (config.mode === 'replay') {
    const stray = strayCassetteFolders(config.fixturesDir);
    if (stray.length) throw new CassetteError(`${config.fixturesDir}/cassettes has folder(s) ${stray.join(', ')}, which are no target: use studio, gateway or runner.`);
  }
  // Every cassette is parsed up front so that a corrupt one is named once, not in forty specs.
  const cassettes = loadCassettes(config.fixturesDir, config.targets);
  // The code pins and the reviewed data pins of this run's fixtures (support/deviations/data-pins.ts).
  const registry = useRegistryOf(config.fixturesDir);
  const problems = [...registry.problems, ...registryProblems()];
  if (problems.length) throw new RegistryError(`The deviation registry (support/deviations/, ${config.fixturesDir}/pins/) is invalid:\n  - ${problems.join('\n  - ')}`);
  rmSync(runDir(config.reportsDir), { recursive: true, force: true });
  // A verdicts file left by an earlier run must never be judged as this one's.
  rmSync(verdictsFile(config.reportsDir), { force: true });
  return cassettes;
}

/** What a run is: handed to the workers (`inject('run')`) and to the reporters, and written with its verdicts. */
export function runInfo(config: Config, kind: RunInfo['kind'], project: string, facts: Facts, now = new Date()): RunInfo {
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
    ...facts,
    plan: {},
    pins: { data: activeRegistry().filter((d) => d.from !== undefined).length, waiting: waitingProposals(config.fixturesDir) },
  };
}

/** Everything before the first spec: checks, the facts of the target, the banner. Throws a setup error that names what to fix. */
export async function startRun(config: Config, kind: RunInfo['kind'], project: string): Promise<{ run: RunInfo; banner: string }> {
  const cassettes = withoutStack(() => prepareRun(config));
  const facts = await withoutStackAsync(() =>
    establishFacts(config, cassettes).catch((err: unknown) => {
      // A target that does not answer is still a run that judged it: its record says so, for the gate.
      if (err instanceof PreflightError) writeStoppedRun(config, runInfo(config, kind, project, { served: {}, checksToken: {}, versions: {}, retired: [], notices: [] }), err.message);
      throw err;
    }),
  );
  const plans = plan(config, facts);
  if (config.mode !== 'replay') withoutStack(() => checkCap(config, plans));
  const run = { ...runInfo(config, kind, project, facts), plan: Object.fromEntries(Object.entries(plans).map(([t, p]) => [t, { paid: p.paid, counted: p.counted }])) };
  const live = config.mode === 'replay' ? [] : describePlan(config, plans);
  return { run, banner: [banner(config, cassettes, run), ...[...live, ...describeEndOfLife(facts)].map((l) => `  ${l}`)].join('\n') };
}

/** A cap on paid requests below what the run will send stops it here, naming the number it needs. */
export function checkCap(config: Config, plans: Record<string, Plan>): void {
  const over = Object.entries(plans).filter(([, p]) => p.paid > config.maxPaidRequests);
  if (over.length === 0) return;
  const [target, p] = over[0]!;
  throw new ConfigError(
    [
      'Configuration error: the suite did not start.',
      `  - LIVEPEER_MAX_PAID_REQUESTS=${config.maxPaidRequests} is below this run's plan: it sends ${p.paid} requests that run a model on ${target}, and the cap would refuse ${p.paid - config.maxPaidRequests} of them.`,
      `    Set LIVEPEER_MAX_PAID_REQUESTS=${p.paid} (or more), or check fewer pipelines with LIVEPEER_PIPELINES.`,
      `    The plan: ${p.requests.filter((r) => r.paid).map((r) => `${r.what}${r.sends > 1 ? ` ×${r.sends}` : ''}`).join('; ')}.`,
    ].join('\n'),
  );
}

/** The record of a run that stopped before any spec: what it was, and why. */
function writeStoppedRun(config: Config, run: RunInfo, reason: string): void {
  const record: RunRecord = { version: RUN_RECORD_VERSION, run: { ...run, finishedAt: new Date().toISOString() }, tests: [], stopped: reason };
  mkdirSync(dirname(verdictsFile(config.reportsDir)), { recursive: true });
  writeFileSync(verdictsFile(config.reportsDir), `${JSON.stringify(record, null, 2)}\n`);
}

const SETUP_ERRORS = ['ConfigError', 'CassetteError', 'RegistryError', 'PreflightError'];

/** A setup problem is the user's to fix, not ours to debug: show the message, not a stack. */
export function withoutStack<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && SETUP_ERRORS.includes(err.name)) err.stack = `${err.name}: ${err.message}`;
    throw err;
  }
}

export async function withoutStackAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error && SETUP_ERRORS.includes(err.name)) err.stack = `${err.name}: ${err.message}`;
    throw err;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  if (process.env.LIVEPEER_SKIP_DOTENV !== '1') loadDotenv({ quiet: true });
  const config = withoutStack(() => loadConfig(process.env));
  const { run, banner: line } = await startRun(config, 'target', project.name);
  console.log(line);
  startAllureResults(config, run);
  project.provide('config', config);
  project.provide('run', run);
}
