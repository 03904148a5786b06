// The key-leak scan: every file under fixtures/ and reports/ is searched for strings that look
// like a Livepeer key or a bearer token (LEAK_PATTERNS, support/http/redact.ts). Redaction is meant to
// make this find nothing; the scan is the proof that it did, after the fact, on what reached disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LEAK_PATTERNS } from '../http/redact.ts';
import { DEFAULT_REPORTS_DIR, reportsDirFrom } from '../paths.ts';

export interface Leak {
  /** Relative to the working directory when under it. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  /** What matched, masked: enough to find it, never the whole secret (it would leak again). */
  shown: string;
  /** Index into LEAK_PATTERNS. */
  pattern: number;
}

/** Files above this size are scanned in their first bytes only: no suite output comes near it. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * `Bearer abcd… (24 chars)`: the context and the first 4 characters of the value (the last run of
 * token characters). The shown text must not match a leak pattern itself, or a failure message
 * written to reports/ by one run would fail the next run's scan: hence no closing part and no `"`.
 */
export function mask(match: string): string {
  const runs = [...match.matchAll(/[A-Za-z0-9._~+/=-]{8,}/g)];
  const value = runs.at(-1);
  const shown = value ? `${match.slice(0, value.index)}${value[0].slice(0, 4)}… (${value[0].length} chars)` : `${match.slice(0, 4)}… (${match.length} chars)`;
  return shown.replaceAll('"', "'");
}

/** Every leak in one text. */
export function scanText(text: string, file: string): Leak[] {
  const leaks: Leak[] = [];
  let lineStarts: number[] | undefined;
  for (const [pattern, source] of LEAK_PATTERNS.entries()) {
    // A fresh global regex: the shared one's lastIndex must not carry over between texts.
    const re = new RegExp(source.source, source.flags.includes('g') ? source.flags : `${source.flags}g`);
    for (const m of text.matchAll(re)) {
      lineStarts ??= startsOfLines(text);
      const at = m.index;
      const line = lastIndexAtOrBelow(lineStarts, at);
      leaks.push({ file, line: line + 1, column: at - lineStarts[line]! + 1, shown: mask(m[0]), pattern });
    }
  }
  return leaks.sort((a, b) => a.line - b.line || a.column - b.column);
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lastIndexAtOrBelow(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Every regular file under a folder, depth first, in name order; a missing folder has none. */
function filesUnder(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue; // Removed while we looked (a run writing reports/ next to us).
    }
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push(path);
  }
  return out;
}

export interface ScanResult {
  roots: string[];
  files: number;
  leaks: Leak[];
}

/** Scans every file under the given folders (files, too, are accepted). Binary files are read as text. */
export function scanPaths(roots: readonly string[]): ScanResult {
  const leaks: Leak[] = [];
  let files = 0;
  for (const root of new Set(roots)) {
    let paths: string[];
    try {
      paths = statSync(root).isFile() ? [root] : filesUnder(root);
    } catch {
      continue; // reports/ does not exist before the first run
    }
    for (const path of paths) {
      let buffer: Buffer;
      try {
        buffer = readFileSync(path);
      } catch {
        continue;
      }
      files++;
      const text = buffer.subarray(0, MAX_BYTES).toString('utf8');
      leaks.push(...scanText(text, relative(process.cwd(), path) || path));
    }
  }
  return { roots: [...new Set(roots)], files, leaks };
}

/** The folders the suite writes to or reads secrets-free data from: fixtures/ and reports/, as configured and by default. */
export function defaultScanRoots(env: Record<string, string | undefined> = process.env): string[] {
  const fixtures = env.LIVEPEER_FIXTURES_DIR?.trim() || 'fixtures';
  return [...new Set(['fixtures', fixtures, DEFAULT_REPORTS_DIR, reportsDirFrom(env)])];
}

/** One line per leak: `reports/junit.xml:12:40 Bearer abcd… (24 chars)`. */
export function formatLeaks(leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.file}:${l.line}:${l.column} ${l.shown}`).join('\n');
}
