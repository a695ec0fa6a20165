// Benchmark worker: runs one solver over a slice and reports the time it took.
import { solveChallenge } from 'altcha-lib/v1';
import { createV1Search } from '../../../src/pow/kernel/index.js';
import { loadV1SimdKernel } from '../../../src/pow/wasm/load-v1-simd.js';
import { createV1SimdSearch } from '../../../src/pow/wasm/v1-simd-search.js';
import type { SolveJob, SolveReply } from '../protocol.js';

interface WorkerScope {
  onmessage: ((event: { data: SolveJob }) => void) | null;
  postMessage(reply: SolveReply): void;
}
const scope = globalThis as unknown as WorkerScope;
const simdKernel = loadV1SimdKernel();

async function subtleLoop(job: SolveJob): Promise<number> {
  const encoder = new TextEncoder();
  const target = new Uint8Array(32);
  for (let i = 0; i < 32; i++) target[i] = parseInt(job.challenge.slice(i * 2, i * 2 + 2), 16);
  for (let n = job.from; n < job.to; n += job.step) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(job.salt + n)));
    let same = true;
    for (let i = 0; i < 32 && same; i++) same = digest[i] === target[i];
    if (same) return n;
  }
  return -1;
}

async function run(job: SolveJob): Promise<number> {
  switch (job.kind) {
    case 'wasm-simd': {
      const kernel = await simdKernel;
      if (!kernel) throw new Error('WebAssembly SIMD is not available in this worker');
      return createV1SimdSearch(kernel, job.salt, job.challenge)(job.from, job.to, job.step);
    }
    case 'kernel':
      return createV1Search(job.salt, job.challenge)(job.from, job.to, job.step);
    case 'altcha-lib': {
      // altcha-lib scans start…max inclusive, one awaited digest per number.
      const solution = await solveChallenge(job.challenge, job.salt, 'SHA-256', job.to - 1, job.from).promise;
      return solution ? solution.number : -1;
    }
    case 'subtle':
      return subtleLoop(job);
  }
}

scope.onmessage = async (event) => {
  const job = event.data;
  if (job.kind === 'wasm-simd') await simdKernel; // compiling is not hashing
  const started = performance.now();
  void run(job).then((found) => {
    const ms = performance.now() - started;
    scope.postMessage({ found, hashes: Math.ceil((job.to - job.from) / job.step), ms });
  });
};
