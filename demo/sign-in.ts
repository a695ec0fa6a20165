// The demo site's sign-in, as a site would wire it: its backend signs a JWT for the signed-in
// user (POST /demo/user-token, scripts/demo-sign-in.ts) and the provider asks for it through
// `getUserToken`. "Signed in" is the site's own state (here localStorage, a real site's cookie):
// the callback answers null when nobody is, and the provider falls back to an anonymous session.
// `claim-anonymous` on the provider moves the visitor's anonymous history to the user.

import type { InkAuthProvider } from '../src/ink-auth-provider.js';

type Provider = Pick<InkAuthProvider, 'getUserToken' | 'refresh'>;

const SIGNED_IN = 'ink-auth-demo:signed-in';

async function fetchUserToken(): Promise<string> {
  const response = await fetch('/demo/user-token', { method: 'POST' });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.token;
}

/** Wires the page's sign-in button to the provider. */
export function connectSignIn(provider: Provider, button: HTMLButtonElement, note: HTMLElement): void {
  const signedIn = () => localStorage.getItem(SIGNED_IN) === '1';
  const show = () => {
    button.textContent = signedIn() ? 'Sign out' : 'Sign in as demo user';
  };
  provider.getUserToken = () => (signedIn() ? fetchUserToken() : Promise.resolve(null));
  show();
  button.addEventListener('click', () => {
    if (signedIn()) localStorage.removeItem(SIGNED_IN);
    else localStorage.setItem(SIGNED_IN, '1');
    show();
    note.textContent = '';
    // refresh() asks getUserToken again: a token → the user's session, null → anonymous.
    provider.refresh().catch((error: unknown) => {
      note.textContent = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
      localStorage.removeItem(SIGNED_IN);
      show();
    });
  });
}
