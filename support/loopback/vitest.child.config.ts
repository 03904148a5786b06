// The contract project exactly as vitest.config.ts declares it, plus support/loopback/per-test.ts:
// what a self-test's child run uses to run live or record against loopback servers (the round
// trip, the preflight and served-pipeline self-tests). Each worker gets its own server and every
// test restarts the recorded sequences, as replay does; everything else (globalSetup from the
// environment, preflight, session, recorder, redaction, reporters) is the user's live command or
// `npm run record`.
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
