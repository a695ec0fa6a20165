/**
 * Template typings for `<ink-auth-provider>` in Vue 3 (vue-tsc / Volar). Enable with
 * `import type {} from 'ink-auth/vue';` once, and tell the compiler the tag is a custom element:
 * `compilerOptions.isCustomElement: (tag) => tag.startsWith('ink-')`.
 *
 * Events: `@ink-auth-change="(e) => e.detail.anonId"`.
 */
import type { DefineComponent } from 'vue';
import type { InkAuthEventMap } from 'ink-auth';

/** Attributes and properties `<ink-auth-provider>` accepts in a Vue template. */
export interface InkAuthProviderVueProps {
  'app-id'?: string;
  'base-url'?: string;
  storage?: 'indexeddb' | 'memory';
  'refresh-leeway'?: number | string;
  appId?: string;
  baseUrl?: string;
  refreshLeeway?: number;
  onInkAuthChange?: (event: InkAuthEventMap['ink-auth-change']) => void;
  onInkAuthProgress?: (event: InkAuthEventMap['ink-auth-progress']) => void;
  onInkAuthError?: (event: InkAuthEventMap['ink-auth-error']) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    'ink-auth-provider': DefineComponent<InkAuthProviderVueProps>;
  }
}
