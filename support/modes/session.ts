// The three modes as same-shaped parts (nock.back's table, with its traps removed):
//   replay  = lockdown: nock answers from cassettes, no socket leaves the process;
//   live    = no interception, real sockets;
//   record  = live, and every exchange is written to the spec file's cassette (update, not keep).
import { TARGETS, type TargetId } from '../catalogue.ts';
import { loadCassettes } from './cassettes.ts';
import { ApiClient, type RawExchange } from '../http/client.ts';
import type { Config, Mode } from '../config.ts';
import type { Exchange } from '../http/exchange.ts';
import { keyFor } from './keys.ts';
import { Recorder } from './recorder.ts';
import { ReplayEngine } from './replay.ts';
import { PaidBudget } from './paid-budget.ts';
import { join } from 'node:path';
import { runDir } from '../paths.ts';

export interface ModeDriver {
  /** The key the client sends for `auth: 'key'` on a target. */
  keyFor(target: TargetId): string | undefined;
  /** Called at the start of every test, with the spec area (the cassette name) it belongs to. */
  beginTest(area: string): void;
  onExchange?(area: string, x: Exchange, raw: RawExchange): void;
  /** Called when the spec file ends. */
  finish(): void | Promise<void>;
  /** The cassette interactions that answered the running test (replay). */
  interactionsInTest?(): readonly string[];
}

const DRIVERS: Record<Mode, (config: Config) => ModeDriver> = {
  replay(config) {
    const cassettes = loadCassettes(config.fixturesDir, config.targets);
    const engine = new ReplayEngine(cassettes, config.baseUrls);
    engine.start();
    return {
      keyFor: (target) => keyFor(config, target, cassettes),
      beginTest: (area) => engine.resetSequences(area),
      finish: () => engine.stop(),
      interactionsInTest: () => engine.used,
    };
  },
  live(config) {
    return { keyFor: (target) => keyFor(config, target), beginTest() {}, finish() {} };
  },
  record(config) {
    const recorder = new Recorder(config.fixturesDir, config.baseUrls, config.apiKey ? [config.apiKey] : []);
    return {
      keyFor: (target) => keyFor(config, target),
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

export class Session {
  readonly driver: ModeDriver;
  readonly budget: PaidBudget;
  private readonly clients = new Map<TargetId, ApiClient>();
  area = 'unknown';
  /** Every exchange of the running test, in order: its verdict counts them and names what answered. */
  private sent: Exchange[] = [];
  get sentInTest(): readonly Exchange[] {
    return this.sent;
  }
  /** The cassette interactions that answered the running test, in replay: what the hygiene check counts as used. */
  get interactionsInTest(): readonly string[] {
    return [...(this.driver.interactionsInTest?.() ?? [])];
  }

  constructor(readonly config: Config) {
    this.driver = DRIVERS[config.mode](config);
    this.budget = new PaidBudget(join(runDir(config.reportsDir), 'paid'), config.maxPaidRequests, config.mode !== 'replay');
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
        this.sent.push(x);
        this.driver.onExchange?.(this.area, x, raw);
      },
    });
    this.clients.set(target, client);
    return client;
  }

  beginTest(): void {
    this.sent = [];
    this.driver.beginTest(this.area);
  }

  /** Ends the spec file: flushes recordings, stops interception. */
  async finish(): Promise<void> {
    await this.driver.finish();
  }
}
