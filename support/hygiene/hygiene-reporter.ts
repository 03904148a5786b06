// A vitest reporter that runs the hygiene checks after a full run of the contract specs and
// fails the run (exit code 1) naming every problem. A partial run (a file or name filter, a shard)
// cannot tell an unused entry from an unselected one, so it is not checked.
import { readdirSync } from 'node:fs';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { loadCassettes, type LoadedCassette } from '../modes/cassettes.ts';
import { DEVIATIONS } from '../deviations/registry.ts';
import { hygieneProblems, readUsage, type TestSeen } from './hygiene.ts';
import type { TargetId } from '../catalogue.ts';

const SPECS_DIR = 'specs';

export default class HygieneReporter implements Reporter {
  private vitest?: Vitest;

  constructor(private readonly options: { reportsDir: string }) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): void {
    const config = this.vitest?.config;
    if (reason === 'interrupted' || !config || config.testNamePattern || config.shard) return;
    const specFiles = readdirSync(SPECS_DIR).filter((f) => f.endsWith('.spec.ts'));
    const byProject = new Map<string, TestModule[]>();
    for (const m of modules) {
      if (!m.moduleId.includes(`/${SPECS_DIR}/`)) continue;
      byProject.set(m.project.name, [...(byProject.get(m.project.name) ?? []), m]);
    }
    const full = [...byProject.values()].filter((ms) => specFiles.every((f) => ms.some((m) => m.moduleId.endsWith(`/${SPECS_DIR}/${f}`))));
    if (full.length === 0) return;

    const tests: TestSeen[] = full.flat().flatMap((m) => [...m.children.allTests()].map((t) => ({ name: t.name, state: t.result().state })));
    const usage = readUsage(this.options.reportsDir);
    const targets = [...new Set(usage.flatMap((u) => u.targets))] as TargetId[];
    const cassettes: LoadedCassette[] = [];
    for (const dir of new Set(usage.filter((u) => u.mode === 'replay').map((u) => u.fixturesDir))) {
      const replayTargets = [...new Set(usage.filter((u) => u.mode === 'replay' && u.fixturesDir === dir).flatMap((u) => u.targets))];
      cassettes.push(...loadCassettes(dir, replayTargets));
    }
    const problems = hygieneProblems({ registry: DEVIATIONS, usage, cassettes, tests, targets });
    if (problems.length === 0) return;
    console.error(`\nHygiene: ${problems.length} problem(s) after a full run — the run fails:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}
