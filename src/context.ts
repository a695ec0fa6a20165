import { createContext } from '@lit/context';
import type { AuthState } from './session/state.js';

export type { AuthState, AuthStatus, AuthProgress } from './session/state.js';

/** The value `<ink-auth-provider>` provides: the auth state plus the two calls a chat element needs. */
export interface AuthContextValue extends AuthState {
  /** Resolves with a valid token (waits while solving/requesting), rejects with an InkAuthError. */
  getToken(): Promise<string>;
  /** `fetch` that authenticates requests to the provider's base URL (see `authFetch`). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

/**
 * The auth context. Keyed with `Symbol.for('ink-auth/context')`, which every copy of the library
 * on a page shares (contexts match with `===`), so a chat element bundled with its own copy
 * still finds the provider. A fresh value object is published on every change.
 *
 * @example
 * new ContextConsumer(this, { context: authContext, subscribe: true, callback: (auth) => … });
 */
export const authContext = createContext<AuthContextValue | undefined>(Symbol.for('ink-auth/context'));
