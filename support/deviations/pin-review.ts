// Which data pins are still a proposal: in `<fixtures>/pins/` but not committed. A run that judged
// with one is not reviewed yet, so the gate fails it until the proposal is committed (`git diff` of
// the pins file is the review). Outside a git work tree nothing can be told, and nothing waits.
import { execFileSync } from 'node:child_process';
import { dirname, relative, resolve } from 'node:path';
import { TARGET_IDS } from '../catalogue.ts';
import { parsePinsFile, pinsPath, readPinsFile, type PinsFile } from './data-pins.ts';

/** Runs git in the folder; undefined when git or the repository is not there. */
function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The committed version of a file (HEAD), '' when it is not in HEAD, undefined outside git. */
function committed(file: string): string | undefined {
  const dir = dirname(resolve(file));
  const top = git(dir, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) return undefined;
  return git(top, ['show', `HEAD:${relative(top, resolve(file)).split('\\').join('/')}`]) ?? '';
}

const entryKeys = (p: PinsFile | undefined): Set<string> =>
  new Set([...(p?.entries ?? []).map((e) => `pin ${JSON.stringify(e)}`), ...(p?.withdrawn ?? []).map((w) => `withdraw ${JSON.stringify(w)}`)]);

/** The ids of pins and withdrawals of the working tree that HEAD does not have as they are. */
export function waitingProposals(fixturesDir: string): string[] {
  const out: string[] = [];
  for (const target of TARGET_IDS) {
    const now = readPinsFile(fixturesDir, target);
    if (!now) continue;
    const file = pinsPath(fixturesDir, target);
    const head = committed(file);
    if (head === undefined) return [];
    const before = entryKeys(head ? parsePinsFile(`HEAD:${file}`, head, target) : undefined);
    for (const e of now.entries) if (!before.has(`pin ${JSON.stringify(e)}`)) out.push(e.id);
    for (const w of now.withdrawn) if (!before.has(`withdraw ${JSON.stringify(w)}`)) out.push(`withdraw ${w.id}`);
  }
  return out;
}
