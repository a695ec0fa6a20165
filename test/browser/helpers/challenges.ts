// Hand-made ALTCHA v1 challenges for tests that drive the worker pool without a server.
import { parseChallenge } from '../../../src/pow/challenge.js';
import type { PowChallengeV1 } from '../../../src/pow/challenge.js';

/** Lowercase hex SHA-256 of `text`, from the browser's own crypto (the reference for our kernels). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A parsed v1 challenge whose answer is `number` (signature not checked: no server involved). */
export async function v1Challenge(salt: string, number: number, maxnumber: number): Promise<PowChallengeV1> {
  const parsed = parseChallenge({ algorithm: 'SHA-256', challenge: await sha256Hex(salt + number), maxnumber, salt, signature: 'sig' });
  if (parsed.format !== 'v1') throw new Error('not v1');
  return parsed;
}
