// The project's Allure reporter (support/report/allure-reporter.ts): allure-vitest's, with a writer that
// skips the fsync per file (its files must be the ones allure-js-commons' own writer makes), the
// labels of each verdict, and a folder of its own for the suite's checks of itself.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemWriter, type Writer } from 'allure-js-commons/sdk/reporter';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Vitest } from 'vitest/node';
import config from '../../vitest.config.ts';
import AllureReporter, { PlainResultsWriter } from './allure-reporter.ts';
import { runVitest, tail } from '../loopback/child-run.ts';
import { verdictsFile } from '../paths.ts';
import { readRunRecord } from './run-record.ts';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'allure-writer-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every call a reporter makes, with contents that exercise JSON, text and binary writes. */
function writeEverything(writer: Writer, source: string): void {
  writer.writeResult({ uuid: 'r1', name: 'DOC-01 GET → 405 "quoted" ünïcode', status: 'passed', labels: [{ name: 'check', value: 'DOC-01' }] } as unknown as Parameters<Writer['writeResult']>[0]);
  writer.writeGroup({ uuid: 'g1', children: ['r1'], befores: [], afters: [] } as unknown as Parameters<Writer['writeGroup']>[0]);
  writer.writeAttachment('a1-attachment.json', Buffer.from('{"status":405}\n'));
  writer.writeAttachment('a2-attachment.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 10, 13]));
  writer.writeAttachmentFromPath('a3-attachment.txt', source);
  writer.writeEnvironmentInfo({ mode: 'replay', targets: 'studio, gateway', 'host.studio': 'livepeer.studio' });
  writer.writeCategoriesDefinitions([{ name: 'changed', matchedStatuses: ['failed'] }] as unknown as Parameters<Writer['writeCategoriesDefinitions']>[0]);
  writer.writeGlobals('x-globals.json', { attachments: [], errors: [] } as unknown as Parameters<Writer['writeGlobals']>[1]);
}

const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));

describe('the Allure results writer', () => {
  test("writes the same files, byte for byte, as allure-js-commons' FileSystemWriter", () => {
    const root = scratch();
    const source = join(root, 'source.txt');
    writeFileSync(source, 'attached from a path\n');
    const theirs = join(root, 'theirs');
    const ours = join(root, 'ours', 'nested');
    writeEverything(new FileSystemWriter({ resultsDir: theirs }), source);
    writeEverything(new PlainResultsWriter(ours), source);
    const expected = filesOf(theirs);
    expect(Object.keys(expected)).toHaveLength(8);
    expect(filesOf(ours)).toEqual(expected);
  });

  test("replaces allure-vitest's writer when the reporter starts (fails if an upgrade moved it)", () => {
    const resultsDir = scratch();
    const reporter = new AllureReporter({ resultsDir });
    expect(reporter.writesPlainly).toBe(false);
    reporter.onInit({ projects: [] } as unknown as Vitest);
    expect(reporter.writesPlainly).toBe(true);
  });
});

describe('the Allure reporter in vitest.config.ts', () => {
  test('is this one, and reports no step per expect() (compared values would reach the results unredacted)', () => {
    const reporters = [config.test?.reporters ?? []].flat() as unknown[];
    const allure = reporters.find((r): r is [string, Record<string, unknown>] => Array.isArray(r) && String(r[0]).includes('allure'));
    expect(allure?.[0]).toBe('./support/report/allure-reporter.ts');
    expect(allure?.[1]).toMatchObject({ reportMatchers: false });
  });
});

describe('results written as each spec file ends', () => {
  test('a run of two spec files on two workers writes every test once, with its steps, attachments and the labels of its verdict', async () => {
    const reports = scratch();
    const run = await runVitest(['--project', 'contract', '--maxWorkers=2', 'specs/connectivity.spec.ts', 'specs/cold-models.spec.ts'], {
      LIVEPEER_TEST_MODE: 'replay',
      LIVEPEER_REPORTS_DIR: reports,
    });
    expect(run.code, tail(run)).toBe(0);
    const dir = join(reports, 'allure-results');
    type Result = { name: string; fullName: string; status: string; labels: { name: string; value: string }[]; steps: { attachments: { source: string }[] }[] };
    const results = readdirSync(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Result);
    const record = readRunRecord(verdictsFile(reports));
    const ran = record.tests.filter((t) => t.state !== 'skip');
    expect(ran.length).toBeGreaterThan(40);
    expect(results).toHaveLength(ran.length);
    expect(new Set(results.map((r) => r.fullName)).size).toBe(ran.length);
    expect(results.every((r) => r.status === 'passed')).toBe(true);
    const sources = results.flatMap((r) => r.steps.flatMap((s) => s.attachments.map((a) => a.source)));
    expect(sources.length).toBeGreaterThan(ran.length);
    for (const source of sources) expect(readdirSync(dir)).toContain(source);
    // The labels come from each test's verdict in the run record, not from the worker.
    const label = (r: Result, name: string) => r.labels.filter((l) => l.name === name).map((l) => l.value);
    for (const t of ran) {
      const r = results.find((x) => x.name === t.name)!;
      expect({ check: label(r, 'check'), target: label(r, 'target'), outcome: label(r, 'outcome'), deviation: label(r, 'deviation'), run: label(r, 'run') }, t.name).toEqual({
        check: [t.verdict!.check],
        target: [t.verdict!.subject],
        outcome: [t.verdict!.outcome],
        deviation: t.verdict!.pin ? [t.verdict!.pin] : [],
        run: ['target'],
      });
    }
  }, 120_000);

  test("the suite's checks of itself write into their own results folder, never into the target run's", () => {
    const dirs = { target: scratch(), selfCheck: scratch() };
    const reporter = new AllureReporter({ resultsDir: dirs.target, selfCheckResultsDir: dirs.selfCheck, reportMatchers: false });
    const task = (name: string) => ({ type: 'test', name, mode: 'run', meta: { about: { check: 'DOC-01', subject: 'runner' }, verdict: { check: 'DOC-01', subject: 'runner', outcome: 'conforms', headline: 'conforms', requests: 1, interactions: [] } }, result: { state: 'pass', startTime: 1, duration: 1 }, file: { filepath: '/x/specs/a.spec.ts', name: 'specs/a.spec.ts' }, suite: undefined });
    const moduleOf = (project: string, run?: object) => ({ id: project, project: { name: project, getProvidedContext: () => (run ? { run } : {}) }, task: { type: 'suite', tasks: [task(`DOC-01 in ${project} [runner]`)], meta: {} } });
    reporter.onInit({ projects: [{ name: 'contract', config: { setupFiles: [], browser: {} }, provide() {} }, { name: 'live-loopback-runner', config: { setupFiles: [], browser: {} }, provide() {} }] } as never);
    reporter.onTestModuleEnd(moduleOf('contract', { kind: 'target', mode: 'replay' }) as never);
    reporter.onTestModuleEnd(moduleOf('live-loopback-runner', { kind: 'self-check', mode: 'live' }) as never);
    const names = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('-result.json')).map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; labels: { name: string; value: string }[] }));
    expect(names(dirs.target).map((r) => r.name)).toEqual(['DOC-01 in contract [runner]']);
    expect(names(dirs.selfCheck).map((r) => r.name)).toEqual(['DOC-01 in live-loopback-runner [runner]']);
    expect(names(dirs.selfCheck)[0]!.labels).toContainEqual({ name: 'run', value: 'self-check' });
  });
});
