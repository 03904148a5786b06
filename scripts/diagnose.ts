// `npm run diagnose`: the documented checks for a request that hangs (DOC-16, docs-job-debugging
// "Diagnosing a non-responsive job"), in the documented order, against the configured target:
//   1. network connectivity   GET on the route, judged per target (DOC-01 and its registry)
//   2. status page            LIVEPEER_STATUS_URL answers at all
//   3. request construction   the documented minimal request (DOC-10), and the equivalent curl
//   4. model availability     the target model (LIVEPEER_COLD_MODEL), then a known warm model (DOC-09)
//   5. gateway availability   the host accepts connections and answers HTTP
// Every step prints its verdict and evidence, every request has a short deadline, and the command
// exits 1 when a step fails (2 when the configuration is invalid).
import { connect } from 'node:net';
import { config as loadDotenv } from 'dotenv';
import { DOCS, PIPELINES, TARGETS } from '../support/catalogue.ts';
import { ApiClient } from '../support/http/client.ts';
import { ConfigError, loadConfig, type Config } from '../support/config.ts';
import { findDeviation } from '../support/deviations/registry.ts';
import { describeOutcome, formatExchange, type Exchange } from '../support/http/exchange.ts';
import { anyBody, type Expectation } from '../support/schemas/expectations.ts';
import { keyFor } from '../support/modes/keys.ts';
import { classify } from '../support/verdict/outcome.ts';
import { redactText } from '../support/http/redact.ts';
import { build, minimalDraft } from '../support/data/requests.ts';
import { ImageResponse } from '../support/schemas/responses.ts';
import type { RequestSpec } from '../support/http/wire.ts';
import { isEntry } from './results.ts';

export type Verdict = 'pass' | 'warn' | 'fail' | 'skipped';

export interface Step {
  n: number;
  title: string;
  verdict: Verdict;
  /** One line: what was seen and what it means. */
  summary: string;
  /** The exchanges and commands behind it, already redacted. */
  evidence: string[];
}

const PIPELINE = PIPELINES['text-to-image'];
const WARM_MODEL = PIPELINE.warmModel!;
/** DOC-01 as the docs state it: GET on a generate route is 405, "not a 200". */
const CONNECTIVITY: Expectation = { summary: '405 Method Not Allowed (any body)', status: 405, body: anyBody };

/** The deadlines of the diagnosis: probes should answer at once, an inference within the warm budget. */
export function deadlines(config: Config): { probeMs: number; inferenceMs: number } {
  return { probeMs: config.timeouts.connectMs, inferenceMs: Math.min(config.warmBudgetMs, config.timeouts.generationMs) };
}

/** The curl the docs give for step 3, for this target, with the key as `$LIVEPEER_API_KEY`. */
export function curlFor(url: string, spec: RequestSpec, withKey: boolean): string {
  const body = spec.body.kind === 'json' ? JSON.stringify(spec.body.value) : '';
  return [
    `curl -v -X ${spec.method} ${url}`,
    ...(withKey ? ['-H "Authorization: Bearer $LIVEPEER_API_KEY"'] : []),
    '-H "Content-Type: application/json"',
    `-d '${body}'`,
  ].join(' \\\n    ');
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const indent = (text: string) => text.split('\n').map((l) => `     ${l}`).join('\n');

/** What a refused key or a missing route means for the user, when that is what came back. */
function hint(x: Exchange): string | undefined {
  const status = x.response?.status;
  if (status === 401 || status === 403) return `${status}: the key was refused: check LIVEPEER_API_KEY (DOC-11)`;
  if (status === 404) return '404: no such route at this base URL: check LIVEPEER_GATEWAY_URL';
  return undefined;
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (r: { ok: true; ms: number } | { ok: false; reason: string }) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: `no TCP connection within ${seconds(timeoutMs)}` }));
    socket.once('connect', () => done({ ok: true, ms: Math.round(performance.now() - started) }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, reason: `${err.code ?? 'error'}: ${err.message}` }));
  });
}

export async function diagnose(config: Config, print: (line: string) => void = console.log): Promise<Step[]> {
  const target = config.targets[0]!;
  const baseUrl = config.baseUrls[target]!;
  // What a live run would send: diagnose talks to the real target.
  const key = keyFor({ mode: 'live', apiKey: config.apiKey }, target);
  const secrets = config.apiKey ? [config.apiKey] : [];
  const { probeMs, inferenceMs } = deadlines(config);
  const client = new ApiClient({ target, baseUrl, key, secrets, timeouts: config.timeouts });
  const steps: Step[] = [];
  const report = (step: Step) => {
    steps.push(step);
    print(`${step.n}. ${step.title.padEnd(22)} ${step.verdict.toUpperCase().padEnd(8)} ${step.summary}`);
    for (const e of step.evidence) print(indent(e));
  };

  print(`livepeer-ai-contracts · diagnose (DOC-16: a request that hangs) · target ${target} · ${redactText(baseUrl, secrets)}`);
  print(`deadlines: ${seconds(probeMs)} per probe (LIVEPEER_CONNECT_TIMEOUT_MS), ${seconds(inferenceMs)} per inference (LIVEPEER_WARM_BUDGET_MS)\n`);

  // 1. Connectivity: what GET on the route answers, judged as the DOC-01 spec judges it.
  const get = await client.send({ method: 'GET', path: PIPELINE.path, body: { kind: 'none' }, auth: 'key' }, { timeoutMs: probeMs });
  const answered = get.response !== undefined;
  if (!answered) {
    report({ n: 1, title: 'Connectivity', verdict: 'fail', summary: `GET ${PIPELINE.path}: ${describeOutcome(get)}`, evidence: [formatExchange(get)] });
  } else {
    const pin = findDeviation('DOC-01', target, PIPELINE.id, 'GET');
    const v = classify({ row: DOCS['DOC-01'], subject: target, documented: CONNECTIVITY, ...(pin ? { pin } : {}), observation: { exchange: get } });
    const meaning = v.pass ? (v.outcome === 'conforms' ? 'as documented' : `${v.headline}: ${pin!.summary}`) : `${v.headline}${hint(get) ? ` (${hint(get)})` : ''}`;
    report({
      n: 1,
      title: 'Connectivity',
      verdict: v.pass ? 'pass' : 'fail',
      summary: `GET ${PIPELINE.path} answered ${get.response!.status} in ${Math.round(get.elapsedMs)} ms: ${meaning}`,
      evidence: [formatExchange(get)],
    });
  }

  // 2. Status page. Unreachable is a warning, not a failure: it is another host, so not reaching it
  // says nothing about the API, and networks that allow only the API would fail every diagnosis.
  const statusClient = new ApiClient({ target, baseUrl: config.statusUrl, secrets, timeouts: config.timeouts });
  const status = await statusClient.send({ method: 'GET', path: '', body: { kind: 'none' }, auth: 'none' }, { timeoutMs: probeMs });
  report(
    status.response
      ? { n: 2, title: 'Status page', verdict: 'pass', summary: `${config.statusUrl} reachable (${status.response.status} in ${Math.round(status.elapsedMs)} ms): read it for active incidents`, evidence: [] }
      : { n: 2, title: 'Status page', verdict: 'warn', summary: `${config.statusUrl} unreachable (${status.error?.message})`, evidence: [] },
  );

  // 3. Request construction: the documented minimal request, and the same request as curl.
  const minimal = build(minimalDraft(PIPELINE.id, WARM_MODEL));
  const curl = curlFor(client.url(minimal.path), minimal, key !== undefined);
  let warm: Exchange | undefined;
  if (!answered) {
    report({ n: 3, title: 'Request construction', verdict: 'skipped', summary: `the target did not answer step 1: an inference would wait ${seconds(inferenceMs)} for nothing. Try it by hand:`, evidence: [curl] });
  } else if (TARGETS[target].keyRequired && !key) {
    report({ n: 3, title: 'Request construction', verdict: 'fail', summary: `LIVEPEER_API_KEY is not set: ${target} answers 401 without a key (DOC-11). Put it in .env, then run:`, evidence: [curl] });
  } else {
    warm = await client.send(minimal, { timeoutMs: inferenceMs });
    const ok = warm.response?.status === 200 && ImageResponse.safeParse(warm.response.json).success;
    const h = hint(warm);
    report({
      n: 3,
      title: 'Request construction',
      verdict: ok ? 'pass' : 'fail',
      summary: ok ? `POST ${minimal.path} with ${WARM_MODEL} answered 200 ImageResponse in ${Math.round(warm.elapsedMs)} ms` : `POST ${minimal.path} with ${WARM_MODEL}: ${describeOutcome(warm)}${h ? ` (${h})` : ''}`,
      evidence: [curl, formatExchange(warm)],
    });
  }

  // 4. Model availability: the model the user targets, then the warm model (step 3's answer).
  const warmOk = warm?.response?.status === 200;
  if (!warm) {
    report({ n: 4, title: 'Model availability', verdict: 'skipped', summary: 'step 3 sent no request', evidence: [] });
  } else if (!config.coldModel || config.coldModel === WARM_MODEL) {
    report({
      n: 4,
      title: 'Model availability',
      verdict: warmOk ? 'pass' : 'fail',
      summary: `warm model ${WARM_MODEL}: ${warmOk ? 'available' : 'not available'} (step 3). Set LIVEPEER_COLD_MODEL to check the model your application uses`,
      evidence: [],
    });
  } else {
    const mine = await client.send(build(minimalDraft(PIPELINE.id, config.coldModel)), { timeoutMs: inferenceMs });
    const mineOk = mine.response?.status === 200;
    const summary = mineOk
      ? `${config.coldModel} answered 200 in ${Math.round(mine.elapsedMs)} ms; warm model ${warmOk ? 'too' : 'did not (step 3)'}`
      : warmOk
        ? `${config.coldModel}: ${describeOutcome(mine)}; the warm model ${WARM_MODEL} answers, so the integration works and this model is not available now (cold models take 30 s to minutes, DOC-07: retry with backoff, or use a warm model)`
        : `${config.coldModel}: ${describeOutcome(mine)}; the warm model fails too (step 3): the problem is not the model`;
    report({ n: 4, title: 'Model availability', verdict: mineOk ? 'pass' : 'fail', summary, evidence: [formatExchange(mine)] });
  }

  // 5. Gateway availability: accepting connections, and answering HTTP on them (step 1).
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const tcp = await tcpConnect(url.hostname, port, probeMs);
  const where = `${url.hostname}:${port}`;
  report(
    !tcp.ok
      ? { n: 5, title: 'Gateway availability', verdict: 'fail', summary: `${where} accepts no connection (${tcp.reason}): is the gateway running, on this host and port?`, evidence: [] }
      : answered
        ? { n: 5, title: 'Gateway availability', verdict: 'pass', summary: `${where} accepts connections (${tcp.ms} ms) and answers HTTP (step 1: ${get.response!.status})`, evidence: [] }
        : {
            n: 5,
            title: 'Gateway availability',
            verdict: 'fail',
            summary: `${where} accepts connections (${tcp.ms} ms) but sent no HTTP answer within ${seconds(probeMs)} (step 1): the process is stuck or overloaded; check its logs or restart it`,
            evidence: [],
          },
  );

  const failed = steps.filter((s) => s.verdict === 'fail').map((s) => s.n);
  print(`\n${failed.length === 0 ? 'No step failed.' : `Step(s) ${failed.join(', ')} failed.`} Still stuck? Ask in the Livepeer Discord (#ai-help) with the request body (key redacted), the status and the response body.`);
  return steps;
}

/** The configuration of a diagnosis: the suite's variables, one target (studio unless LIVEPEER_TARGET says otherwise). */
export function diagnosisConfig(env: Record<string, string | undefined>): Config {
  const config = loadConfig({ ...env, LIVEPEER_TEST_MODE: 'replay', LIVEPEER_TARGET: env.LIVEPEER_TARGET?.trim() || 'studio' });
  if (config.targets.length !== 1) throw new ConfigError(`LIVEPEER_TARGET=${env.LIVEPEER_TARGET}: diagnose checks one target at a time; name one of them.`);
  return config;
}

export async function main(
  env: Record<string, string | undefined> = process.env,
  print: (line: string) => void = console.log,
  printError: (line: string) => void = console.error,
): Promise<number> {
  let config: Config;
  try {
    config = diagnosisConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    printError(err.message);
    return 2;
  }
  const steps = await diagnose(config, print);
  return steps.some((s) => s.verdict === 'fail') ? 1 : 0;
}

if (isEntry(import.meta.url)) {
  if (process.env.LIVEPEER_SKIP_DOTENV !== '1') loadDotenv({ quiet: true });
  // Exit explicitly: an abandoned keep-alive socket must not hold the process open.
  main().then((code) => process.exit(code));
}

