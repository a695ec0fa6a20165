import { InkAuthError } from '../errors.js';
import { encodeV1Solution, encodeV2Solution, searchSpace } from './challenge.js';
import type { PowChallenge } from './challenge.js';
import type { PowKernel, WorkerReply, WorkerRequest } from './messages.js';
import type { PowWorkerFactory, PowWorkerFormat } from './worker-config.js';
import { startWorkerPool } from './worker-pool.js';
import type { PowWorkerPool } from './worker-pool.js';

/** Progress of a running solve. `fraction` is of the whole search space, `null` when unknown. */
export interface SolveProgress {
  hashes: number;
  fraction: number | null;
  /** The hash kernel: `wasm-simd` when every worker that reported runs it, else `js` (also v2's). */
  kernel: PowKernel;
}

/** Options of {@link solveChallenge}. */
export interface SolveOptions {
  /** Aborting rejects with `aborted` and terminates every worker. */
  signal?: AbortSignal;
  onProgress?: (progress: SolveProgress) => void;
  /** Number of workers; default from `navigator.hardwareConcurrency`, see {@link poolSize}. */
  concurrency?: number;
  createWorker?: PowWorkerFactory;
  /**
   * Workers started ahead of the challenge ({@link startPowWorkers}): used when live and of the
   * challenge's format (their size wins over `concurrency`), else terminated and replaced.
   */
  pool?: PowWorkerPool;
  /** v2 has no bounded search space: give up after this long. Default 120 s. */
  v2TimeoutMs?: number;
}

const MAX_WORKERS = 8;
const V1_CHUNK = 20_000;
const PROGRESS_INTERVAL_MS = 50;

/** Pool size: the reported core count, at least 1 and at most 8. */
export function poolSize(hardwareConcurrency: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
  const cores = Number.isFinite(hardwareConcurrency) && hardwareConcurrency ? Math.floor(hardwareConcurrency) : 2;
  return Math.min(MAX_WORKERS, Math.max(1, cores));
}

/**
 * Starts a pool for the hosted format (v1) before the challenge is known, so the workers load
 * and compile their kernel while it is in flight. Hand it to {@link solveChallenge} as `pool`,
 * or terminate it (e.g. on a 404: no proof of work).
 */
export function startPowWorkers(options: Pick<SolveOptions, 'concurrency' | 'createWorker'> = {}): PowWorkerPool {
  return startWorkerPool('v1', clampConcurrency(options.concurrency), options.createWorker);
}

function clampConcurrency(concurrency: number | undefined): number {
  return Math.max(1, Math.min(MAX_WORKERS, concurrency ?? poolSize()));
}

/** The given pool when it can solve `format`; otherwise it is terminated and a new one started. */
function claimPool(format: PowWorkerFormat, options: SolveOptions): PowWorkerPool {
  const ready = options.pool;
  if (ready?.live && ready.format === format) return ready;
  ready?.terminate();
  return startWorkerPool(format, clampConcurrency(options.concurrency), options.createWorker);
}

/**
 * Solves a PoW challenge on a pool of dedicated workers, each trying an interleaved slice
 * (worker i of N: i, i+N, …). Resolves with the `x-inkeep-challenge-solution` header value.
 * Every worker is terminated when the promise settles, whatever the outcome. A worker out of
 * memory restarts the search on half as many workers (see {@link solveOnPool}).
 */
export function solveChallenge(challenge: PowChallenge, options: SolveOptions = {}): Promise<string> {
  return solveOnPool(challenge, options, claimPool(challenge.format, options), performance.now(), 0);
}

// A worker that could not allocate memory, e.g. Chromium's "WebAssembly.instantiate(): Out of
// memory: Cannot allocate Wasm memory for new instance" once the renderer has no address space
// left for another Wasm memory (altcha's v2 key derivations instantiate WebAssembly for every
// counter, in every worker). Matched without case, whatever the engine's exact words.
const OUT_OF_MEMORY = /out of memory/i;

/**
 * {@link solveChallenge} on `pool`. A worker out of memory ends the pool and the search starts
 * again on half as many workers (as altcha's own widget does), down to one: at most three restarts.
 */
function solveOnPool(challenge: PowChallenge, options: SolveOptions, pool: PowWorkerPool, started: number, hashesBefore: number): Promise<string> {
  const space = searchSpace(challenge);
  const count = pool.size;

  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let exhausted = 0;
    let hashes = hashesBefore;
    let lastReport = 0;
    let kernel: PowKernel | null = null;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      pool.terminate();
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: InkAuthError) => finish(() => reject(error));
    function onAbort() {
      fail(new InkAuthError('aborted', 'The proof-of-work solve was aborted.'));
    }

    const report = (force: boolean) => {
      const now = performance.now();
      if (!options.onProgress || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return;
      lastReport = now;
      options.onProgress({ hashes, fraction: space === null ? null : Math.min(1, hashes / space), kernel: kernel ?? 'js' });
    };

    const onReply = (reply: WorkerReply) => {
      if (settled) return;
      switch (reply.type) {
        case 'kernel':
          // One worker on the fallback makes the pool's kernel `js`: it is the honest figure.
          kernel = kernel === 'js' ? 'js' : reply.kernel;
          return;
        case 'progress':
          hashes += reply.hashes;
          report(false);
          return;
        case 'found-v1':
          if (challenge.format !== 'v1') return;
          // Workers report a chunk's hashes only when it ends without an answer, so an easy
          // challenge solved in the first chunk would end at 0. The search is interleaved from
          // 0: about `number + 1` candidates were tried when one of them matched.
          hashes = Math.max(hashes, reply.number + 1);
          report(true);
          return finish(() => resolve(encodeV1Solution(challenge, reply.number, Math.round(performance.now() - started))));
        case 'found-v2':
          if (challenge.format !== 'v2') return;
          report(true);
          return finish(() => resolve(encodeV2Solution(challenge, reply.solution)));
        case 'exhausted':
          if (++exhausted === count) fail(new InkAuthError('pow_unsolved', 'No solution exists in the challenge\'s search space.'));
          return;
        case 'error':
          if (OUT_OF_MEMORY.test(reply.message) && count > 1) {
            return finish(() => resolve(solveOnPool(challenge, options, startWorkerPool(challenge.format, count >> 1, options.createWorker), started, hashes)));
          }
          return fail(new InkAuthError('pow_worker_failed', `The proof-of-work worker failed: ${reply.message}`));
      }
    };

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    pool.listen({ reply: onReply, failure: fail });
    if (settled) return;
    for (let i = 0; i < count; i++) {
      const request: WorkerRequest =
        challenge.format === 'v1'
          ? { type: 'v1', salt: challenge.salt, challenge: challenge.challenge, start: i, step: count, end: challenge.maxnumber + 1, chunk: V1_CHUNK }
          : { type: 'v2', challenge: challenge.challenge, start: i, step: count, timeoutMs: options.v2TimeoutMs ?? 120_000 };
      pool.send(i, request);
    }
  });
}
