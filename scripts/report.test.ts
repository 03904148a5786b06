import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateReport, ReportError, stripAnalytics } from './report.ts';
import { writeAllureRun, type SyntheticTest } from './synthetic-allure.ts';

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
    { check: 'DOC-01', target: 'studio', status: 'passed', outcome: 'known deviation', deviation: 'studio-doc01-404', name: 'DOC-01 pinned [studio]' },
    { check: 'DOC-01', target: 'runner', status: 'passed', outcome: 'conforms' },
    { check: 'DOC-01', target: 'gateway', status: 'passed', outcome: 'known deviation', deviation: 'gateway-doc01-200-empty', name: 'DOC-01 pinned [gateway]' },
    { check: 'DOC-08', target: 'suite', status: 'passed', outcome: 'conforms' },
    { check: 'DOC-11', target: 'runner', status: 'skipped' },
    { check: 'DOC-02', target: 'gateway', status: 'broken', outcome: 'changed', name: 'changed [gateway]', message: 'DOC-02 [gateway]: changed: the documented behaviour does not hold' },
    { check: 'DOC-10', target: 'studio', status: 'broken', outcome: 'changed', mode: 'live', name: 'cold [studio]', message: 'DOC-10 [studio]: changed: …\n  seen:       503 {"error":"Service Unavailable Error"}' },
    { check: 'DOC-10', target: 'studio', status: 'broken', outcome: 'no answer', mode: 'live', name: 'refused [studio]', message: 'DOC-10 [studio]: no answer from studio: unreachable (ECONNREFUSED) on POST https://livepeer.studio/api/beta/generate/text-to-image' },
    { check: 'DOC-11', target: 'studio', status: 'broken', outcome: 'no answer', mode: 'live', name: 'silent [studio]', message: 'DOC-11 [studio]: no answer from studio: timeout (TimeoutError) on POST https://livepeer.studio/api/beta/generate/llm' },
    // Replayed, a dropped connection is recorded behaviour: a change, not the network.
    { check: 'DOC-07', target: 'gateway', status: 'broken', outcome: 'changed', mode: 'replay', name: 'replayed drop [gateway]', message: 'DOC-07 [gateway]: changed: …\n  seen:       dropped: ECONNRESET' },
    { target: 'runner', status: 'broken', name: 'DOC-03 miss [runner]', message: 'DOC-03 [runner]: Replay miss on runner: no recorded exchange matches POST /upscale (auth absent).' },
    { check: 'DOC-09', target: 'studio', status: 'broken', name: 'budget [studio]', message: 'DOC-09 [studio]: LIVEPEER_MAX_PAID_REQUESTS=40 reached: POST /llm was not sent.' },
  ];

  test('writes index.html without analytics, sorts results into the categories, and keeps history', { timeout: 60_000 }, () => {
    const reportsDir = writeAllureRun(sorted);
    const index = generateReport({ ...process.env, LIVEPEER_REPORTS_DIR: reportsDir });
    expect(index).toBe(join(reportsDir, 'allure-report', 'index.html'));
    expect(existsSync(index)).toBe(true);
    for (const page of readdirSync(join(reportsDir, 'allure-report')).filter((f) => f.endsWith('.html'))) {
      expect(readFileSync(join(reportsDir, 'allure-report', page), 'utf8')).not.toMatch(/googletagmanager|gtag\(/);
    }
    expect(categorised(join(reportsDir, 'allure-report'))).toEqual({
      Configuration: ['budget [studio]'],
      'Replay miss': ['DOC-03 miss [runner]'],
      'Network / infrastructure': ['refused [studio]', 'silent [studio]'],
      'Cold model': ['cold [studio]'],
      'Changed behaviour (regression)': ['changed [gateway]', 'replayed drop [gateway]'],
      'Known deviation': ['DOC-01 pinned [gateway]', 'DOC-01 pinned [studio]'],
    });
    // The next run: history (trend charts) grows by one line, and the new report replaces the old.
    const history = join(reportsDir, 'history.jsonl');
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(1);
    writeAllureRun([{ check: 'DOC-13', target: 'runner', status: 'passed', outcome: 'conforms' }], undefined, reportsDir);
    generateReport({ ...process.env, LIVEPEER_REPORTS_DIR: reportsDir });
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(2);
    const total = (JSON.parse(readFileSync(join(reportsDir, 'allure-report', 'widgets', 'statistic.json'), 'utf8')) as { total: number }).total;
    expect(total).toBe(sorted.length + 1);
    expect(existsSync(join(reportsDir, 'allure-report', 'awesome'))).toBe(false);
  });

  test('no results: a ReportError that says to run the suite', () => {
    expect(() => generateReport({ LIVEPEER_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'livepeer-reports-')) })).toThrow(/no results in .*: run the suite first/);
  });
});
