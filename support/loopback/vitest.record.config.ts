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

// The hygiene reporter judges full replay runs: a record run skips the replay-only specs by design,
// so their deviations look unexercised. It writes nothing a secret could reach.
const reporters = [main.test?.reporters ?? []].flat().filter((r) => !JSON.stringify(r).includes('hygiene-reporter'));

export default defineConfig({
  ...main,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...main.test,
    reporters,
    projects: [{ ...contract, test: { ...contract.test, setupFiles: [...setupFiles, 'support/loopback/per-test.ts'] } }],
  },
});
