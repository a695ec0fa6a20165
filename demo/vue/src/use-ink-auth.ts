import { shallowRef } from 'vue';
import type { ShallowRef } from 'vue';
import type { AuthState, InkAuthProvider } from 'ink-auth';

/** The state of an `<ink-auth-provider>`, fed by its `ink-auth-change` events. */
export interface InkAuthBinding {
  state: ShallowRef<AuthState | null>;
  provider: ShallowRef<InkAuthProvider | null>;
  /** Bind to `@ink-auth-change` on the element. */
  onChange(event: CustomEvent<AuthState>): void;
}

export function useInkAuth(): InkAuthBinding {
  const state = shallowRef<AuthState | null>(null);
  const provider = shallowRef<InkAuthProvider | null>(null);
  return {
    state,
    provider,
    onChange(event) {
      // Each change is a new immutable state object: a shallow ref is enough.
      state.value = event.detail;
      provider.value = event.currentTarget as InkAuthProvider;
    },
  };
}
