// The names of the vitest projects (vitest.config.ts), for the code that treats them apart.
/** The contract specs against the configured target(s): the run the gate judges. */
export const CONTRACT_PROJECT = 'contract';
/** The suite's own unit and end-to-end tests. */
export const SELF_TEST_PROJECT = 'self-test';
