// The suite's `test`: vitest's, extended with the run's config and a session (mode driver and
// clients) per spec file. Specs never read process.env; configuration comes from globalSetup.
import { basename } from 'node:path';
import { inject, test as base } from 'vitest';
import type { Config } from '../config.ts';
import { Session } from '../modes/session.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    config: Config;
  }
}

/** The run's configuration, checked once by globalSetup. Usable at collection time. */
export const runConfig = (): Config => inject('config');

export const test = base
  .extend('session', { scope: 'file' }, async ({}, { onCleanup }) => {
    const session = new Session(runConfig());
    onCleanup(async () => {
      await session.finish();
    });
    return session;
  })
  // The session, reset for this test: sequences restart, exchanges are collected afresh.
  .extend('api', async ({ session, task }) => {
    session.area = basename(task.file.name).replace(/\.(spec|test)\.ts$/, '');
    session.beginTest();
    return session;
  });

export { describe, expect } from 'vitest';
