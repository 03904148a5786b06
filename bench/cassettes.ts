// Benchmark 5: replay cost as the cassettes grow. Each scale ×k is a temporary fixtures folder
// holding the committed cassettes plus k−1 synthetic copies of each (`<area>-copy-<n>.json`,
// area renamed, every path given a `?bench-copy=<n>` query), so the copies load and validate like
// the originals but no spec ever matches them: extra recorded exchanges that every request must
// be told apart from.
//   in-process  readCassettes + ReplayEngine, then one match() per committed interaction (the
//               requests the specs send): the replay work itself, without vitest around it.
//   suite       `vitest run --project contract -t .` with LIVEPEER_FIXTURES_DIR at the scale's
//               folder. `-t .` selects every test but marks the run as filtered, so the hygiene
//               reporter does not count the copies as orphans (they are, on purpose).
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_IDS } from '../support/catalogue.ts';
import { CassetteFile, readCassettes } from '../support/modes/cassettes.ts';
import { ReplayEngine } from '../support/modes/replay.ts';
import { contractRun, intOption, isMain, median, option, removeDir, ROOT, spread, tail, tempDir, type Spread } from './lib.ts';

export const SCALES = [1, 4, 16] as const;

/** A fixtures folder with the committed cassettes and `scale − 1` renamed copies of each. */
export function scaledFixtures(scale: number, source = join(ROOT, 'fixtures')): { dir: string; files: number; interactions: number } {
  const dir = tempDir(`fixtures-x${scale}`);
  cpSync(source, dir, { recursive: true });
  let files = 0;
  let interactions = 0;
  for (const target of TARGET_IDS) {
    const folder = join(dir, 'cassettes', target);
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith('.json'));
    } catch {
      continue;
    }
    for (const name of names) {
      const original = CassetteFile.parse(JSON.parse(readFileSync(join(folder, name), 'utf8')));
      files++;
      interactions += original.interactions.length;
      for (let n = 1; n < scale; n++) {
        const copy: CassetteFile = {
          ...original,
          area: `${original.area}-copy-${n}`,
          interactions: original.interactions.map((i) => ({ ...i, request: { ...i.request, path: `${i.request.path}?bench-copy=${n}` } })),
        };
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, `${copy.area}.json`), `${JSON.stringify(copy, null, 2)}\n`);
        files++;
        interactions += copy.interactions.length;
      }
    }
  }
  return { dir, files, interactions };
}

export interface ScaleResult {
  scale: number;
  files: number;
  interactions: number;
  /** In-process, medians: parse + validate every cassette, build the engine; match every committed request. */
  loadMs: number;
  matchMs: number;
  totalMs: number;
  cpuMs: number;
  /** totalMs ÷ the ×1 total. */
  growth: number;
  /** cpuMs ÷ the ×1 CPU time. */
  cpuGrowth: number;
  /** Whole replay suite, wall time (when measured). */
  suite?: Spread;
  suiteGrowth?: number;
  /** Failed tests in the last suite run of this scale: must equal the ×1 count (copies change no outcome). */
  suiteFailed?: number;
}

export interface CassetteBench {
  scales: ScaleResult[];
  /** log(total×16 ÷ total×1) ÷ log 16: 1 is linear, 2 quadratic. Wall time. */
  exponent: number;
  /** The same from CPU time. */
  cpuExponent: number;
  suiteExponent?: number;
}

interface InProcess {
  loadMs: number;
  matchMs: number;
  totalMs: number;
  /** Process CPU time of load + match: moves less than wall time when other processes load the machine. */
  cpuMs: number;
}

/** One load + match of a scale's folder: wall time of each part, CPU time of both. */
function measureOnce(dir: string, originals: ReturnType<typeof readCassettes>): { load: number; match: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const engine = new ReplayEngine(readCassettes(dir, TARGET_IDS), {});
  const t1 = performance.now();
  for (const cassette of originals) {
    engine.resetSequences();
    for (const interaction of cassette.interactions) engine.match(cassette.target, interaction.request);
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return { load: t1 - t0, match: t2 - t1, cpu: (cpu.user + cpu.system) / 1000 };
}

/** The in-process measurement, scales interleaved round by round so that load falls on all alike. */
function measureInProcess(folders: readonly { dir: string }[], originals: ReturnType<typeof readCassettes>, rounds: number): InProcess[] {
  const samples = folders.map(() => ({ load: [] as number[], match: [] as number[], cpu: [] as number[] }));
  for (const f of folders) measureOnce(f.dir, originals); // warm-up: JIT and file cache
  for (let r = 0; r < rounds; r++) {
    for (const [i, f] of folders.entries()) {
      const m = measureOnce(f.dir, originals);
      samples[i]!.load.push(m.load);
      samples[i]!.match.push(m.match);
      samples[i]!.cpu.push(m.cpu);
    }
  }
  return samples.map((s) => ({ loadMs: median(s.load), matchMs: median(s.match), totalMs: median(s.load) + median(s.match), cpuMs: median(s.cpu) }));
}

export async function benchCassettes(rounds: number, suiteRuns: number, log: (line: string) => void): Promise<CassetteBench> {
  const originals = readCassettes(join(ROOT, 'fixtures'), TARGET_IDS);
  const folders = SCALES.map((scale) => ({ scale, ...scaledFixtures(scale) }));
  try {
    return await measureScales(folders, originals, rounds, suiteRuns, log);
  } finally {
    for (const f of folders) removeDir(f.dir);
  }
}

async function measureScales(
  folders: { scale: number; dir: string; files: number; interactions: number }[],
  originals: ReturnType<typeof readCassettes>,
  rounds: number,
  suiteRuns: number,
  log: (line: string) => void,
): Promise<CassetteBench> {
  const measured = measureInProcess(folders, originals, Math.max(rounds, 10));
  const scales: ScaleResult[] = folders.map(({ scale, files, interactions }, i) => ({
    scale,
    files,
    interactions,
    ...measured[i]!,
    growth: measured[i]!.totalMs / measured[0]!.totalMs,
    cpuGrowth: measured[i]!.cpuMs / measured[0]!.cpuMs,
  }));

  if (suiteRuns > 0) {
    const walls = new Map<number, number[]>(SCALES.map((s) => [s, []]));
    const failed = new Map<number, number>();
    for (let i = 0; i < suiteRuns; i++) {
      for (const { scale, dir } of folders) {
        const run = await contractRun(['-t', '.'], { env: { LIVEPEER_FIXTURES_DIR: dir } });
        if (!run.summary) throw new Error(`the ×${scale} suite run wrote no vitest.json (exit ${run.code}):\n${tail(run)}`);
        walls.get(scale)!.push(run.wallMs);
        failed.set(scale, run.summary.failed);
      }
      log(`  suite run ${i + 1}/${suiteRuns}: ${SCALES.map((s) => `×${s} ${(walls.get(s)!.at(-1)! / 1000).toFixed(1)} s`).join(', ')}`);
    }
    for (const s of scales) {
      s.suite = spread(walls.get(s.scale)!);
      s.suiteGrowth = s.suite.median / spread(walls.get(1)!).median;
      s.suiteFailed = failed.get(s.scale);
    }
  }
  const first = scales[0]!;
  const last = scales.at(-1)!;
  const exponentOf = (a: number, b: number) => Math.log(b / a) / Math.log(last.scale / first.scale);
  return {
    scales,
    exponent: exponentOf(first.totalMs, last.totalMs),
    cpuExponent: exponentOf(first.cpuMs, last.cpuMs),
    ...(first.suite && last.suite ? { suiteExponent: exponentOf(first.suite.median, last.suite.median) } : {}),
  };
}

if (isMain(import.meta.url)) {
  const rounds = intOption(process.argv, 'runs', 'BENCH_RUNS', 5);
  const raw = option(process.argv, 'growth-runs', 'BENCH_GROWTH_RUNS');
  const suiteRuns = process.argv.includes('--no-suite') || raw === '0' ? 0 : intOption(process.argv, 'growth-runs', 'BENCH_GROWTH_RUNS', 3);
  console.log(JSON.stringify(await benchCassettes(rounds, suiteRuns, (l) => console.error(l))));
}
