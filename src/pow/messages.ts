import type { Challenge as AltchaV2Challenge } from 'altcha/lib';

/** Main thread → PoW worker. Worker i of N tries start, start + step, … (interleaved split). */
export type WorkerRequest =
  | { type: 'v1'; salt: string; challenge: string; start: number; step: number; end: number; chunk: number }
  | { type: 'v2'; challenge: AltchaV2Challenge; start: number; step: number; timeoutMs: number }
  | { type: 'abort' };

/** Which hash kernel a v1 worker runs: WebAssembly SIMD, or the JS fallback. */
export type PowKernel = 'wasm-simd' | 'js';

/**
 * PoW worker → main thread. `progress.hashes` is the count since the previous progress message;
 * a v1 worker sends `kernel` once, before its first progress.
 */
export type WorkerReply =
  | { type: 'kernel'; kernel: PowKernel }
  | { type: 'progress'; hashes: number }
  | { type: 'found-v1'; number: number }
  | { type: 'found-v2'; solution: { counter: number; derivedKey: string; time?: number } }
  | { type: 'exhausted' }
  | { type: 'error'; message: string };
