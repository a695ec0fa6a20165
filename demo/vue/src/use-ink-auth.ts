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

/** Concatenates the `delta` texts of the chat endpoint's event stream. */
export async function readReply(response: Response): Promise<string> {
  const text = await response.text();
  let reply = '';
  for (const block of text.split(/\r?\n\r?\n/)) {
    const lines = block.split(/\r?\n/);
    if (!lines.includes('event: delta')) continue;
    const data = lines.find((line) => line.startsWith('data:'));
    if (data) reply += (JSON.parse(data.slice(5)) as { text: string }).text;
  }
  return reply;
}
