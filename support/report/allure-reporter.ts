// allure-vitest's reporter, writing each spec file's results when the file ends, with plain writes.
//
// allure-vitest writes every result and attachment after the last test (onTestRunEnd), one at a
// time on the main thread, through allure-js-commons' FileSystemWriter, which writes each to a
// temporary file, fsyncs it and renames it into place (safe for a watcher reading mid-run). A replay
// run's ~2,800 files cost ~4 s there, a third of the run (npm run bench, benchmark 1), while the
// main thread sits idle during the tests. So this reporter hands each spec file to allure-vitest
// as soon as the file ends, and writes plainly: results are rewritten by every run and read only
// after it ends (npm run report). It also labels each contract result from its verdict.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter, { type AllureVitestReporterConfig } from 'allure-vitest/reporter';
import type { RunnerTestFile } from 'vitest';
import type { TestModule, Vitest } from 'vitest/node';
import { CONTRACT_PROJECT } from '../run/projects.ts';
import { writeAllureStart } from './allure-env.ts';
import { resultMetadata } from './allure.ts';
import type { About, RunInfo, VerdictRecord } from './run-record.ts';

type Globals = Parameters<Writer['writeGlobals']>[1];

/** allure-js-commons' Writer with plain writes: same file names, same contents. */
export class PlainResultsWriter implements Writer {
  private made = false;

  constructor(readonly resultsDir: string) {}

  private path(name: string): string {
    if (!this.made) mkdirSync(this.resultsDir, { recursive: true });
    this.made = true;
    return join(this.resultsDir, name);
  }

  private json(name: string, value: unknown): void {
    writeFileSync(this.path(name), JSON.stringify(value), 'utf8');
  }

  writeResult(result: Parameters<Writer['writeResult']>[0]): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGroup(result: Parameters<Writer['writeGroup']>[0]): void {
    this.json(`${result.uuid}-container.json`, result);
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    writeFileSync(this.path(distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    copyFileSync(from, this.path(distFileName));
  }

  writeEnvironmentInfo(info: Parameters<Writer['writeEnvironmentInfo']>[0]): void {
    writeFileSync(this.path('environment.properties'), stringifyEnvInfo(info), 'utf8');
  }

  writeCategoriesDefinitions(categories: Parameters<Writer['writeCategoriesDefinitions']>[0]): void {
    this.json('categories.json', categories);
  }

  writeGlobals(distFileName: string, info: Globals): void {
    this.json(distFileName, info);
  }
}

/** The part of allure-vitest's reporter this file relies on (private in its types, pinned at 3.12.2). */
interface WithRuntime {
  allureReporterRuntime?: { writer: Writer };
}

interface TaskWithMeta {
  type: string;
  tasks?: TaskWithMeta[];
  meta: { about?: About; verdict?: VerdictRecord; allureRuntimeMessages?: unknown[] };
}

/** Adds each contract test's labels, made from its declared check and its verdict, to what allure-vitest writes. */
export function labelTasks(task: TaskWithMeta, run: Pick<RunInfo, 'mode' | 'kind'>): void {
  if (task.type === 'suite' || task.tasks) {
    for (const t of task.tasks ?? []) labelTasks(t, run);
    return;
  }
  const { about, verdict } = task.meta;
  if (!about) return;
  task.meta.allureRuntimeMessages = [...(task.meta.allureRuntimeMessages ?? []), resultMetadata(about, verdict, run)];
}

/**
 * allure-vitest's reporter, with two changes: results are written as each spec file ends, plainly;
 * and the suite checking itself (loopback runs, self-tests) writes into its own results folder,
 * so the report of a run against a target holds only that run's checks.
 */
export default class AllureReporter extends AllureVitestReporter {
  private readonly resultsDir: string;
  private readonly selfCheckResultsDir: string;
  /** Spec files whose results are written already. */
  private readonly written = new Set<string>();
  private writers?: { target: PlainResultsWriter; selfCheck: PlainResultsWriter };

  constructor(config: AllureVitestReporterConfig & { selfCheckResultsDir?: string }) {
    const { selfCheckResultsDir, ...rest } = config;
    super(rest);
    this.resultsDir = config.resultsDir ?? './allure-results';
    this.selfCheckResultsDir = selfCheckResultsDir ?? join(this.resultsDir, '..', 'self-check', 'allure-results');
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    const runtime = (this as unknown as WithRuntime).allureReporterRuntime;
    this.writers = { target: new PlainResultsWriter(this.resultsDir), selfCheck: new PlainResultsWriter(this.selfCheckResultsDir) };
    // After an allure-vitest upgrade that moves the runtime, its own (slower) writer stays in place;
    // support/report/allure-reporter.test.ts fails then, so that this file is looked at again.
    if (runtime && 'writer' in runtime) runtime.writer = this.writers.target;
    // The target's folder is cleared by its run's globalSetup; the self-check folder here, once per run.
    if (vitest.projects.some((p) => p.name !== CONTRACT_PROJECT)) {
      writeAllureStart(this.selfCheckResultsDir, { run: 'self-check: the suite checking itself (loopback runs, self-tests); no verdict here speaks for a target' });
    }
  }

  /** A new run (watch mode) writes every file again. */
  onTestRunStart(): void {
    this.written.clear();
  }

  onTestModuleEnd(module: TestModule): void {
    const runtime = (this as unknown as WithRuntime).allureReporterRuntime;
    const run = (module.project.getProvidedContext() as { run?: RunInfo }).run;
    const selfCheck = run?.kind !== 'target';
    if (runtime && this.writers) runtime.writer = selfCheck ? this.writers.selfCheck : this.writers.target;
    // vitest's file task, which allure-vitest's own onTestRunEnd reads the same way.
    const task = (module as unknown as { task: RunnerTestFile }).task;
    if (run) labelTasks(task as unknown as TaskWithMeta, run);
    this.handleTask(task);
    this.written.add(module.id);
  }

  /** The files not written yet (none, unless vitest skipped a module's end), then the run's global messages. */
  override onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const runtime = (this as unknown as WithRuntime).allureReporterRuntime;
    if (runtime && this.writers) runtime.writer = this.writers.target;
    super.onTestRunEnd(modules.filter((m) => !this.written.has(m.id)));
  }

  /** Whether results go through PlainResultsWriter (for the self-test). */
  get writesPlainly(): boolean {
    return (this as unknown as WithRuntime).allureReporterRuntime?.writer instanceof PlainResultsWriter;
  }
}
