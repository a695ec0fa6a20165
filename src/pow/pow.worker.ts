// Dedicated module worker for ALTCHA v1 (the hosted format): one interleaved slice of the search.
// It hashes on the WebAssembly SIMD kernel, whose bytes travel inside this file, and falls back
// to the synchronous JS kernel when WebAssembly SIMD is missing or refused (a CSP without
// 'wasm-unsafe-eval'); it says which in a `kernel` reply before its first progress.
// v2 challenges go to pow-v2.worker.ts, which carries altcha's key derivations.
import { createV1Search } from './kernel/index.js';
import type { WorkerRequest } from './messages.js';
import { loadV1SimdKernel } from './wasm/load-v1-simd.js';
import { createV1SimdSearch } from './wasm/v1-simd-search.js';
import { scope, serveSearches, yieldToEventLoop } from './worker-scope.js';

let aborted = false;
// Compiled as the worker starts, so a worker started before its challenge arrives is ready.
const simdKernel = loadV1SimdKernel();

async function searchV1(request: Exclude<WorkerRequest, { type: 'abort' }>): Promise<void> {
  if (request.type !== 'v1') throw new Error(`this worker solves v1 challenges, not ${request.type}`);
  const kernel = await simdKernel;
  const search = kernel ? createV1SimdSearch(kernel, request.salt, request.challenge) : createV1Search(request.salt, request.challenge);
  scope.postMessage({ type: 'kernel', kernel: kernel ? 'wasm-simd' : 'js' });
  const span = request.chunk * request.step;
  for (let from = request.start; from < request.end; from += span) {
    if (aborted) return;
    const to = Math.min(request.end, from + span);
    const found = search(from, to, request.step);
    if (found >= 0) {
      scope.postMessage({ type: 'found-v1', number: found });
      return;
    }
    scope.postMessage({ type: 'progress', hashes: Math.ceil((to - from) / request.step) });
    await yieldToEventLoop();
  }
  scope.postMessage({ type: 'exhausted' });
}

serveSearches(searchV1, () => {
  aborted = true;
});
