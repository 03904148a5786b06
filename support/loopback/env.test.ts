// The live-on-loopback runs take their configuration from a fixed environment: nothing of the
// user's .env or shell (a real key, a real gateway URL) can reach them.
import { describe, expect, test, vi } from 'vitest';
import { LOOPBACK_KEY, loopbackConfig, loopbackNeedsKey } from './env.ts';
import { loopbackProjectName, targetOfProject } from './projects.ts';

describe('live-on-loopback configuration', () => {
  test('is built from its own values, never from process.env', () => {
    vi.stubEnv('LIVEPEER_API_KEY', 'a-real-key-from-dotenv');
    vi.stubEnv('LIVEPEER_GATEWAY_URL', 'https://livepeer.studio/api/beta/generate');
    vi.stubEnv('LIVEPEER_RETRY_SCALE', '1');
    try {
      const config = loopbackConfig({ target: 'studio', url: 'http://127.0.0.1:4000/api/beta/generate', statusUrl: 'http://127.0.0.1:4001', fixturesDir: 'fixtures', reportsDir: 'reports', key: LOOPBACK_KEY });
      expect(config).toMatchObject({
        mode: 'live',
        targets: ['studio'],
        baseUrls: { studio: 'http://127.0.0.1:4000/api/beta/generate' },
        apiKey: LOOPBACK_KEY,
        statusUrl: 'http://127.0.0.1:4001',
        retryScale: 0.01,
        rateLimits: { studio: 20 },
        reportsDir: 'reports/self-check/studio',
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('sends a key only where the committed cassettes were made with one', () => {
    expect(loopbackNeedsKey('fixtures', 'studio')).toBe(true);
    expect(loopbackNeedsKey('fixtures', 'gateway')).toBe(false);
  });

  test('project names and targets map both ways', () => {
    expect(targetOfProject(loopbackProjectName('runner'))).toBe('runner');
    expect(() => targetOfProject('contract')).toThrow(/live-loopback-studio, live-loopback-gateway, live-loopback-runner/);
  });
});
