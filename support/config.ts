// Configuration: environment (after dotenv) → one zod schema → a plain Config.
// Every bad value is reported at once, in one message that names the variable and the fix.
import { z } from 'zod';
import { PIPELINE_IDS, TARGET_IDS, TARGETS, type PipelineId, type TargetId } from './catalogue.ts';
import { DEFAULT_REPORTS_DIR } from './paths.ts';

export const MODES = ['replay', 'live', 'record'] as const;
export type Mode = (typeof MODES)[number];

export interface Timeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** Requests the API rejects before inference (validation, auth, method). */
  checkMs: number;
  /** Requests that run a model: the documented global timeout, 300 s. */
  generationMs: number;
}

export interface Config {
  mode: Mode;
  targets: TargetId[];
  /** The pipelines the run checks (LIVEPEER_PIPELINES); undefined: every pipeline the target serves. */
  pipelines?: PipelineId[];
  /** Base URL per target of this run, without a trailing slash. */
  baseUrls: Partial<Record<TargetId, string>>;
  /** Never written anywhere: the client adds it at send time. */
  apiKey?: string;
  fixturesDir: string;
  reportsDir: string;
  timeouts: Timeouts;
  coldModel?: string;
  warmBudgetMs: number;
  maxPaidRequests: number;
  /** Multiplies every documented retry wait and the rate-limit window; 1 keeps the documented schedule. */
  retryScale: number;
  /**
   * Requests a minute each target's rate limiter allows (LIVEPEER_RATE_LIMIT_PER_MIN, default
   * Studio's 20): the run spaces the requests the target counts to fit. Absent: no limit, no pacing.
   */
  rateLimits: Partial<Record<TargetId, number>>;
  statusUrl: string;
  fixtureMaxAgeDays?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Every variable the suite reads, with what it means: the README and .env.example follow it. */
export const VARIABLES = {
  LIVEPEER_TEST_MODE: 'replay (default: recorded fixtures, no network) | live (real gateway) | record (live, and rewrite fixtures)',
  LIVEPEER_TARGET: 'studio | gateway | runner; replay runs all three unless set (a comma list is allowed); live and record take exactly one (default studio)',
  LIVEPEER_GATEWAY_URL: 'base URL of the target, e.g. https://livepeer.studio/api/beta/generate (default per target)',
  LIVEPEER_PIPELINES: 'the pipelines to check, a comma list (default: every pipeline the target serves; a runner says which it serves at GET /version)',
  LIVEPEER_API_KEY: 'API key (Studio) or AUTH_TOKEN (runner); required for live and record on studio; never written anywhere',
  LIVEPEER_FIXTURES_DIR: 'where cassettes are read and recorded (default fixtures)',
  LIVEPEER_REPORTS_DIR: 'where the run record (verdicts.json), Allure results, JUnit and run summaries go (default reports)',
  LIVEPEER_CONNECT_TIMEOUT_MS: 'TCP/TLS connect timeout (default 10000)',
  LIVEPEER_CHECK_TIMEOUT_MS: 'deadline for requests rejected before inference (default 30000)',
  LIVEPEER_REQUEST_TIMEOUT_MS: 'deadline for requests that run a model, the documented global timeout (default 300000)',
  LIVEPEER_COLD_MODEL: 'a model the live cold-model check (DOC-07) asks for (default: none, the live check is skipped)',
  LIVEPEER_WARM_BUDGET_MS: 'latency budget of one warm-model inference (DOC-09) (default 60000)',
  LIVEPEER_MAX_PAID_REQUESTS: 'cap on requests that run a model in one live run; a cap below the run\'s plan stops it at setup (default 60: enough for a full run of any one target)',
  LIVEPEER_RETRY_SCALE: 'factor on the documented retry waits and on the 60 s rate-limit window, e.g. 0.001 on loopback (default 1)',
  LIVEPEER_RATE_LIMIT_PER_MIN: "requests a minute the target's rate limiter allows; a live run spaces the requests it counts to fit, 0 turns pacing off (default 20 on studio, Studio's limit per user; none elsewhere)",
  LIVEPEER_STATUS_URL: 'status page that `npm run diagnose` checks (default https://status.livepeer.studio)',
  LIVEPEER_FIXTURE_MAX_AGE_DAYS: 'the gate fails on recorded fixtures older than this (default: warn only)',
} as const;
export type Variable = keyof typeof VARIABLES;

type Env = Record<string, string | undefined>;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const httpUrl = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a URL: write it as https://host[:port][/path]' });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        ctx.addIssue({ code: 'custom', message: `uses ${url.protocol}, but only http: and https: are supported` });
      if (url.search || url.hash)
        ctx.addIssue({ code: 'custom', message: 'has a query or fragment: give only the base URL the pipeline path is appended to' });
      if (url.username || url.password)
        ctx.addIssue({ code: 'custom', message: 'holds credentials: put the key in LIVEPEER_API_KEY instead' });
    }),
);

const positiveInt = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int({ error: 'must be a whole number' })
      .positive({ error: 'must be greater than 0' })
      .default(fallback),
  );

const EnvSchema = z.object({
  LIVEPEER_TEST_MODE: z.preprocess(
    (v) => blankToUndefined(v),
    z.enum(MODES, { error: `must be one of ${MODES.join(', ')} (lower case)` }).default('replay'),
  ),
  LIVEPEER_TARGET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const list = v.split(',').map((s) => s.trim());
        const bad = list.filter((t) => !(TARGET_IDS as readonly string[]).includes(t));
        if (bad.length > 0) {
          ctx.addIssue({ code: 'custom', message: `has unknown target ${bad.map((b) => `"${b}"`).join(', ')}: use ${TARGET_IDS.join(', ')}` });
          return z.NEVER;
        }
        return [...new Set(list)] as TargetId[];
      }),
  ),
  LIVEPEER_GATEWAY_URL: httpUrl,
  LIVEPEER_PIPELINES: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const list = v.split(',').map((s) => s.trim()).filter(Boolean);
        const bad = list.filter((p) => !(PIPELINE_IDS as readonly string[]).includes(p));
        if (bad.length > 0 || list.length === 0) {
          ctx.addIssue({ code: 'custom', message: `${bad.length ? `has unknown pipeline ${bad.map((b) => `"${b}"`).join(', ')}` : 'names no pipeline'}: use ${PIPELINE_IDS.join(', ')}` });
          return z.NEVER;
        }
        return [...new Set(list)] as PipelineId[];
      }),
  ),
  LIVEPEER_STATUS_URL: httpUrl,
  LIVEPEER_API_KEY: z.preprocess(blankToUndefined, z.string().optional()),
  LIVEPEER_FIXTURES_DIR: z.preprocess(blankToUndefined, z.string().default('fixtures')),
  LIVEPEER_REPORTS_DIR: z.preprocess(blankToUndefined, z.string().default(DEFAULT_REPORTS_DIR)),
  LIVEPEER_CONNECT_TIMEOUT_MS: positiveInt(10_000),
  LIVEPEER_CHECK_TIMEOUT_MS: positiveInt(30_000),
  LIVEPEER_REQUEST_TIMEOUT_MS: positiveInt(300_000),
  LIVEPEER_COLD_MODEL: z.preprocess(blankToUndefined, z.string().optional()),
  LIVEPEER_WARM_BUDGET_MS: positiveInt(60_000),
  LIVEPEER_MAX_PAID_REQUESTS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).default(60),
  ),
  LIVEPEER_RETRY_SCALE: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be greater than 0' }).max(1, { error: 'must be at most 1 (the documented schedule)' }).default(1),
  ),
  LIVEPEER_RATE_LIMIT_PER_MIN: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a number of requests a minute' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 (no pacing) or more' }).optional(),
  ),
  LIVEPEER_FIXTURE_MAX_AGE_DAYS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number' }).positive({ error: 'must be greater than 0' }).optional(),
  ),
});

function problem(variable: string, value: string | undefined, message: string): string {
  const shown = value === undefined ? '(not set)' : JSON.stringify(variable === 'LIVEPEER_API_KEY' ? '<hidden>' : value);
  const meaning = VARIABLES[variable as Variable] ?? '';
  return `  - ${variable}=${shown} ${message}.\n    ${variable}: ${meaning}`;
}

function fail(problems: string[]): never {
  throw new ConfigError(
    `Configuration error: the suite did not start.\n${problems.join('\n')}\n` +
      'Fix the variable(s) above in .env or the environment (see .env.example), then run again.',
  );
}

/** Parses the environment. Throws one ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0]);
        return problem(variable, env[variable], issue.message);
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode = e.LIVEPEER_TEST_MODE;

  let targets: TargetId[];
  if (mode === 'replay') {
    targets = e.LIVEPEER_TARGET ?? [...TARGET_IDS];
  } else {
    targets = e.LIVEPEER_TARGET ?? ['studio'];
    if (targets.length !== 1) {
      problems.push(problem('LIVEPEER_TARGET', env.LIVEPEER_TARGET, `names ${targets.length} targets: ${mode} mode talks to exactly one`));
    }
  }
  const target = targets[0];

  if (e.LIVEPEER_GATEWAY_URL && targets.length > 1) {
    problems.push(problem('LIVEPEER_GATEWAY_URL', env.LIVEPEER_GATEWAY_URL, 'is set while several targets run: set LIVEPEER_TARGET to the one target this URL serves'));
  }
  if (mode !== 'replay' && target && TARGETS[target].keyRequired && !e.LIVEPEER_API_KEY) {
    problems.push(problem('LIVEPEER_API_KEY', undefined, `is required in ${mode} mode on ${target}: put your (staging) key in .env as LIVEPEER_API_KEY=<key>, or use LIVEPEER_TEST_MODE=replay`));
  }
  if (problems.length > 0) fail(problems);

  const baseUrls: Partial<Record<TargetId, string>> = {};
  for (const t of targets) {
    baseUrls[t] = (e.LIVEPEER_GATEWAY_URL ?? TARGETS[t].defaultUrl).replace(/\/+$/, '');
  }

  return {
    mode,
    targets,
    ...(e.LIVEPEER_PIPELINES ? { pipelines: e.LIVEPEER_PIPELINES } : {}),
    baseUrls,
    apiKey: e.LIVEPEER_API_KEY,
    fixturesDir: e.LIVEPEER_FIXTURES_DIR,
    reportsDir: e.LIVEPEER_REPORTS_DIR,
    timeouts: {
      connectMs: e.LIVEPEER_CONNECT_TIMEOUT_MS,
      checkMs: e.LIVEPEER_CHECK_TIMEOUT_MS,
      generationMs: e.LIVEPEER_REQUEST_TIMEOUT_MS,
    },
    coldModel: e.LIVEPEER_COLD_MODEL,
    warmBudgetMs: e.LIVEPEER_WARM_BUDGET_MS,
    maxPaidRequests: e.LIVEPEER_MAX_PAID_REQUESTS,
    retryScale: e.LIVEPEER_RETRY_SCALE,
    rateLimits: rateLimitsOf(targets, e.LIVEPEER_RATE_LIMIT_PER_MIN),
    statusUrl: (e.LIVEPEER_STATUS_URL ?? 'https://status.livepeer.studio').replace(/\/+$/, ''),
    fixtureMaxAgeDays: e.LIVEPEER_FIXTURE_MAX_AGE_DAYS,
  };
}

/** The limit per target: the variable where set (0: none), else the target's documented default. */
function rateLimitsOf(targets: readonly TargetId[], perMinute: number | undefined): Partial<Record<TargetId, number>> {
  const out: Partial<Record<TargetId, number>> = {};
  for (const t of targets) {
    const limit = perMinute ?? TARGETS[t].rateLimitPerMin;
    if (limit) out[t] = limit;
  }
  return out;
}

/** Host (and port) of a target, for banners and reports: never the key. */
export function hostOf(url: string): string {
  return new URL(url).host;
}
