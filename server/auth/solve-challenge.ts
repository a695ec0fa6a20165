/**
 * Command-line helper for the curl walk-through of docs/server.md: fetches a challenge,
 * solves it with altcha-lib's own solver (v1 or v2, by the challenge's shape)
 * and prints the `x-inkeep-challenge-solution` header value.
 *
 *   npx tsx server/auth/solve-challenge.ts http://127.0.0.1:3030
 */
import { solveChallenge as solveV1 } from 'altcha-lib/v1';
import { solveChallenge as solveV2, type Challenge as V2Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';

interface V1Challenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

/** Solves a challenge as served by `GET /run/auth/pow/challenge`; returns the base64 header value. */
export async function solveServedChallenge(served: V1Challenge | V2Challenge): Promise<string> {
  let payload: unknown;
  if ('parameters' in served) {
    const solution = await solveV2({ challenge: served, deriveKey });
    if (!solution) throw new Error('no solution found for the v2 challenge');
    payload = { challenge: { parameters: served.parameters, signature: served.signature }, solution };
  } else {
    const solution = await solveV1(served.challenge, served.salt, served.algorithm, served.maxnumber).promise;
    if (!solution) throw new Error('no solution found for the v1 challenge');
    const { algorithm, challenge, salt, signature } = served;
    payload = { algorithm, challenge, number: solution.number, salt, signature, took: solution.took };
  }
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

async function main(): Promise<void> {
  const base = (process.argv[2] ?? 'http://127.0.0.1:3030').replace(/\/+$/, '');
  const res = await fetch(`${base}/run/auth/pow/challenge`);
  if (res.status === 404) {
    console.error('Proof of work is off on this server: request a session without a solution header.');
    process.exit(2);
  }
  if (!res.ok) throw new Error(`challenge request failed with HTTP ${res.status}`);
  console.log(await solveServedChallenge((await res.json()) as V1Challenge | V2Challenge));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`solve-challenge: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
