import { createContext, useContext, useEffect, useState } from 'react';
import type { AuthState, InkAuthProvider } from 'ink-auth';

/** What the demo's chat components read: the provider's state and the element (for its calls). */
export interface InkAuthValue {
  state: AuthState | null;
  provider: InkAuthProvider | null;
}

export const InkAuthContext = createContext<InkAuthValue>({ state: null, provider: null });

/** The auth state of the nearest `<InkAuth>`; re-renders on every `ink-auth-change`. */
export function useInkAuth(): InkAuthValue {
  return useContext(InkAuthContext);
}

/**
 * Follows an `<ink-auth-provider>` element: its current state, then every `ink-auth-change`.
 * Each change is a new state object, so React re-renders exactly when something changed.
 */
export function useInkAuthState(element: InkAuthProvider | null): AuthState | null {
  const [state, setState] = useState<AuthState | null>(null);
  useEffect(() => {
    if (!element) return;
    setState(element.authState);
    const onChange = (event: CustomEvent<AuthState>) => setState(event.detail);
    element.addEventListener('ink-auth-change', onChange);
    return () => element.removeEventListener('ink-auth-change', onChange);
  }, [element]);
  return state;
}
