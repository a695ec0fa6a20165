/**
 * React components for ink-auth's elements, made with `@lit/react`, for React 18 (which neither
 * sets properties nor listens to custom events on custom elements) and React 19 alike.
 * Importing this module registers both elements.
 *
 * @example
 * import { InkAuthProvider } from 'ink-auth/react';
 * <InkAuthProvider appId="app_…" baseUrl={api} onInkAuthChange={(e) => setAnonId(e.detail.anonId)}>
 *   <Chat />
 * </InkAuthProvider>
 */
import * as React from 'react';
import { createComponent } from '@lit/react';
import type { EventName } from '@lit/react';
import { InkAuthProvider as InkAuthProviderElement } from '../index.js';
import type { InkAuthEventMap } from '../events.js';
import { InkPairingCodeForm as InkPairingCodeFormElement } from '../pairing/code-form.js';
import type { InkPairingCodeFormEventMap } from '../pairing/code-form.js';

/** `<ink-auth-provider>`: every property as a prop, events as `onInkAuthChange`, `onInkAuthProgress`, `onInkAuthError`. */
export const InkAuthProvider = createComponent({
  react: React,
  tagName: 'ink-auth-provider',
  elementClass: InkAuthProviderElement,
  events: {
    onInkAuthChange: 'ink-auth-change' as EventName<InkAuthEventMap['ink-auth-change']>,
    onInkAuthProgress: 'ink-auth-progress' as EventName<InkAuthEventMap['ink-auth-progress']>,
    onInkAuthError: 'ink-auth-error' as EventName<InkAuthEventMap['ink-auth-error']>,
  },
  displayName: 'InkAuthProvider',
});

/** `<ink-pairing-code-form>`: events as `onInkPairingSubmit`, `onInkPairingNewCode`. */
export const InkPairingCodeForm = createComponent({
  react: React,
  tagName: 'ink-pairing-code-form',
  elementClass: InkPairingCodeFormElement,
  events: {
    onInkPairingSubmit: 'ink-pairing-submit' as EventName<InkPairingCodeFormEventMap['ink-pairing-submit']>,
    onInkPairingNewCode: 'ink-pairing-new-code' as EventName<InkPairingCodeFormEventMap['ink-pairing-new-code']>,
  },
  displayName: 'InkPairingCodeForm',
});
