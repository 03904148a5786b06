// The project's Allure reporter (support/report/allure-reporter.ts): allure-vitest's, with a writer that
// skips the fsync per file. Its files must be the ones allure-js-commons' own writer makes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemWriter, type Writer } from 'allure-js-commons/sdk/reporter';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Vitest } from 'vitest/node';
import config from '../../vitest.config.ts';
import AllureReporter, { PlainResultsWriter } from './allure-reporter.ts';
import { runVitest, tail } from '../loopback/child-run.ts';

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
  test('a run of two spec files on two workers writes every test once, with its steps and attachments', async () => {
    const reports = scratch();
    const run = await runVitest(['--project', 'contract', '--maxWorkers=2', 'specs/connectivity.spec.ts', 'specs/cold-models.spec.ts'], {
      LIVEPEER_TEST_MODE: 'replay',
      LIVEPEER_REPORTS_DIR: reports,
    });
    expect(run.code, tail(run)).toBe(0);
    const dir = join(reports, 'allure-results');
    const results = readdirSync(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { fullName: string; status: string; steps: { attachments: { source: string }[] }[] });
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    const ran = [...junit.matchAll(/<testcase [^>]*>(?!\s*<skipped)/g)].length;
    expect(ran).toBeGreaterThan(40);
    expect(results).toHaveLength(ran);
    expect(new Set(results.map((r) => r.fullName)).size).toBe(ran);
    expect(results.every((r) => r.status === 'passed')).toBe(true);
    const sources = results.flatMap((r) => r.steps.flatMap((s) => s.attachments.map((a) => a.source)));
    expect(sources.length).toBeGreaterThan(ran);
    for (const source of sources) expect(readdirSync(dir)).toContain(source);
  }, 120_000);
});
