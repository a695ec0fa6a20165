/**
 * JSX typings for `<ink-auth-provider>` in React 19 (which sets properties and listens to custom
 * events on custom elements). Enable with `import type {} from 'ink-auth/react';` or
 * `/// <reference types="ink-auth/react" />` once in your app.
 *
 * Events use React 19's custom-element form: `onink-auth-change={(e) => e.detail.anonId}`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { InkAuthEventMap, InkAuthProvider } from 'ink-auth';

type Listener<K extends keyof InkAuthEventMap> = (event: InkAuthEventMap[K]) => void;

/** Attributes, properties and event props `<ink-auth-provider>` accepts in JSX. */
export interface InkAuthProviderJsxProps
  extends DetailedHTMLProps<HTMLAttributes<InkAuthProvider>, InkAuthProvider> {
  'app-id'?: string;
  'base-url'?: string;
  storage?: 'indexeddb' | 'memory';
  'refresh-leeway'?: number | string;
  appId?: string;
  baseUrl?: string;
  refreshLeeway?: number;
  'onink-auth-change'?: Listener<'ink-auth-change'>;
  'onink-auth-progress'?: Listener<'ink-auth-progress'>;
  'onink-auth-error'?: Listener<'ink-auth-error'>;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ink-auth-provider': InkAuthProviderJsxProps;
    }
  }
}
