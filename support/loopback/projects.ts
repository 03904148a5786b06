// The vitest projects that run the specs live against each target's loopback server, and what
// their workers are told about the servers. Free of side effects and heavy imports: vitest.config.ts reads it.
import { TARGET_IDS, type TargetId } from '../catalogue.ts';

/** One loopback server per worker slot (VITEST_POOL_ID 1..n): its base URL and its reset route. */
export interface LoopbackContext {
  target: TargetId;
  slots: { url: string; resetUrl: string }[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    loopback: LoopbackContext;
  }
}

/** Internal: how a self-test hands its loopback servers to a child vitest run. */
export const SLOTS_VARIABLE = 'LIVEPEER_LOOPBACK_SLOTS';

export const loopbackProjectName = (target: TargetId) => `live-loopback-${target}`;

export function targetOfProject(name: string): TargetId {
  const target = TARGET_IDS.find((t) => loopbackProjectName(t) === name);
  if (!target) throw new Error(`support/loopback/global-setup.ts runs only in the projects ${TARGET_IDS.map(loopbackProjectName).join(', ')}, not in "${name}".`);
  return target;
}
