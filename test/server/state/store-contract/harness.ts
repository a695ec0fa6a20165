import assert from 'node:assert/strict';
import { PAIRING_ERRORS, type PairingReason } from '../../../../server/core/pairing-errors.js';
import { ServerError } from '../../../../server/core/errors.js';
import type { State } from '../../../../server/state/state.js';

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

/** Asserts that `caught` is the pairing failure `code`: a ServerError with that reason and its status. */
export function assertPairingProblem(caught: unknown, code: PairingReason): ServerError {
  assert.ok(caught instanceof ServerError, `expected pairing ServerError ${code}, got ${String(caught)}`);
  assert.equal(caught.reason, code);
  assert.equal(caught.code, PAIRING_ERRORS[code]);
  return caught;
}

/** Awaits a pairing failure with `reason` (and its status); returns it. */
export async function rejectsCode(promise: Promise<unknown>, code: PairingReason): Promise<ServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  return assertPairingProblem(caught, code);
}
