import { useState } from 'react';
import type { ReactNode } from 'react';
import type { InkAuthProvider } from 'ink-auth';
import type {} from 'ink-auth/react';
import { InkAuthContext, useInkAuthState } from './use-ink-auth.js';

/** `<ink-auth-provider>` as a React component: children read the state with `useInkAuth()`. */
export function InkAuth(props: { appId: string; baseUrl: string; children: ReactNode }) {
  // A callback ref kept in state: the hook re-subscribes when React attaches the element.
  const [element, setElement] = useState<InkAuthProvider | null>(null);
  const state = useInkAuthState(element);
  return (
    <ink-auth-provider ref={setElement} app-id={props.appId} base-url={props.baseUrl}>
      <InkAuthContext.Provider value={{ state, provider: element }}>{props.children}</InkAuthContext.Provider>
    </ink-auth-provider>
  );
}
