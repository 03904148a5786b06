// nock plays every reply back through two setTimeout(…, 0) calls (lib/playback_interceptor.js:
// the connection delay, then the body delay; both 0 unless an interceptor asks for more). Node runs
// a 0 ms timer after at least 1 ms, so each replayed exchange sat 2 ms or more with nothing to do:
// a quarter of the replay specs' time (npm run bench, benchmark 1). While replay runs, a zero delay
// goes through nock's own setImmediate instead: it is tracked the same way, so
// nock.abortPendingRequests() still clears it. A real delay keeps its timer.
import { createRequire } from 'node:module';

type Timer = (callback: (...args: unknown[]) => void, ...rest: unknown[]) => unknown;

/** The two timer functions of nock/lib/common.js (nock 14.0.9) that playback calls through, and its JSON test. */
interface NockTimers {
  setTimeout: Timer;
  setImmediate: Timer;
  isJSONContent: (headers: unknown) => boolean;
}

const timers = createRequire(import.meta.url)('nock/lib/common.js') as Partial<NockTimers>;
const nockSetTimeout = timers.setTimeout;
let users = 0;

function immediateWhenZero(callback: (...args: unknown[]) => void, delay?: unknown, ...args: unknown[]): unknown {
  return delay ? nockSetTimeout!(callback, delay, ...args) : timers.setImmediate!(callback, ...args);
}

/** Whether playback answers without waiting for a timer (for the self-test). */
export const playsZeroDelaysImmediately = (): boolean => timers.setTimeout === immediateWhenZero;

/**
 * Replays zero delays on the next turn of the event loop until the returned function is called.
 * Nested calls (several replay engines in one worker) restore nock's timer after the last one.
 * If a nock upgrade moved these functions, playback keeps nock's own (slower) timer; the self-test
 * in support/modes/replay.test.ts then fails, so that this file is looked at again.
 */
export function playZeroDelaysImmediately(): () => void {
  if (typeof nockSetTimeout !== 'function' || typeof timers.setImmediate !== 'function') return () => {};
  if (users++ === 0) timers.setTimeout = immediateWhenZero;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--users === 0) timers.setTimeout = nockSetTimeout;
  };
}

// nock parses a request body whose content type is JSON before it calls a reply function
// (lib/playback_interceptor.js parseJSONRequestBody, through common.isJSONContent), and a body that
// is not JSON (DOC-03 sends `{"prompt":` as application/json on purpose) throws there, outside any
// handler: the request never gets an answer. While replay runs, nock hands every body over as the
// text it is; the replay engine reads JSON itself (requestBodyFromWire), malformed or not.
const nockIsJSONContent = timers.isJSONContent;
let rawUsers = 0;
const never = () => false;

/** Whether nock hands request bodies over unparsed (for the self-test). */
export const handsBodiesOverRaw = (): boolean => timers.isJSONContent === never;

/** Hands request bodies to reply functions as text until the returned function is called; nested calls restore after the last. */
export function handBodiesOverRaw(): () => void {
  if (typeof nockIsJSONContent !== 'function') return () => {};
  if (rawUsers++ === 0) timers.isJSONContent = never;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--rawUsers === 0) timers.isJSONContent = nockIsJSONContent;
  };
}
