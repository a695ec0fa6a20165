// Dedicated module worker for ALTCHA v2 challenges: altcha's own solver and key derivations
// (SHA, PBKDF2, scrypt, Argon2id). Started only for v2, so v1 pages never download it.
import { argon2id, pbkdf2, scrypt, sha, solveChallenge } from 'altcha/lib';
import type { DeriveKeyFunction } from 'altcha/lib';
import type { WorkerRequest } from './messages.js';
import { scope, serveSearches } from './worker-scope.js';

const PROGRESS_EVERY = 2_000;

let aborted = false;
let abortSolve: AbortController | null = null;

function deriveKeyFor(algorithm: string): DeriveKeyFunction {
  const upper = algorithm.toUpperCase();
  if (upper.startsWith('PBKDF2')) return pbkdf2.deriveKey;
  if (upper.startsWith('SCRYPT')) return scrypt.deriveKey;
  if (upper.startsWith('ARGON2')) return argon2id.deriveKey;
  return sha.deriveKey;
}

async function searchV2(request: Exclude<WorkerRequest, { type: 'abort' }>): Promise<void> {
  if (request.type !== 'v2') throw new Error(`this worker solves v2 challenges, not ${request.type}`);
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
  abortSolve = new AbortController();
  const solution = await solveChallenge({
    challenge: request.challenge,
    deriveKey: counting,
    counterStart: request.start,
    counterStep: request.step,
    controller: abortSolve,
    timeout: request.timeoutMs,
  });
  if (aborted) return;
  if (pending > 0) scope.postMessage({ type: 'progress', hashes: pending });
  scope.postMessage(solution ? { type: 'found-v2', solution } : { type: 'exhausted' });
}

serveSearches(searchV2, () => {
  aborted = true;
  abortSolve?.abort();
});
