/** Why a proof-of-work solution was refused. */
export type SolutionFailure = 'missing' | 'malformed' | 'invalid' | 'expired' | 'replayed';

/** Outcome of checking a solution's cryptography (before the replay guard). */
export type SolutionCheck =
  | { ok: true; replayKey: string; expiresAtMs: number }
  | { ok: false; reason: Exclude<SolutionFailure, 'missing' | 'replayed'> };
