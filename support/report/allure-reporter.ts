// allure-vitest's reporter, writing each spec file's results when the file ends, with plain writes.
//
// allure-vitest writes every result and attachment after the last test (onTestRunEnd), one at a
// time on the main thread, through allure-js-commons' FileSystemWriter, which writes each to a
// temporary file, fsyncs it and renames it into place (safe for a watcher reading mid-run). A replay
// run's ~2,800 files cost ~4 s there, a third of the run (npm run bench, benchmark 1), while the
// main thread sits idle during the tests. So this reporter hands each spec file to allure-vitest
// as soon as the file ends, and writes plainly: results are rewritten by every run and read only
// after it ends (npm run report, gate, matrix).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter, { type AllureVitestReporterConfig } from 'allure-vitest/reporter';
import type { RunnerTestFile } from 'vitest';
import type { TestModule, Vitest } from 'vitest/node';

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

export default class AllureReporter extends AllureVitestReporter {
  private readonly resultsDir: string;
  /** Spec files whose results are written already. */
  private readonly written = new Set<string>();

  constructor(config: AllureVitestReporterConfig) {
    super(config);
    this.resultsDir = config.resultsDir ?? './allure-results';
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    const runtime = (this as unknown as WithRuntime).allureReporterRuntime;
    // After an allure-vitest upgrade that moves the runtime, its own (slower) writer stays in place;
    // support/report/allure-reporter.test.ts fails then, so that this file is looked at again.
    if (runtime && 'writer' in runtime) runtime.writer = new PlainResultsWriter(this.resultsDir);
  }

  /** A new run (watch mode) writes every file again. */
  onTestRunStart(): void {
    this.written.clear();
  }

  onTestModuleEnd(module: TestModule): void {
    // vitest's file task, which allure-vitest's own onTestRunEnd reads the same way.
    this.handleTask((module as unknown as { task: RunnerTestFile }).task);
    this.written.add(module.id);
  }

  /** The files not written yet (none, unless vitest skipped a module's end), then the run's global messages. */
  override onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    super.onTestRunEnd(modules.filter((m) => !this.written.has(m.id)));
  }

  /** Whether results go through PlainResultsWriter (for the self-test). */
  get writesPlainly(): boolean {
    return (this as unknown as WithRuntime).allureReporterRuntime?.writer instanceof PlainResultsWriter;
  }
}
