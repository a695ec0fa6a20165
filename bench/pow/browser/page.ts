// Benchmark page: measures each solver in fresh workers and hands the figures back to the driver.
import type { BenchPlan, BrowserReport, Measurement, SolveJob, SolveReply, SolverKind } from '../protocol.js';

interface BenchWorker {
  onmessage: ((event: { data: SolveReply }) => void) | null;
  postMessage(job: SolveJob): void;
  terminate(): void;
}
interface PageScope {
  Worker: new (url: string) => BenchWorker;
  navigator: { userAgent: string; hardwareConcurrency: number };
  runPowBench?: (plan: BenchPlan) => Promise<BrowserReport>;
}
const page = globalThis as unknown as PageScope;

/** Per-worker hashes for the short warm-up run that also calibrates the timed runs. */
const WARMUP: Record<SolverKind, number> = { 'wasm-simd': 1_000_000, kernel: 400_000, 'altcha-lib': 20_000, subtle: 20_000 };

function solve(worker: BenchWorker, job: SolveJob): Promise<SolveReply> {
  return new Promise((resolve) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.postMessage(job);
  });
}

/** Runs `total` numbers from `start`, interleaved over the workers; returns wall-clock ms and the hit. */
async function runPool(workers: BenchWorker[], kind: SolverKind, plan: BenchPlan, challenge: string, total: number) {
  const started = performance.now();
  const replies = await Promise.all(
    workers.map((w, lane) =>
      solve(w, { kind, salt: plan.salt, challenge, from: plan.start + lane, to: plan.start + total, step: workers.length }),
    ),
  );
  const ms = performance.now() - started;
  const found = replies.map((r) => r.found).find((n) => n !== -1) ?? -1;
  return { ms, found };
}

interface Contender {
  kind: SolverKind;
  count: number;
  workers: BenchWorker[];
  /** numbers per timed run, calibrated from the warm-up to last about `secondsPerRun` */
  total: number;
  runs: number[];
}

/** Starts the workers of one solver × worker count, warms them up and calibrates its runs. */
async function prepare(kind: SolverKind, count: number, plan: BenchPlan): Promise<Contender> {
  const workers = Array.from({ length: count }, () => new page.Worker('./solver.worker.js'));
  const warm = await runPool(workers, kind, plan, plan.missChallenge, WARMUP[kind] * count);
  const rate = (WARMUP[kind] * count) / warm.ms;
  return { kind, count, workers, total: Math.max(count, Math.round(rate * plan.secondsPerRun * 1000)), runs: [] };
}

/**
 * Measures every contender, interleaved run by run (A B C … A B C …), so a change in the load of
 * a shared machine falls on all of them alike and the ratios between them stay meaningful.
 */
async function measureAll(configs: Array<[SolverKind, number]>, plan: BenchPlan): Promise<Measurement[]> {
  const contenders: Contender[] = [];
  try {
    for (const [kind, count] of configs) contenders.push(await prepare(kind, count, plan));
    for (let i = 0; i < plan.runs; i++) {
      for (const c of contenders) {
        const { ms } = await runPool(c.workers, c.kind, plan, plan.missChallenge, c.total);
        c.runs.push(Math.round((c.total / ms) * 1000));
      }
    }
    return contenders.map((c) => {
      const sorted = [...c.runs].sort((a, b) => a - b);
      return { kind: c.kind, workers: c.count, hashesPerSecond: sorted[Math.floor(sorted.length / 2)]!, runs: c.runs };
    });
  } finally {
    for (const c of contenders) for (const w of c.workers) w.terminate();
  }
}

async function checkHit(plan: BenchPlan, kind: SolverKind): Promise<number> {
  const workers = [new page.Worker('./solver.worker.js'), new page.Worker('./solver.worker.js')];
  try {
    const total = plan.hitNumber - plan.start + 1000;
    return (await runPool(workers, kind, plan, plan.hitChallenge, total)).found;
  } finally {
    for (const w of workers) w.terminate();
  }
}

page.runPowBench = async (plan) => {
  const measurements = await measureAll(
    [['wasm-simd', 1], ['kernel', 1], ['wasm-simd', 2], ['kernel', 2], ['altcha-lib', 1], ['subtle', 1]],
    plan,
  );
  return {
    userAgent: page.navigator.userAgent,
    hardwareConcurrency: page.navigator.hardwareConcurrency,
    measurements,
    hitFound: await checkHit(plan, 'wasm-simd'),
    hitFoundJs: await checkHit(plan, 'kernel'),
  };
};
