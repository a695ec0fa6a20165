import type { InkAuthError } from '../errors.js';
import type { StorageKind } from './cache.js';

/** The ways the provider authenticates. */
export type InkAuthMode = 'anonymous' | 'pairing';

/**
 * Who the token stands for: an anonymous visitor (`anon_…` session), the site's signed-in user
 * (the JWT the site's backend signed), or a paired API key (pairing mode).
 */
export type AuthKind = 'anonymous' | 'user' | 'key';

/**
 * Where the provider is in its lifecycle. `awaiting-code` only occurs in pairing mode: a
 * challenge is open and the provider waits for the user to type the 4-digit code.
 */
export type AuthStatus = 'idle' | 'solving' | 'requesting' | 'awaiting-code' | 'ready' | 'error';

/**
 * A snapshot of the auth state. A new object is published on every change (never mutated),
 * so identity comparison (`Object.is`) detects changes.
 */
export interface AuthState {
  readonly status: AuthStatus;
  /**
   * The anonymous session JWT while `ready` (and while a background renewal runs).
   * In pairing mode: the paired API key.
   */
  readonly token: string | null;
  /** The `anon_…` identity (`sub` of the token). In pairing mode: the key id (`key_…`), or null when the server gave none. Null for a signed-in user. */
  readonly anonId: string | null;
  /** Who the token stands for. */
  readonly kind: AuthKind;
  /** The identity the server keys history by: the `anon_…` id, the signed-in user's `sub`, or the key id. Null until ready. */
  readonly identity: string | null;
  readonly appId: string;
  readonly baseUrl: string;
  /** When the token expires; in pairing mode null for a key without expiry. */
  readonly expiresAt: Date | null;
  /** The last error while `status === 'error'`. */
  readonly error: InkAuthError | null;
  /** Where the session is cached now: `custom` in the site's own storage; `memory` when asked for, or when the storage failed. */
  readonly storage: StorageKind;
  /** True once the storage (IndexedDB or the site's own) failed and the cache fell back to memory (said once, kept). */
  readonly storageFallback: boolean;
}

/** Progress of a proof-of-work solve, published while `status === 'solving'`. */
export interface AuthProgress {
  readonly phase: 'solving' | 'solved';
  /** Share of the search space tried so far (0…1), `null` when the challenge hides its size. */
  readonly fraction: number | null;
  /** Hashes tried so far across all workers. */
  readonly hashes: number;
  /**
   * The hash kernel of the workers: `wasm-simd`, or `js` when WebAssembly SIMD is missing or
   * refused (a worker CSP without `'wasm-unsafe-eval'`). `null` until a worker has reported.
   */
  readonly kernel: 'wasm-simd' | 'js' | null;
}

/** The state before anything happened. */
export function initialState(appId: string, baseUrl: string, storage: StorageKind, kind: AuthKind = 'anonymous'): AuthState {
  return { status: 'idle', token: null, anonId: null, kind, identity: null, appId, baseUrl, expiresAt: null, error: null, storage, storageFallback: false };
}
