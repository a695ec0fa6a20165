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
const WARMUP: Record<SolverKind, number> = { kernel: 400_000, 'altcha-lib': 20_000, subtle: 20_000 };

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

async function measure(kind: SolverKind, count: number, plan: BenchPlan): Promise<Measurement> {
  const workers = Array.from({ length: count }, () => new page.Worker('./solver.worker.js'));
  try {
    const warm = await runPool(workers, kind, plan, plan.missChallenge, WARMUP[kind] * count);
    const rate = (WARMUP[kind] * count) / warm.ms;
    const total = Math.max(count, Math.round(rate * plan.secondsPerRun * 1000));
    const runs: number[] = [];
    for (let i = 0; i < plan.runs; i++) {
      const { ms } = await runPool(workers, kind, plan, plan.missChallenge, total);
      runs.push(Math.round((total / ms) * 1000));
    }
    const sorted = [...runs].sort((a, b) => a - b);
    return { kind, workers: count, hashesPerSecond: sorted[Math.floor(sorted.length / 2)]!, runs };
  } finally {
    for (const w of workers) w.terminate();
  }
}

async function checkHit(plan: BenchPlan): Promise<number> {
  const workers = [new page.Worker('./solver.worker.js'), new page.Worker('./solver.worker.js')];
  try {
    const total = plan.hitNumber - plan.start + 1000;
    return (await runPool(workers, 'kernel', plan, plan.hitChallenge, total)).found;
  } finally {
    for (const w of workers) w.terminate();
  }
}

page.runPowBench = async (plan) => {
  const measurements: Measurement[] = [];
  measurements.push(await measure('kernel', 1, plan));
  measurements.push(await measure('kernel', 2, plan));
  measurements.push(await measure('altcha-lib', 1, plan));
  measurements.push(await measure('subtle', 1, plan));
  return {
    userAgent: page.navigator.userAgent,
    hardwareConcurrency: page.navigator.hardwareConcurrency,
    measurements,
    hitFound: await checkHit(plan),
  };
};
