// Allure 3 configuration, read by `allure generate` / `allure open` (and `npm run report`).
// A .ts file because the categories are declared once in support/report/allure-categories.ts; Allure
// loads TypeScript configs itself. Paths follow LIVEPEER_REPORTS_DIR like the rest of the suite.
import { allure3Categories } from './support/report/allure-categories.ts';

const reports = process.env.LIVEPEER_REPORTS_DIR?.trim() || 'reports';

export default {
  name: 'Livepeer AI generate API — contracts',
  output: `${reports}/allure-report`,
  // Trend charts across runs: one line per run; CI restores and saves this file.
  historyPath: `${reports}/history.jsonl`,
  historyLimit: 60,
  categories: allure3Categories(),
  plugins: {
    awesome: {
      options: {
        singleFile: false,
        // The tree as a reader looks for it: area, then DOC row, then pipeline.
        groupBy: ['epic', 'story', 'feature'],
      },
    },
  },
};
