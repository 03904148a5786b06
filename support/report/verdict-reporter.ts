// The one reporter that gathers the run's verdicts: each contract test's declared check and its
// verdict leave the worker once (task.meta), and this writes them, with what the run was, to
// `<reports>/verdicts.json`: one file per run, a self-check run's in its own folder. After a full
// replay run of the contract specs it also runs the hygiene checks on that record, and fails the
// run (exit code 1) naming every problem.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import type { Config } from '../config.ts';
import { activeRegistry } from '../deviations/registry.ts';
import { hygieneProblems } from '../hygiene/hygiene.ts';
import { loadCassettes } from '../modes/cassettes.ts';
import { allureResultsDir, verdictsFile } from '../paths.ts';
import { describeEndOfLife } from './end-of-life.ts';
import { appendEnvironment } from './allure-env.ts';
import { RUN_RECORD_VERSION, type RunInfo, type RunRecord, type TestEntry } from './run-record.ts';
import { describeSent, sentByRun } from './sent-count.ts';

const SPECS_DIR = 'specs';

interface Provided {
  config?: Config;
  run?: RunInfo;
}

const STATE: Record<string, TestEntry['state']> = { passed: 'pass', failed: 'fail', skipped: 'skip', pending: 'pending' };

function entry(test: TestCase, root: string): TestEntry {
  const result = test.result();
  const meta = test.meta();
  const error = result.state === 'failed' ? result.errors?.[0]?.message?.split('\n').find((l) => l.trim()) : undefined;
  return {
    name: test.name,
    file: relative(root, test.module.moduleId),
    state: STATE[result.state] ?? 'pending',
    ...(meta.about ? { about: meta.about } : {}),
    ...(meta.verdict ? { verdict: meta.verdict } : {}),
    ...(error ? { error } : {}),
  };
}

export default class VerdictReporter implements Reporter {
  private vitest?: Vitest;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): void {
    const root = this.vitest?.config.root ?? process.cwd();
    const byProject = new Map<string, { provided: Provided; modules: TestModule[] }>();
    for (const m of modules) {
      const provided = m.project.getProvidedContext() as Provided;
      if (!provided.run || !provided.config) continue; // a self-test project: no contract run
      const group = byProject.get(m.project.name) ?? { provided, modules: [] };
      group.modules.push(m);
      byProject.set(m.project.name, group);
    }
    for (const { provided, modules: ms } of byProject.values()) {
      const config = provided.config!;
      const sent = sentByRun(config);
      const record: RunRecord = {
        version: RUN_RECORD_VERSION,
        run: { ...provided.run!, finishedAt: new Date().toISOString() },
        tests: ms.flatMap((m) => [...m.children.allTests()].map((t) => entry(t, root))),
        ...(sent ? { sent } : {}),
      };
      if (sent) console.log(`\n${describeSent(record.run.plan, sent, config.rateLimits).join('\n')}`);
      const file = verdictsFile(config.reportsDir);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      if (record.run.kind !== 'target') continue;
      this.reportEndOfLife(record, config);
      if (this.isFullRun(reason, ms)) this.checkHygiene(record, config);
    }
  }

  /** A run of every spec file, with no name filter or shard: only then can an entry be proven unused. */
  private isFullRun(reason: string, modules: readonly TestModule[]): boolean {
    const config = this.vitest?.config;
    if (reason === 'interrupted' || !config || config.testNamePattern || config.shard) return false;
    const specFiles = readdirSync(SPECS_DIR).filter((f) => f.endsWith('.spec.ts'));
    return specFiles.every((f) => modules.some((m) => m.moduleId.endsWith(`/${SPECS_DIR}/${f}`)));
  }

  /**
   * Retired routes and Deprecation / Sunset / Warning headers the run met, in the run's closing
   * lines and in the report's Environment panel (they may come with a 200 that passes every check).
   */
  private reportEndOfLife(record: RunRecord, config: Config): void {
    const verdicts = record.tests.flatMap((t) => (t.verdict ? [t.verdict] : []));
    const lines = describeEndOfLife({
      retired: [...record.run.retired, ...verdicts.flatMap((v) => (v.retired ? [v.retired] : []))],
      notices: [...record.run.notices, ...verdicts.flatMap((v) => v.notices ?? [])],
    });
    if (lines.length === 0) return;
    console.warn(`\nEnd of life announced by the target:\n${lines.map((l) => `  - ${l}`).join('\n')}\n`);
    appendEnvironment(allureResultsDir(config.reportsDir), Object.fromEntries([...new Set(lines)].map((l, i) => [`end-of-life.${i + 1}`, l])));
  }

  private checkHygiene(record: RunRecord, config: Config): void {
    const cassettes = record.run.mode === 'replay' ? loadCassettes(config.fixturesDir, config.targets) : [];
    const problems = hygieneProblems({ registry: activeRegistry(), record, cassettes });
    if (problems.length === 0) return;
    console.error(`\nHygiene: ${problems.length} problem(s) after a full run — the run fails:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}
