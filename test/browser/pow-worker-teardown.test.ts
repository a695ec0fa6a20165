// Workers terminated while they are still starting (a pool ended by a 404, by another tab's
// session or by a solve that finished on another slice) must never take the page down.
// WebKitGTK 2.50 can abort its whole web process ("WebProcess CRASHED", a release assert in JSC's
// VMTraps::deferTerminationSlow on a worker thread) when workers whose kernel was compiled with
// the async WebAssembly API are terminated; the v1 worker now compiles synchronously. Before that
// change this file crashed WebKit in about a quarter of its runs, and tabs.test.ts in 7 of 16;
// after it, 0 of 16. A crash fails the run ("the browser disconnected"), so these can fail.
// The v2 pools (altcha's PBKDF2, scrypt and Argon2id) are driven the same way.
import { solveChallenge } from '../../src/pow/solve.js';
import { parseChallenge } from '../../src/pow/challenge.js';
import { createPowWorker } from '../../src/pow/worker-factory.js';
import type { WorkerReply } from '../../src/pow/messages.js';
import { argon2id, createChallenge, pbkdf2, scrypt } from 'altcha/lib';
import { equal, eventually, ok, server } from './helpers/harness.js';
import { openTab, providerIn } from './helpers/tabs.js';
import { v1Challenge } from './helpers/challenges.js';

/**
 * The full counts run in WebKit, the engine with the crash; the others run a fifth of them
 * (their workers start slower: the full counts took 35 s in Firefox) for the same checks.
 */
const isWebKit = /AppleWebKit/.test(navigator.userAgent) && !/Chrome|Chromium/.test(navigator.userAgent);
const scale = (full: number) => (isWebKit ? full : Math.ceil(full / 5));
const SOLVES = scale(150);
const ROUNDS = scale(50);
const TAB_ROUNDS = scale(15);
const KDF_SOLVES = scale(12);
const TABS = 3;
const WORKERS_PER_POOL = 4;
/** Rounds per sweep of the termination delay over the start window. */
const SWEEP = 25;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An empty range: the worker reports its kernel, then that the range is exhausted. */
const EMPTY_SEARCH = { type: 'v1', salt: 's', challenge: '0'.repeat(64), start: 0, end: 0, step: 1, chunk: 1 } as const;

/** Asks a fresh worker for an empty search and resolves with the kernel it reports; ends the worker. */
function kernelOf(worker: Worker, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => (worker.terminate(), reject(new Error(`${what}: no kernel reply within 15 s`))), 15_000);
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      if (event.data.type !== 'kernel') return;
      clearTimeout(timer);
      worker.terminate();
      resolve(event.data.kernel);
    });
    worker.postMessage(EMPTY_SEARCH);
  });
}

describe('PoW workers terminated while starting', () => {
  it(`${SOLVES} solves that one slice ends at once: the pool's other workers are terminated mid-start, the page lives on`, async function () {
    this.timeout(120_000);
    const salt = 'teardown?expires=9999999999&';
    for (let i = 0; i < SOLVES; i++) {
      const number = i % 3; // found by the first slice in its first chunk, while the others start
      const challenge = await v1Challenge(salt, number, 100_000);
      const payload = JSON.parse(atob(await solveChallenge(challenge, { concurrency: WORKERS_PER_POOL }))) as { number: number };
      equal(payload.number, number, `solve ${i}`);
    }
  });

  it(`${TAB_ROUNDS} rounds of ${TABS} tabs whose providers start workers and meet a 404 (PoW off), then close`, async function () {
    this.timeout(120_000);
    const s = await server({ pow: 'off' });
    for (let round = 0; round < TAB_ROUNDS; round++) {
      const frames = Array.from({ length: TABS }, () => openTab(s, { storage: 'memory' }));
      await eventually(() => frames.every((f) => providerIn(f)?.status === 'ready'), `round ${round}: tabs ready`, 20_000);
      for (const frame of frames) frame.remove();
    }
    equal(await kernelOf(createPowWorker('v1'), 'after the tabs'), 'wasm-simd', 'the kernel of a worker started after the tabs closed');
  });

  it(`${ROUNDS} rounds of ${WORKERS_PER_POOL} v1 workers terminated during their start leave a page whose workers still compile`, async function () {
    this.timeout(90_000);
    // How long a worker takes here from creation to its compiled kernel: the window to hit.
    const started = performance.now();
    equal(await kernelOf(createPowWorker('v1'), 'before the rounds'), 'wasm-simd', 'the kernel of a worker');
    const startMs = Math.max(4, Math.ceil(performance.now() - started));
    for (let round = 0; round < ROUNDS; round++) {
      const workers = Array.from({ length: WORKERS_PER_POOL }, () => {
        const worker = createPowWorker('v1');
        worker.postMessage(EMPTY_SEARCH);
        return worker;
      });
      // Sweep the termination across the start: script load, kernel compile, first reply.
      await pause(Math.round((startMs * 1.5 * (round % SWEEP)) / SWEEP));
      for (const worker of workers) worker.terminate();
    }
    equal(await kernelOf(createPowWorker('v1'), 'after the rounds'), 'wasm-simd', 'the kernel of a worker started after the terminations');
  });

  // v2 workers run altcha's key derivations. Argon2id and scrypt (hash-wasm) instantiate
  // WebAssembly with the async API on every derivation: pools end them in the middle of one.
  for (const kdf of [
    { algorithm: 'PBKDF2/SHA-256', deriveKey: pbkdf2.deriveKey, cost: 10 },
    { algorithm: 'ARGON2ID', deriveKey: argon2id.deriveKey, cost: 1, memoryCost: 64, parallelism: 1 },
    { algorithm: 'SCRYPT', deriveKey: scrypt.deriveKey, cost: 16, memoryCost: 1, parallelism: 1 },
  ]) {
    it(`${KDF_SOLVES} v2 ${kdf.algorithm} solves on pools of ${WORKERS_PER_POOL}: each finds its counter, the page lives on`, async function () {
      this.timeout(120_000);
      for (let i = 0; i < KDF_SOLVES; i++) {
        const counter = (i * 7) % 23;
        const raw = await createChallenge({ ...kdf, counter });
        const parsed = parseChallenge(raw);
        ok(parsed.format === 'v2', 'a v2 challenge');
        const payload = JSON.parse(atob(await solveChallenge(parsed, { concurrency: WORKERS_PER_POOL }))) as { solution: { counter: number } };
        equal(payload.solution.counter, counter, `${kdf.algorithm} solve ${i}`);
      }
    });
  }
});
