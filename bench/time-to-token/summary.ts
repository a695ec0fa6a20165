import type { BenchBrowser } from '../pow/browsers.js';
import type { PhaseSplit } from './protocol.js';
import type { ScenarioPlan, ScenarioSamples } from './run.js';

const LONG_TASK_MS = 50;
const WARM_TARGET_MS = 10;

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return value ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One scenario's figures, as written to bench/results.json. */
export interface ScenarioSummary {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  serverRoundTrips: number;
  serverRequests: string[];
  pageRequestsMax: number;
  longTasksAtLeast50ms: number | null;
  longestTaskMs: number | null;
  /** Median ms per phase (see PhaseSplit); null where the phase did not happen. */
  phasesMedianMs: Record<keyof PhaseSplit, number | null>;
  /** The hash kernels the runs reported, e.g. `wasm-simd` (none without proof of work). */
  kernels: string[];
  medianHashes: number | null;
  baseline: null | {
    what: string;
    medianSolveMs: number;
    /** Baseline solve alone ÷ our whole connect→ready, per run, median (conservative: ours includes the network). */
    medianRatio: number;
    longTasksAtLeast50ms: number | null;
  };
}

function longTaskCounts(lists: (number[] | null)[]): { count: number | null; longest: number | null } {
  if (lists.some((l) => l === null)) return { count: null, longest: null };
  const all = lists.flatMap((l) => l ?? []);
  return { count: all.filter((d) => d >= LONG_TASK_MS).length, longest: all.length ? Math.max(...all) : 0 };
}

export function summariseScenario(samples: ScenarioSamples): ScenarioSummary {
  const ours = longTaskCounts(samples.longTasks);
  const base = samples.baseline.length
    ? {
        what: 'altcha-lib v1 solveChallenge on the main thread, same challenge, solve only',
        medianSolveMs: round(median(samples.baseline.map((b) => b.ms))),
        medianRatio: round(median(samples.baseline.map((b, i) => b.ms / (samples.ms[i] ?? Number.NaN))), 2),
        longTasksAtLeast50ms: longTaskCounts(samples.baseline.map((b) => b.longTasks)).count,
      }
    : null;
  const phase = (key: keyof PhaseSplit): number | null => {
    const values = samples.phases.map((p) => p[key]).filter((v): v is number => v !== null);
    return values.length ? round(median(values)) : null;
  };
  const hashes = samples.hashes.filter((h): h is number => h !== null);
  return {
    runs: samples.ms.length,
    phasesMedianMs: { cache: phase('cache'), challenge: phase('challenge'), solve: phase('solve'), session: phase('session') },
    kernels: [...new Set(samples.kernels.filter((k): k is string => k !== null))],
    medianHashes: hashes.length ? median(hashes) : null,
    medianMs: round(median(samples.ms)),
    minMs: round(Math.min(...samples.ms)),
    maxMs: round(Math.max(...samples.ms)),
    serverRoundTrips: median(samples.serverRequests),
    serverRequests: samples.lastRequests,
    pageRequestsMax: Math.max(...samples.pageRequests),
    longTasksAtLeast50ms: ours.count,
    longestTaskMs: ours.longest,
    baseline: base,
  };
}

const LABELS: Record<ScenarioPlan['name'], string> = {
  warm: 'warm (valid session in IndexedDB)',
  'cold-off': 'cold, PoW off',
  'cold-50k': 'cold, PoW maxnumber 50 000',
  'cold-1m': 'cold, PoW maxnumber 1 000 000',
};

/** The printed table for one browser. */
export function formatBrowserTable(browser: BenchBrowser, scenarios: Partial<Record<ScenarioPlan['name'], ScenarioSummary>>): string {
  const lines = [
    `time to token in ${browser} (element connected → ink-auth-change ready; median of runs)`,
    `${'scenario'.padEnd(32)} ${'median'.padStart(9)} ${'min'.padStart(8)} ${'runs'.padStart(5)}  ${'round trips'.padEnd(12)} main-thread altcha-lib v1, same challenges`,
  ];
  for (const [name, s] of Object.entries(scenarios) as [ScenarioPlan['name'], ScenarioSummary][]) {
    const trips = name === 'warm' ? `${s.serverRoundTrips} (page ${s.pageRequestsMax})` : String(s.serverRoundTrips);
    const base = s.baseline ? `${s.baseline.medianSolveMs} ms solve alone = ${s.baseline.medianRatio}× ours` : '';
    lines.push(`${LABELS[name].padEnd(32)} ${`${s.medianMs} ms`.padStart(9)} ${`${s.minMs}`.padStart(8)} ${String(s.runs).padStart(5)}  ${trips.padEnd(12)} ${base}`);
  }
  const warm = scenarios.warm;
  if (warm) {
    const ok = warm.medianMs <= WARM_TARGET_MS && warm.serverRoundTrips === 0 && warm.pageRequestsMax === 0;
    lines.push(`warm start target ≤ ${WARM_TARGET_MS} ms and 0 requests: ${ok ? 'met' : 'MISSED'}`);
  }
  const big = scenarios['cold-1m'];
  if (big && big.longTasksAtLeast50ms !== null) {
    lines.push(
      `long tasks ≥ ${LONG_TASK_MS} ms during cold starts at 1 000 000: ${big.longTasksAtLeast50ms} (longest ${big.longestTaskMs} ms; target 0)` +
        (big.baseline ? `; main-thread baseline: ${big.baseline.longTasksAtLeast50ms}` : ''),
    );
  }
  const off = scenarios['cold-off'];
  for (const key of ['cold-50k', 'cold-1m'] as const) {
    const s = scenarios[key];
    if (s && off) lines.push(`${LABELS[key]}: ${round(s.medianMs - off.medianMs)} ms over PoW off (solve + the challenge round trip)`);
    if (s) {
      const p = s.phasesMedianMs;
      lines.push(
        `  phases (median ms): cache ${p.cache}, challenge ${p.challenge}, solve ${p.solve}, session ${p.session}; ` +
          `kernel ${s.kernels.join('/') || 'none'}, ${s.medianHashes ?? 0} hashes`,
      );
    }
  }
  return lines.join('\n');
}

/** Warm start from the page's first script beside the page's own IndexedDB read (issue 14: ≤ floor + 10 ms). */
export interface WarmPageSummary {
  runs: number;
  readyMedianMs: number;
  idbFloorMedianMs: number;
  overFloorMs: number;
  targetMet: boolean;
}

const FLOOR_TARGET_MS = 10;

export function summariseWarmPages(samples: { readyMs: number[]; idbReadMs: number[] }): WarmPageSummary {
  const ready = round(median(samples.readyMs));
  const floor = round(median(samples.idbReadMs));
  return { runs: samples.readyMs.length, readyMedianMs: ready, idbFloorMedianMs: floor, overFloorMs: round(ready - floor), targetMet: ready - floor <= FLOOR_TARGET_MS };
}

export function formatWarmPages(s: WarmPageSummary): string {
  return (
    `warm, from the page's first script: ready ${s.readyMedianMs} ms; the page's own IndexedDB read of the record ${s.idbFloorMedianMs} ms ` +
    `(floor); ${s.overFloorMs} ms over the floor (target ≤ ${FLOOR_TARGET_MS}: ${s.targetMet ? 'met' : 'MISSED'}; ${s.runs} runs, medians)`
  );
}
