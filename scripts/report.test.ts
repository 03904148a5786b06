import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateReport, ReportError, stripAnalytics } from './report.ts';
import { PASSING, writeRun, type SyntheticTest } from './synthetic-results.ts';

// The block Allure 3.18's awesome template writes into every index.html.
const TEMPLATE_TAIL = `    {{{ bodyTags }}}
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', {
          "report": "awesome",
        });
    </script>
    <script>window.allureReportData = {}</script>
</body>`;

describe('stripAnalytics', () => {
  test('removes the tag manager loader and its inline config, and nothing else', () => {
    const out = stripAnalytics(TEMPLATE_TAIL);
    expect(out).not.toMatch(/googletagmanager|gtag|dataLayer/);
    expect(out).toContain('{{{ bodyTags }}}');
    expect(out).toContain('<script>window.allureReportData = {}</script>');
  });

  test('refuses a page where analytics survive the cleaning', () => {
    expect(() => stripAnalytics('<script src="https://www.googletagmanager.com/gtm.js"></script>')).toThrow(ReportError);
  });
});

/** Names of the tests Allure 3 put under each category (widgets/categories.json). */
function categorised(reportDir: string): Record<string, string[]> {
  const tree = JSON.parse(readFileSync(join(reportDir, 'widgets', 'categories.json'), 'utf8')) as { roots: string[]; nodes: Record<string, { name?: string; childrenIds?: string[] }> };
  const nameOf = (id: string) => (JSON.parse(readFileSync(join(reportDir, 'data', 'test-results', `${id}.json`), 'utf8')) as { name: string }).name;
  const leaves = (id: string): string[] => {
    const node = tree.nodes[id];
    return node?.childrenIds ? node.childrenIds.flatMap(leaves) : [nameOf(id)];
  };
  return Object.fromEntries(tree.roots.map((id) => [tree.nodes[id]!.name!, leaves(id).sort()]));
}

describe('npm run report (Allure 3 CLI)', () => {
  const sorted: SyntheticTest[] = [
    ...PASSING,
    { check: 'DOC-02', target: 'gateway', status: 'broken', outcome: 'changed', name: 'changed [gateway]', message: 'DOC-02 [gateway]: changed: the documented behaviour does not hold' },
    { check: 'DOC-10', target: 'studio', status: 'broken', outcome: 'changed', mode: 'live', name: 'cold [studio]', message: 'DOC-10 [studio]: changed: …\n  seen:       503 {"error":"Service Unavailable Error"}' },
    { check: 'DOC-10', target: 'studio', status: 'broken', outcome: 'changed', mode: 'live', name: 'refused [studio]', message: 'DOC-10 [studio]: changed: …\n  seen:       connection: POST /text-to-image failed without an HTTP response (ECONNREFUSED)' },
    // Replayed, a dropped connection is recorded behaviour: a change, not the network.
    { check: 'DOC-07', target: 'gateway', status: 'broken', outcome: 'changed', mode: 'replay', name: 'replayed drop [gateway]', message: 'DOC-07 [gateway]: changed: …\n  seen:       connection: ECONNRESET' },
    { target: 'runner', status: 'broken', name: 'DOC-03 miss [runner]', message: 'DOC-03 [runner]: Replay miss on runner: no recorded exchange matches POST /upscale (auth absent).' },
    { check: 'DOC-09', target: 'studio', status: 'broken', name: 'budget [studio]', message: 'DOC-09 [studio]: LIVEPEER_MAX_PAID_REQUESTS=40 reached: POST /llm was not sent.' },
  ];

  test('writes index.html without analytics, sorts results into the categories, and keeps history', { timeout: 60_000 }, () => {
    const reportsDir = writeRun(sorted);
    const started = Date.now();
    const index = generateReport({ ...process.env, LIVEPEER_REPORTS_DIR: reportsDir });
    const seconds = (Date.now() - started) / 1000;
    expect(index).toBe(join(reportsDir, 'allure-report', 'index.html'));
    expect(existsSync(index)).toBe(true);
    for (const page of readdirSync(join(reportsDir, 'allure-report')).filter((f) => f.endsWith('.html'))) {
      expect(readFileSync(join(reportsDir, 'allure-report', page), 'utf8')).not.toMatch(/googletagmanager|gtag\(/);
    }
    expect(categorised(join(reportsDir, 'allure-report'))).toEqual({
      Configuration: ['budget [studio]'],
      'Replay miss': ['DOC-03 miss [runner]'],
      'Network / infrastructure': ['refused [studio]'],
      'Cold model': ['cold [studio]'],
      'Changed behaviour (regression)': ['changed [gateway]', 'replayed drop [gateway]'],
      'Known deviation': ['DOC-01 pinned [gateway]', 'DOC-01 pinned [studio]'],
    });
    // The next run: history (trend charts) grows by one line, and the new report replaces the old.
    const history = join(reportsDir, 'history.jsonl');
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(1);
    writeRun([{ check: 'DOC-13', target: 'runner', status: 'passed', outcome: 'conforms' }], undefined, reportsDir);
    generateReport({ ...process.env, LIVEPEER_REPORTS_DIR: reportsDir });
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(2);
    const total = (JSON.parse(readFileSync(join(reportsDir, 'allure-report', 'widgets', 'statistic.json'), 'utf8')) as { total: number }).total;
    expect(total).toBe(sorted.length + 1);
    expect(existsSync(join(reportsDir, 'allure-report', 'awesome'))).toBe(false);
    expect(seconds).toBeLessThan(20);
  });

  test('no results: a ReportError that says to run the suite', () => {
    expect(() => generateReport({ LIVEPEER_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'livepeer-reports-')) })).toThrow(/no results in .*: run the suite first/);
  });
});
