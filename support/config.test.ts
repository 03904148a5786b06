// Bad configuration stops the run once, naming the variable, the value, the allowed values and
// the fix (pitfalls.md 5: a misspelt mode must never fall back silently).
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
};

describe('loadConfig', () => {
  test('defaults: replay on all three targets with their documented URLs', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('replay');
    expect(c.targets).toEqual(['studio', 'gateway', 'runner']);
    expect(c.baseUrls).toEqual({
      studio: 'https://livepeer.studio/api/beta/generate',
      gateway: 'https://dream-gateway.livepeer.cloud',
      runner: 'http://127.0.0.1:8000',
    });
    expect(c.timeouts).toEqual({ connectMs: 10_000, checkMs: 30_000, generationMs: 300_000 });
    expect(c.retryScale).toBe(1);
  });

  test('live defaults to studio, takes the URL and strips a trailing slash', () => {
    const c = loadConfig({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_API_KEY: 'k', LIVEPEER_GATEWAY_URL: 'https://staging.example.test/api/beta/generate/' });
    expect(c.targets).toEqual(['studio']);
    expect(c.baseUrls.studio).toBe('https://staging.example.test/api/beta/generate');
  });

  test('gateway and runner need no key in live mode', () => {
    expect(loadConfig({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'gateway' }).apiKey).toBeUndefined();
    expect(loadConfig({ LIVEPEER_TEST_MODE: 'record', LIVEPEER_TARGET: 'runner' }).targets).toEqual(['runner']);
  });

  test('replay accepts a comma list of targets', () => {
    expect(loadConfig({ LIVEPEER_TARGET: 'runner, studio' }).targets).toEqual(['runner', 'studio']);
  });

  test('live on studio without a key names LIVEPEER_API_KEY and the fix', () => {
    const m = error({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'studio' });
    expect(m).toContain('LIVEPEER_API_KEY=(not set) is required in live mode on studio');
    expect(m).toContain('.env');
  });

  test.each([
    ['LIVEPEER_TEST_MODE', 'Live', 'must be one of replay, live, record'],
    ['LIVEPEER_TEST_MODE', 'playback', 'must be one of replay, live, record'],
    ['LIVEPEER_TARGET', 'studoi', 'has unknown target "studoi": use studio, gateway, runner'],
    ['LIVEPEER_GATEWAY_URL', 'livepeer.studio/api', 'is not a URL'],
    ['LIVEPEER_GATEWAY_URL', 'ftp://example.test', 'uses ftp:, but only http: and https: are supported'],
    ['LIVEPEER_GATEWAY_URL', 'https://user:pw@example.test', 'holds credentials'],
    ['LIVEPEER_REQUEST_TIMEOUT_MS', '-5', 'must be greater than 0'],
    ['LIVEPEER_CONNECT_TIMEOUT_MS', '-1', 'must be greater than 0'],
    ['LIVEPEER_CHECK_TIMEOUT_MS', '0', 'must be greater than 0'],
    ['LIVEPEER_WARM_BUDGET_MS', '-100', 'must be greater than 0'],
    ['LIVEPEER_STATUS_URL', 'status page', 'is not a URL'],
    ['LIVEPEER_CHECK_TIMEOUT_MS', 'ten', 'must be a number of milliseconds'],
    ['LIVEPEER_CONNECT_TIMEOUT_MS', '1.5', 'must be a whole number'],
    ['LIVEPEER_MAX_PAID_REQUESTS', '-1', 'must be 0 or more'],
    ['LIVEPEER_RETRY_SCALE', '2', 'must be at most 1'],
    ['LIVEPEER_FIXTURE_MAX_AGE_DAYS', '0', 'must be greater than 0'],
  ])('%s=%s fails with "%s"', (variable, value, expected) => {
    const m = error({ [variable]: value });
    expect(m).toContain(`${variable}=${JSON.stringify(value)} ${expected}`);
    expect(m).toMatch(/^Configuration error: the suite did not start\./);
    expect(m).toContain('Fix the variable(s) above');
  });

  test('several problems come in one message', () => {
    const m = error({ LIVEPEER_TEST_MODE: 'Live', LIVEPEER_TARGET: 'nope' });
    expect(m).toContain('LIVEPEER_TEST_MODE');
    expect(m).toContain('LIVEPEER_TARGET');
  });

  test('live and record take exactly one target', () => {
    expect(error({ LIVEPEER_TEST_MODE: 'record', LIVEPEER_TARGET: 'gateway,runner' })).toContain('record mode talks to exactly one');
  });

  test('a gateway URL with several targets is ambiguous', () => {
    expect(error({ LIVEPEER_GATEWAY_URL: 'http://127.0.0.1:9' })).toContain('set LIVEPEER_TARGET to the one target this URL serves');
  });

  test('the key is never echoed in an error', () => {
    const m = error({ LIVEPEER_TEST_MODE: 'live', LIVEPEER_TARGET: 'studio,gateway', LIVEPEER_API_KEY: 'sk-secret-canary-123' });
    expect(m).not.toContain('sk-secret-canary-123');
  });
});
