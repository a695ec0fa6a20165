import type { Challenge as AltchaV2Challenge } from 'altcha/lib';

/** Main thread → PoW worker. Worker i of N tries start, start + step, … (interleaved split). */
export type WorkerRequest =
  | { type: 'v1'; salt: string; challenge: string; start: number; step: number; end: number; chunk: number }
  | { type: 'v2'; challenge: AltchaV2Challenge; start: number; step: number; timeoutMs: number }
  | { type: 'abort' };

/** PoW worker → main thread. `progress.hashes` is the count since the previous progress message. */
export type WorkerReply =
  | { type: 'progress'; hashes: number }
  | { type: 'found-v1'; number: number }
  | { type: 'found-v2'; solution: { counter: number; derivedKey: string; time?: number } }
  | { type: 'exhausted' }
  | { type: 'error'; message: string };
