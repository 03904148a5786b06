// The contract project exactly as vitest.config.ts declares it, plus support/loopback/per-test.ts:
// what a self-test's child run uses to record from loopback servers (the round trip). Each worker
// gets its own server and every test restarts the recorded sequences, as replay does; everything
// else (globalSetup from the environment, session, recorder, redaction, Allure and JUnit reporters)
// is the user's `npm run record`.
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import main from '../../vitest.config.ts';

const contract = (main.test?.projects ?? []).find(
  (p): p is TestProjectInlineConfiguration => typeof p === 'object' && 'test' in p && p.test?.name === 'contract',
);
if (!contract?.test) throw new Error('vitest.config.ts declares no project "contract"');
const setupFiles = [contract.test.setupFiles ?? []].flat();

export default defineConfig({
  ...main,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...main.test,
    projects: [{ ...contract, test: { ...contract.test, setupFiles: [...setupFiles, 'support/loopback/per-test.ts'] } }],
  },
});
