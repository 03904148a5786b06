// `npm run report`: the Allure 3 CLI turns `<reports>/allure-results` into a static site under
// `<reports>/allure-report` (allurerc.ts: history, categories), then the report's page is made
// offline: Allure's awesome template always embeds a Google Tag Manager script, which we remove.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allureResultsDir } from '../support/paths.ts';
import { isEntry, reportsDirFromEnv } from './results.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALLURE_CLI = join(ROOT, 'node_modules', 'allure', 'cli.js');

export class ReportError extends Error {
  override name = 'ReportError';
}

/** The analytics block of Allure's HTML template: the loader script and the inline gtag config. */
const ANALYTICS = /\s*<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>[\s\S]*?gtag\([\s\S]*?<\/script>/g;

/** Removes the analytics; fails if any reference to it survives (a new Allure template). */
export function stripAnalytics(html: string): string {
  const out = html.replace(ANALYTICS, '');
  if (/googletagmanager|gtag\(/.test(out)) throw new ReportError('the Allure report still references Google Tag Manager after cleaning: update ANALYTICS in scripts/report.ts for this Allure version');
  return out;
}

export interface ReportPaths {
  results: string;
  report: string;
  history: string;
}

export const reportPaths = (reportsDir: string): ReportPaths => ({
  results: allureResultsDir(reportsDir),
  report: join(reportsDir, 'allure-report'),
  history: join(reportsDir, 'history.jsonl'),
});

/** Generates the report; returns the path of its index.html. */
export function generateReport(env: Record<string, string | undefined> = process.env): string {
  const paths = reportPaths(reportsDirFromEnv(env));
  const hasResults = existsSync(paths.results) && readdirSync(paths.results).some((f) => f.endsWith('-result.json'));
  if (!hasResults) throw new ReportError(`no results in ${resolve(paths.results)}: run the suite first (npm test).`);
  // Allure writes each plugin into <output>/<plugin> and flattens only into an empty folder:
  // over an old report it would leave the old index.html in front. So the old report goes first.
  rmSync(paths.report, { recursive: true, force: true });
  // The CLI reads allurerc.ts from the project root; output and history follow LIVEPEER_REPORTS_DIR there.
  const run = spawnSync(process.execPath, [ALLURE_CLI, 'generate', resolve(paths.results), '--output', resolve(paths.report)], {
    cwd: ROOT,
    // Honoured by Allure's allure2 plugin only; the awesome page is cleaned below.
    env: { ...env, ALLURE_NO_ANALYTICS: 'true' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new ReportError(`allure generate failed (exit ${run.status}):\n${run.stderr || run.stdout}`);
  for (const page of readdirSync(paths.report).filter((f) => f.endsWith('.html'))) {
    const file = join(paths.report, page);
    writeFileSync(file, stripAnalytics(readFileSync(file, 'utf8')));
  }
  const index = join(paths.report, 'index.html');
  if (!existsSync(index)) throw new ReportError(`allure generate wrote no ${index}`);
  return index;
}

if (isEntry(import.meta.url)) {
  try {
    const index = generateReport();
    console.log(`Allure report: ${resolve(index)}\n  open it with: npm run report:open  (or any static server: opened as a file:// page it cannot load its data)`);
  } catch (err) {
    if (!(err instanceof ReportError)) throw err;
    console.error(`report: ${err.message}`);
    process.exitCode = 1;
  }
}
