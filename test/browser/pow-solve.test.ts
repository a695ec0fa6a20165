// The worker pool on its own: v1 solutions verified by hand, exhaustion, abort, and a worker
// script that cannot load (cross-origin without CORS, as from a CDN) → a clear error.
import { solveChallenge } from '../../src/pow/solve.js';
import { parseChallenge } from '../../src/pow/challenge.js';
import { configurePowWorker } from '../../src/pow/worker-config.js';
import type { WorkerReply, WorkerRequest } from '../../src/pow/messages.js';
import { InkAuthError } from '../../src/errors.js';
import { createChallenge, sha } from 'altcha/lib';
import { v1Challenge } from './helpers/challenges.js';
import { spyOnPowWorkers, WORKER_FILES } from './helpers/workers.js';
import { equal, ok, rejection } from './helpers/harness.js';

afterEach(() => configurePowWorker({ factory: null, url: null }));

const WASM_OOM = 'WebAssembly.instantiate(): Out of memory: Cannot allocate Wasm memory for new instance';

/** A worker whose every search fails as Chromium's do when no Wasm memory can be reserved. */
class OutOfMemoryWorker extends EventTarget {
  terminated = false;
  postMessage(request: WorkerRequest): void {
    if (request.type === 'abort') return;
    const reply: WorkerReply = { type: 'error', message: WASM_OOM };
    setTimeout(() => this.terminated || this.dispatchEvent(new MessageEvent('message', { data: reply })));
  }
  terminate(): void {
    this.terminated = true;
  }
}

/** The first `failing` workers asked for are out of memory; the rest are the real scripts. */
const outOfMemoryFirst = (failing: number) => spyOnPowWorkers(undefined, (index) => (index < failing ? (new OutOfMemoryWorker() as unknown as Worker) : null));

describe('solveChallenge (worker pool)', () => {
  it('finds the number on a pool of 3 and encodes the ALTCHA v1 payload', async () => {
    const challenge = await v1Challenge('salt?expires=9999999999&', 123_457, 200_000);
    const progress: number[] = [];
    const header = await solveChallenge(challenge, { concurrency: 3, onProgress: (p) => progress.push(p.hashes) });
    const payload = JSON.parse(atob(header)) as Record<string, unknown>;
    equal(payload.number, 123_457, 'number');
    equal(payload.challenge, challenge.challenge, 'challenge');
    equal(payload.salt, challenge.salt, 'salt');
    equal(payload.signature, 'sig', 'signature');
    equal(payload.algorithm, 'SHA-256', 'algorithm');
    ok(typeof payload.took === 'number', 'took');
    ok(progress.length > 0, 'progress reported');
  });

  it('an unsolvable challenge is pow_unsolved and every worker is terminated', async () => {
    const { created, terminated } = spyOnPowWorkers();
    const challenge = await v1Challenge('nothing-here', 5_000, 1_000);
    const error = await rejection(solveChallenge(challenge, { concurrency: 2 }));
    ok(error instanceof InkAuthError && error.code === 'pow_unsolved', 'pow_unsolved');
    equal(created.length, 2, 'workers');
    equal(terminated.size, 2, 'terminated');
  });

  it('abort rejects with aborted and terminates every worker', async () => {
    const { created, terminated } = spyOnPowWorkers();
    const challenge = await v1Challenge('far-away', 90_000_000, 95_000_000);
    const controller = new AbortController();
    const solving = rejection(solveChallenge(challenge, { concurrency: 2, signal: controller.signal, onProgress: () => controller.abort() }));
    const error = await solving;
    ok(error instanceof InkAuthError && error.code === 'aborted', 'aborted');
    equal(terminated.size, created.length, 'terminated');
  });

  it('a v1 challenge starts only the small v1 worker', async () => {
    const { formats, terminated } = spyOnPowWorkers();
    const challenge = await v1Challenge('only-v1', 777, 2_000);
    const header = await solveChallenge(challenge, { concurrency: 2 });
    equal((JSON.parse(atob(header)) as { number: number }).number, 777, 'number');
    equal(formats.join(','), 'v1,v1', 'formats asked of the factory');
    equal(terminated.size, 2, 'terminated');
  });

  it('a v2 challenge starts the v2 worker and encodes altcha\'s {challenge, solution} payload', async () => {
    const { formats, terminated } = spyOnPowWorkers();
    const raw = await createChallenge({ algorithm: 'SHA-256', cost: 1, deriveKey: sha.deriveKey, counter: 321 });
    const challenge = parseChallenge(raw);
    equal(challenge.format, 'v2', 'parsed format');
    const header = await solveChallenge(challenge, { concurrency: 2 });
    const payload = JSON.parse(atob(header)) as { challenge: { parameters: { keyPrefix: string } }; solution: { counter: number } };
    equal(payload.solution.counter, 321, 'counter');
    equal(payload.challenge.parameters.keyPrefix, raw.parameters.keyPrefix, 'keyPrefix');
    equal(formats.join(','), 'v2,v2', 'formats asked of the factory');
    equal(terminated.size, 2, 'terminated');
  });

  it('a v2 challenge sent to the v1 worker fails fast with pow_worker_failed', async () => {
    spyOnPowWorkers(() => WORKER_FILES.v1);
    const challenge = parseChallenge(await createChallenge({ algorithm: 'SHA-256', cost: 1, deriveKey: sha.deriveKey, counter: 5 }));
    const error = await rejection(solveChallenge(challenge, { concurrency: 1 }));
    ok(error instanceof InkAuthError && error.code === 'pow_worker_failed', `pow_worker_failed, got ${String(error)}`);
  });

  it('a worker out of memory restarts the search on half as many workers, which solve it', async () => {
    const { formats, live } = outOfMemoryFirst(4 + 2);
    const raw = await createChallenge({ algorithm: 'SHA-256', cost: 1, deriveKey: sha.deriveKey, counter: 77 });
    const progress: number[] = [];
    const header = await solveChallenge(parseChallenge(raw), { concurrency: 4, onProgress: (p) => progress.push(p.hashes) });
    equal((JSON.parse(atob(header)) as { solution: { counter: number } }).solution.counter, 77, 'counter');
    equal(formats.join(','), 'v2,v2,v2,v2,v2,v2,v2', 'pools of 4, 2 (both out of memory) and 1 (real)');
    equal(live(), 0, 'every worker terminated');
    ok(progress.length > 0, 'progress reported');
  });

  it('a single worker out of memory is pow_worker_failed with the engine\'s words', async () => {
    const { formats, live } = outOfMemoryFirst(1);
    const raw = await createChallenge({ algorithm: 'SHA-256', cost: 1, deriveKey: sha.deriveKey, counter: 3 });
    const error = await rejection(solveChallenge(parseChallenge(raw), { concurrency: 1 }));
    ok(error instanceof InkAuthError && error.code === 'pow_worker_failed', `pow_worker_failed, got ${String(error)}`);
    ok(error.detail.includes('Out of memory'), `detail: ${error.detail}`);
    equal(formats.length, 1, 'no restart below one worker');
    equal(live(), 0, 'terminated');
  });

  it('a worker script that cannot load (cross-origin, no CORS) is pow_worker_failed naming worker-src', async () => {
    const here = new URL(import.meta.url);
    const other = new URL('/src/pow/pow.worker.js', here);
    other.hostname = here.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    configurePowWorker({ url: other.href });
    const challenge = await v1Challenge('salt', 10, 100);
    const error = await rejection(solveChallenge(challenge, { concurrency: 1 }));
    ok(error instanceof InkAuthError && error.code === 'pow_worker_failed', `pow_worker_failed, got ${String(error)}`);
    ok(error.detail.includes('worker-src'), 'detail names the CSP directive');
  });
});
