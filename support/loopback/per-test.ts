// setupFile of the runs against loopback servers. Each worker talks to its own server (one per
// VITEST_POOL_ID), and every test starts that server's recorded sequences afresh, as replay does:
// a spec sees the same answers live as in replay, and files running side by side never consume
// each other's sequences. The servers come from support/loopback/global-setup.ts (live-loopback projects) or,
// for a child run started by a self-test (the record→replay round trip), from LIVEPEER_LOOPBACK_SLOTS.
import { request } from 'node:http';
import { beforeEach, inject } from 'vitest';
import { SLOTS_VARIABLE, type LoopbackContext } from './projects.ts';

const fromEnv = process.env[SLOTS_VARIABLE];
const { target, slots } = inject('loopback') ?? (fromEnv ? (JSON.parse(fromEnv) as LoopbackContext) : undefined) ?? fail();
const slotId = Number(process.env.VITEST_POOL_ID ?? '1');
const slot = slots[slotId - 1];
if (!slot) throw new Error(`worker ${slotId} has no loopback server: ${slots.length} were started. Start more or lower --maxWorkers.`);
// The config the specs read (support/run/test.ts runConfig) points this worker at its own server.
inject('config').baseUrls[target] = slot.url;

function fail(): never {
  throw new Error(`support/loopback/per-test.ts needs loopback servers: run it under support/loopback/global-setup.ts or set ${SLOTS_VARIABLE}.`);
}

/**
 * node:http without keep-alive, not fetch: undici would arm its timers, and a spec that fakes
 * timers afterwards would find one pending that is not its own.
 */
function reset(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`loopback reset answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeEach(() => reset(slot.resetUrl));
