// The CI workflows are linted in the project's own test run (@action-validator/cli: the GitHub
// workflow schema, offline), and the pre-release target choice follows the catalogue.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { TARGET_IDS } from '../support/catalogue.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = ['ci.yml', 'nightly.yml', 'pre-release.yml'].map((f) => join('.github', 'workflows', f));

const validate = (file: string) => spawnSync(join(ROOT, 'node_modules', '.bin', 'action-validator'), [file], { cwd: ROOT, encoding: 'utf8' });

describe('workflow lint', () => {
  test.each(WORKFLOWS)('%s is a valid GitHub workflow', (file) => {
    const result = validate(file);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test('the linter fails on a broken workflow', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'livepeer-workflow-')), 'broken.yml');
    writeFileSync(file, ['name: broken', 'on: [pushh]', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    step:', '      - run: npm test', ''].join('\n'));
    const result = validate(file);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("Additional property 'step' is not allowed");
  });

  test('pre-release offers exactly the catalogue targets', () => {
    const text = readFileSync(join(ROOT, '.github', 'workflows', 'pre-release.yml'), 'utf8');
    const options = /options:\n((?:\s+- \S+\n)+)/.exec(text)?.[1]?.match(/- (\S+)/g)?.map((o) => o.slice(2));
    expect(options).toEqual([...TARGET_IDS]);
  });

  test('the Studio key reaches only the live steps, from a secret', () => {
    for (const file of WORKFLOWS) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const line of text.split('\n').filter((l) => l.includes('LIVEPEER_API_KEY'))) {
        expect(line, `${file}: ${line}`).toMatch(/LIVEPEER_API_KEY: \$\{\{.*secrets\.LIVEPEER_API_KEY/);
      }
    }
  });
});
