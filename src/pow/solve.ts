import { InkAuthError } from '../errors.js';
import { encodeV1Solution, encodeV2Solution, searchSpace } from './challenge.js';
import type { PowChallenge } from './challenge.js';
import type { PowKernel, WorkerReply, WorkerRequest } from './messages.js';
import { createPowWorker } from './worker-factory.js';
import type { PowWorkerFactory } from './worker-factory.js';

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
 * Solves a PoW challenge on a pool of dedicated workers, each trying an interleaved slice
 * (worker i of N: i, i+N, …). Resolves with the `x-inkeep-challenge-solution` header value.
 * Every worker is terminated when the promise settles, whatever the outcome.
 */
export function solveChallenge(challenge: PowChallenge, options: SolveOptions = {}): Promise<string> {
  const count = Math.max(1, Math.min(MAX_WORKERS, options.concurrency ?? poolSize()));
  const factory = options.createWorker ?? createPowWorker;
  const space = searchSpace(challenge);
  const started = performance.now();
  const workers: Worker[] = [];

  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let exhausted = 0;
    let hashes = 0;
    let lastReport = 0;
    let kernel: PowKernel | null = null;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) {
        worker.postMessage({ type: 'abort' } satisfies WorkerRequest);
        worker.terminate();
      }
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
          report(true);
          return finish(() => resolve(encodeV1Solution(challenge, reply.number, Math.round(performance.now() - started))));
        case 'found-v2':
          if (challenge.format !== 'v2') return;
          report(true);
          return finish(() => resolve(encodeV2Solution(challenge, reply.solution)));
        case 'exhausted':
          if (++exhausted === workers.length) fail(new InkAuthError('pow_unsolved', 'No solution exists in the challenge\'s search space.'));
          return;
        case 'error':
          return fail(new InkAuthError('pow_worker_failed', `The proof-of-work worker failed: ${reply.message}`));
      }
    };

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let i = 0; i < count; i++) {
        const worker = factory(challenge.format);
        workers.push(worker);
        worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => onReply(event.data));
        worker.addEventListener('error', (event) => {
          event.preventDefault();
          fail(new InkAuthError('pow_worker_failed', `The proof-of-work worker could not run: ${event.message || 'script failed to load'}. Check the CSP \`worker-src\` directive.`));
        });
        worker.addEventListener('messageerror', () => fail(new InkAuthError('pow_worker_failed', 'The proof-of-work worker sent an unreadable message.')));
      }
    } catch (error) {
      return fail(error instanceof InkAuthError ? error : new InkAuthError('pow_worker_failed', String(error), { cause: error }));
    }
    workers.forEach((worker, i) => {
      const request: WorkerRequest =
        challenge.format === 'v1'
          ? { type: 'v1', salt: challenge.salt, challenge: challenge.challenge, start: i, step: count, end: challenge.maxnumber + 1, chunk: V1_CHUNK }
          : { type: 'v2', challenge: challenge.challenge, start: i, step: count, timeoutMs: options.v2TimeoutMs ?? 120_000 };
      worker.postMessage(request);
    });
  });
}
