// The three modes as same-shaped parts (nock.back's table, with its traps removed):
//   replay  = lockdown: nock answers from cassettes, no socket leaves the process;
//   live    = no interception, real sockets;
//   record  = live, and every exchange is written to the spec file's cassette (update, not keep).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { TARGETS, type TargetId } from '../catalogue.ts';
import { loadCassettes, type LoadedCassette } from './cassettes.ts';
import { ApiClient, type RawExchange } from '../http/client.ts';
import type { Config, Mode } from '../config.ts';
import type { Exchange } from '../http/exchange.ts';
import type { UsageRecord } from '../hygiene/hygiene.ts';
import { liveKey } from './keys.ts';
import { Recorder } from './recorder.ts';
import { ReplayEngine } from './replay.ts';
import type { RequestSpec } from '../http/wire.ts';

export interface ModeDriver {
  /** The key the client sends for `auth: 'key'` on a target. */
  keyFor(target: TargetId): string | undefined;
  /** Called at the start of every test, with the spec area (the cassette name) it belongs to. */
  beginTest(area: string): void;
  onExchange?(area: string, x: Exchange, raw: RawExchange): void;
  /** Called when the spec file ends. */
  finish(): void | Promise<void>;
  /** Cassette interactions that answered (replay only). */
  readonly used?: ReadonlySet<string>;
}

/**
 * Without isolation the spec files of a worker share this module: their replay drivers share one
 * parse of the cassettes (replay never writes them, and the engine keeps its state apart).
 */
const parsedCassettes = new Map<string, readonly LoadedCassette[]>();

function cassettesOnce(config: Config): readonly LoadedCassette[] {
  const key = `${config.fixturesDir}\0${config.targets.join(',')}`;
  let cassettes = parsedCassettes.get(key);
  if (!cassettes) parsedCassettes.set(key, (cassettes = loadCassettes(config.fixturesDir, config.targets)));
  return cassettes;
}

const DRIVERS: Record<Mode, (config: Config) => ModeDriver> = {
  replay(config) {
    const engine = new ReplayEngine(cassettesOnce(config), config.baseUrls);
    engine.start();
    return {
      keyFor: (target) => engine.keyFor(target),
      beginTest: (area) => engine.resetSequences(area),
      finish: () => engine.stop(),
      used: engine.used,
    };
  },
  live(config) {
    return { keyFor: (target) => liveKey(config, target), beginTest() {}, finish() {} };
  },
  record(config) {
    const recorder = new Recorder(config.fixturesDir, config.baseUrls, config.apiKey ? [config.apiKey] : []);
    return {
      keyFor: (target) => liveKey(config, target),
      beginTest: () => recorder.beginTest(),
      onExchange: (area, x, raw) => recorder.add(area, x, raw),
      finish: async () => {
        recorder.flush(await targetVersions(config));
      },
    };
  },
};

/** The version each target tells about itself, where it has a route for it (kept in recordings). */
async function targetVersions(config: Config): Promise<Partial<Record<TargetId, string>>> {
  const out: Partial<Record<TargetId, string>> = {};
  for (const target of config.targets) {
    const path = TARGETS[target].versionPath;
    const base = config.baseUrls[target];
    if (!path || !base) continue;
    try {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(config.timeouts.checkMs) });
      const body = (await res.json()) as { version?: unknown };
      if (res.ok && typeof body.version === 'string') out[target] = body.version;
    } catch {
      // No version route or no answer: the cassette says nothing rather than something wrong.
    }
  }
  return out;
}

/** Per-run scratch space under reports/, shared by the workers of one run. */
export const runDir = (config: Config) => join(config.reportsDir, 'run');

/**
 * Paid requests are counted across workers with one exclusive file per slot: taking slot N is
 * atomic, so the cap holds exactly however many workers run.
 */
export class PaidBudget {
  /** Per folder, the slot after the last one this process took: slots are never given back. */
  private static readonly next = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly cap: number,
    private readonly enforced: boolean,
  ) {}

  private slotPath(slot: number): string {
    return join(this.dir, `paid-${String(slot).padStart(5, '0')}`);
  }

  /** Where to start looking: after this process's last slot, unless a new run cleared the folder. */
  private firstFree(): number {
    const next = PaidBudget.next.get(this.dir) ?? 0;
    return next > 0 && existsSync(this.slotPath(next - 1)) ? next : 0;
  }

  take(spec: RequestSpec): void {
    mkdirSync(this.dir, { recursive: true });
    const limit = this.enforced ? this.cap : Number.MAX_SAFE_INTEGER;
    for (let slot = this.firstFree(); slot < limit; slot++) {
      try {
        writeFileSync(this.slotPath(slot), `${spec.method} ${spec.path}\n`, { flag: 'wx' });
        PaidBudget.next.set(this.dir, slot + 1);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new Error(`LIVEPEER_MAX_PAID_REQUESTS=${this.cap} reached: ${spec.method} ${spec.path} was not sent. Raise the cap to run more paid checks.`);
  }
}

export class Session {
  readonly driver: ModeDriver;
  readonly budget: PaidBudget;
  private readonly clients = new Map<TargetId, ApiClient>();
  /** Deviation ids whose spec ran in this file. */
  readonly exercised = new Set<string>();
  area = 'unknown';
  /** Exchanges of the running test, for its report. */
  current: Exchange[] = [];

  constructor(readonly config: Config) {
    this.driver = DRIVERS[config.mode](config);
    this.budget = new PaidBudget(join(runDir(config), 'paid'), config.maxPaidRequests, config.mode !== 'replay');
  }

  client(target: TargetId): ApiClient {
    const existing = this.clients.get(target);
    if (existing) return existing;
    const baseUrl = this.config.baseUrls[target];
    if (!baseUrl) throw new Error(`target ${target} is not part of this run (LIVEPEER_TARGET=${this.config.targets.join(',')})`);
    const client = new ApiClient({
      target,
      baseUrl,
      key: this.driver.keyFor(target),
      secrets: this.config.apiKey ? [this.config.apiKey] : [],
      timeouts: this.config.timeouts,
      beforePaid: (spec) => this.budget.take(spec),
      onExchange: (x, raw) => {
        this.current.push(x);
        this.driver.onExchange?.(this.area, x, raw);
      },
    });
    this.clients.set(target, client);
    return client;
  }

  beginTest(): void {
    this.current = [];
    this.driver.beginTest(this.area);
  }

  /** Ends the spec file: flushes recordings, stops interception, leaves usage for the hygiene check. */
  async finish(): Promise<void> {
    await this.driver.finish();
    const dir = join(runDir(this.config), 'usage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${this.area}-${process.pid}-${threadId}-${Date.now()}.json`),
      JSON.stringify({
        area: this.area,
        mode: this.config.mode,
        targets: this.config.targets,
        fixturesDir: this.config.fixturesDir,
        deviations: [...this.exercised],
        interactions: [...(this.driver.used ?? [])],
      } satisfies UsageRecord),
    );
  }
}
