// What both PoW workers share: the typed worker scope, the abort flag, and a cheap yield.
import type { WorkerReply, WorkerRequest } from './messages.js';

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}

/** The dedicated worker's global scope, typed for our messages. */
export const scope = self as unknown as WorkerScope;

// A MessageChannel round-trip yields to the event loop (so `abort` can arrive) without the
// 4 ms clamp that nested setTimeout(0) gets.
const yieldChannel = new MessageChannel();

/** Resolves after pending messages (e.g. `abort`) have been delivered. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

/**
 * Runs `search` for each search request and calls `onAbort` on `abort`; a thrown error becomes
 * an `error` reply so the pool fails fast instead of waiting forever.
 */
export function serveSearches(
  search: (request: Exclude<WorkerRequest, { type: 'abort' }>) => Promise<void>,
  onAbort: () => void,
): void {
  scope.addEventListener('message', (event) => {
    const request = event.data;
    if (request.type === 'abort') return onAbort();
    search(request).catch((error: unknown) => {
      scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    });
  });
}
