import { defineConfig } from 'vitest/config';

// Where results go; the same variable the suite's config reads (default reports/).
const reportsDir = process.env.LIVEPEER_REPORTS_DIR || 'reports';

// Two projects in one run: the contract specs (mode and targets from the environment, checked
// once by globalSetup) and the self-tests of support/ (offline, no configuration).
export default defineConfig({
  test: {
    reporters: [
      'default',
      ['allure-vitest/reporter', { resultsDir: `${reportsDir}/allure-results` }],
      ['junit', { outputFile: `${reportsDir}/junit.xml` }],
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'contract',
          include: ['specs/**/*.spec.ts'],
          globalSetup: ['support/global-setup.ts'],
          setupFiles: ['allure-vitest/setup'],
        },
      },
      {
        extends: true,
        test: {
          name: 'self-test',
          include: ['support/**/*.test.ts', 'scripts/**/*.test.ts'],
          setupFiles: ['allure-vitest/setup'],
        },
      },
    ],
  },
});
