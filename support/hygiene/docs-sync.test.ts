// The README and .env.example list every variable the suite reads: kept true by this test.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { VARIABLES } from '../config.ts';

const readme = readFileSync('README.md', 'utf8');
const envExample = readFileSync('.env.example', 'utf8');

describe('documentation of the configuration', () => {
  test.each(Object.keys(VARIABLES))('%s is in the README table and in .env.example', (variable) => {
    expect(readme).toContain(`| \`${variable}\` |`);
    expect(envExample).toMatch(new RegExp(`^${variable}=`, 'm'));
  });

  test('the README gives the two set-up commands', () => {
    expect(readme).toContain('npm ci\nnpm test');
  });
});
