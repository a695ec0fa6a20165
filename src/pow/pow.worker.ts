// Dedicated module worker: one slice of the proof-of-work search. Never runs on the main thread.
import { argon2id, pbkdf2, scrypt, sha, solveChallenge } from 'altcha/lib';
import type { DeriveKeyFunction } from 'altcha/lib';
import { createV1Search } from './kernel/index.js';
import type { WorkerReply, WorkerRequest } from './messages.js';

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;
const PROGRESS_EVERY = 2_000;

let aborted = false;
let abortV2: AbortController | null = null;

// A MessageChannel round-trip yields to the event loop (so `abort` can arrive) without the
// 4 ms clamp that nested setTimeout(0) gets.
const yieldChannel = new MessageChannel();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    yieldChannel.port1.onmessage = () => resolve();
    yieldChannel.port2.postMessage(null);
  });
}

async function searchV1(request: Extract<WorkerRequest, { type: 'v1' }>): Promise<void> {
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

function deriveKeyFor(algorithm: string): DeriveKeyFunction {
  const upper = algorithm.toUpperCase();
  if (upper.startsWith('PBKDF2')) return pbkdf2.deriveKey;
  if (upper.startsWith('SCRYPT')) return scrypt.deriveKey;
  if (upper.startsWith('ARGON2')) return argon2id.deriveKey;
  return sha.deriveKey;
}

async function searchV2(request: Extract<WorkerRequest, { type: 'v2' }>): Promise<void> {
  const inner = deriveKeyFor(request.challenge.parameters.algorithm);
  let pending = 0;
  // Counting calls to the key derivation is the only progress signal altcha's solver gives.
  const counting: DeriveKeyFunction = (parameters, salt, password) => {
    if (++pending >= PROGRESS_EVERY) {
      scope.postMessage({ type: 'progress', hashes: pending });
      pending = 0;
    }
    return inner(parameters, salt, password);
  };
  abortV2 = new AbortController();
  const solution = await solveChallenge({
    challenge: request.challenge,
    deriveKey: counting,
    counterStart: request.start,
    counterStep: request.step,
    controller: abortV2,
    timeout: request.timeoutMs,
  });
  if (aborted) return;
  if (pending > 0) scope.postMessage({ type: 'progress', hashes: pending });
  scope.postMessage(solution ? { type: 'found-v2', solution } : { type: 'exhausted' });
}

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'abort') {
    aborted = true;
    abortV2?.abort();
    return;
  }
  const run = request.type === 'v1' ? searchV1(request) : searchV2(request);
  run.catch((error: unknown) => {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
