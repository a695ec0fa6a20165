import assert from 'node:assert/strict';
import { PairingError, type PairingErrorCode } from '../../../server/domain/pairing-errors.js';
import type { State } from '../../../server/store/state.js';

/** A settable clock every store under test reads. */
export interface FakeClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** The stores one engine provides, all reading `clock` (the server state's, less apps and credentials). */
export type ContractStores = Pick<State, 'replay' | 'rateLimits' | 'challenges' | 'pairedKeys' | 'serviceKeys' | 'conversations'>;

/** Opens a fresh, empty set of stores on one engine; `close` releases it. */
export type OpenStores = (clock: FakeClock) => Promise<{ stores: ContractStores; close: () => Promise<void> }>;

/** Runs `body` against a fresh set of stores and always closes them. */
export async function withStores(open: OpenStores, body: (stores: ContractStores, clock: FakeClock) => Promise<void>): Promise<void> {
  const clock = fakeClock();
  const { stores, close } = await open(clock);
  try {
    await body(stores, clock);
  } finally {
    await close();
  }
}

export async function rejectsCode(promise: Promise<unknown>, code: PairingErrorCode): Promise<PairingError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof PairingError, `expected PairingError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}
