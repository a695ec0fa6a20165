// Dedicated module worker for ALTCHA v1 (the hosted format): one interleaved slice of the search,
// on the synchronous hash kernel only, so the file stays within its 4 KB gzip budget.
// v2 challenges go to pow-v2.worker.ts, which carries altcha's key derivations.
import { createV1Search } from './kernel/index.js';
import type { WorkerRequest } from './messages.js';
import { scope, serveSearches, yieldToEventLoop } from './worker-scope.js';

let aborted = false;

async function searchV1(request: Exclude<WorkerRequest, { type: 'abort' }>): Promise<void> {
  if (request.type !== 'v1') throw new Error(`this worker solves v1 challenges, not ${request.type}`);
  const search = createV1Search(request.salt, request.challenge);
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
