// The three modes as same-shaped parts (nock.back's table, with its traps removed):
//   replay  = lockdown: nock answers from cassettes, no socket leaves the process;
//   live    = no interception, real sockets;
//   record  = live, and every exchange is written to the spec file's cassette (update, not keep).
import type { PipelineId, TargetId } from '../catalogue.ts';
import { loadCassettes, requestBodyFromSpec, requestKey } from './cassettes.ts';
import { ApiClient, type RawExchange } from '../http/client.ts';
import type { Config, Mode } from '../config.ts';
import { stillRateLimited, wasNotSent, type Exchange } from '../http/exchange.ts';
import type { RequestSpec } from '../http/wire.ts';
import { keyFor } from './keys.ts';
import { Recorder } from './recorder.ts';
import { ReplayEngine } from './replay.ts';
import { PaidBudget } from './paid-budget.ts';
import { TARGETS } from '../catalogue.ts';
import { pacerDir, paidDir } from '../paths.ts';
import type { About, RunInfo } from '../report/run-record.ts';
import { countedInPlan, limitWindowMs, planTarget, type PlannedRequest } from '../run/plan.ts';
import { RatePacer } from './rate-pacer.ts';
import { rateLimitDecision } from './rate-limit-policy.ts';

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

/** What the run established before any spec that a mode needs: the targets' versions, what each serves. */
export interface SessionFacts {
  versions: Readonly<Record<string, string>>;
  served: RunInfo['served'];
  checksToken: Readonly<Record<string, boolean>>;
}

const DRIVERS: Record<Mode, (config: Config, facts: SessionFacts) => ModeDriver> = {
  replay(config) {
    const cassettes = loadCassettes(config.fixturesDir, config.targets);
    const engine = new ReplayEngine(cassettes, config.baseUrls);
    engine.start();
    return {
      keyFor: (target) => keyFor(config, target, { cassettes }),
      beginTest: (area) => engine.resetSequences(area),
      finish: () => engine.stop(),
      interactionsInTest: () => engine.used,
    };
  },
  live(config, { checksToken }) {
    return { keyFor: (target) => keyFor(config, target, { checksToken: checksToken[target] }), beginTest() {}, finish() {} };
  },
  record(config, { versions, served, checksToken }) {
    const recorder = new Recorder({
      fixturesDir: config.fixturesDir,
      baseUrls: config.baseUrls,
      secrets: config.apiKey ? [config.apiKey] : [],
      served: Object.fromEntries(Object.entries(served).map(([t, s]) => [t, s.pipelines])),
      checksToken,
    });
    return {
      keyFor: (target) => keyFor(config, target, { checksToken: checksToken[target] }),
      beginTest: () => recorder.beginTest(),
      onExchange: (area, x, raw) => recorder.add(area, x, raw),
      // The version each target told about itself before any spec (a runner's GET /version).
      finish: () => {
        recorder.flush(versions);
      },
    };
  },
};

/** What a session needs of the run: its facts, and what the pacing counts by (the served pipelines, the plan). */
export type SessionRun = SessionFacts & Partial<Pick<RunInfo, 'retired' | 'plan' | 'kind'>>;


export class Session {
  readonly driver: ModeDriver;
  readonly budget: PaidBudget;
  /** Whether a `changed` verdict here can become a proposed pin: a live or record run against a target (not the suite's loopback). */
  get proposesPins(): boolean {
    return this.config.mode !== 'replay' && this.facts.kind === 'target';
  }
  /** The check of the running test, as it declared itself: what the pacing looks up in the plan. */
  private running?: About;
  private readonly pacers = new Map<TargetId, RatePacer | undefined>();
  private readonly plans = new Map<TargetId, PlannedRequest[]>();
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

  constructor(
    readonly config: Config,
    private readonly facts: SessionRun = { versions: {}, served: {}, checksToken: {} },
  ) {
    this.driver = DRIVERS[config.mode](config, facts);
    this.budget = new PaidBudget(paidDir(config.reportsDir), config.maxPaidRequests, config.mode !== 'replay');
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
      pace: async (spec) => {
        const pacer = this.pacerFor(target);
        return pacer && this.counts(target, spec) ? (await pacer.take(`${this.running?.check ?? 'a check'} ${spec.method} ${spec.path}`)).waitedMs : 0;
      },
      onRateLimit: (_spec, x, attempt) => {
        // Replay plays what was recorded; DOC-12 asks for the 429 itself.
        if (this.config.mode === 'replay' || this.running?.check === 'DOC-12') return undefined;
        const decision = rateLimitDecision(x, attempt, this.config.retryScale);
        if (decision && 'resendInMs' in decision) this.pacerFor(target)?.backOff(decision.resendInMs);
        return decision;
      },
      onExchange: (x, raw) => {
        this.sent.push(x);
        this.driver.onExchange?.(this.area, x, raw);
      },
    });
    this.clients.set(target, client);
    return client;
  }

  /** The target's pacer in a live or record run with a rate limit on it; none in replay. */
  private pacerFor(target: TargetId): RatePacer | undefined {
    if (this.pacers.has(target)) return this.pacers.get(target);
    const limit = this.config.rateLimits[target];
    const pacer =
      this.config.mode === 'replay' || limit === undefined
        ? undefined
        : new RatePacer(pacerDir(this.config.reportsDir, target), {
            limit,
            windowMs: limitWindowMs(this.config),
            // The target stamps a request when it arrives (after auth and body parsing): a little late.
            marginMs: 2_000 * this.config.retryScale,
            planned: this.facts.plan?.[target]?.counted,
            log: (line) => console.log(`rate limit · ${target}: ${line}`),
          });
    this.pacers.set(target, pacer);
    return pacer;
  }

  /** Whether the target's limiter counts this request: a key it accepts, and a check the plan counts there. */
  private counts(target: TargetId, spec: RequestSpec): boolean {
    if (TARGETS[target].auth === 'required' && spec.auth !== 'key') return false;
    if (!this.running) return true;
    // DOC-12 asks what a burst meets: pacing it would answer for the target.
    if (this.running.check === 'DOC-12') return false;
    let planned = this.plans.get(target);
    if (!planned) {
      planned = planTarget(this.config, { served: this.facts.served, retired: this.facts.retired ?? [] }, target);
      this.plans.set(target, planned);
    }
    return countedInPlan(planned, this.running.check, this.running.pipeline, this.running.case);
  }

  /** Answers of this spec file's requests sent with sendOnce, by target and request. */
  private readonly once = new Map<string, Exchange>();

  /**
   * Sends a request once per spec file: a later check that judges the same request (same target,
   * method, path, credential and body) judges the same answer, and nothing is sent or paid again.
   * A request the suite did not send (replay miss, paid cap) is not kept.
   */
  async sendOnce(target: TargetId, spec: RequestSpec): Promise<Exchange> {
    const key = `${target} ${requestKey({ method: spec.method, path: spec.path, auth: spec.auth, body: requestBodyFromSpec(spec.body) })}`;
    const kept = this.once.get(key);
    if (kept) {
      this.sent.push(kept);
      return kept;
    }
    const x = await this.client(target).send(spec);
    if (!wasNotSent(x) && !stillRateLimited(x)) this.once.set(key, x);
    return x;
  }

  beginTest(about?: About): void {
    this.running = about;
    this.sent = [];
    this.driver.beginTest(this.area);
  }

  /** Ends the spec file: flushes recordings, stops interception. */
  async finish(): Promise<void> {
    await this.driver.finish();
  }
}
