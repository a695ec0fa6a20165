/**
 * `ink-auth/react`: the `@lit/react` components (`InkAuthProvider`, `InkPairingCodeForm`; React 18
 * and 19), plus JSX typings of the bare tags for React 19, generated from custom-elements.json
 * (`react-elements.d.ts`): `<ink-auth-provider app-id="…" onink-auth-change={(e) => …}>`.
 */
import type { CustomElements } from './react-elements.js';

export * from '../lib/react/index.js';
export type { CustomElements } from './react-elements.js';

declare module 'react' {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends CustomElements {}
  }
}
