// The demo page's script: the site's sign-in button first (so the provider has its
// getUserToken before it starts), then the library (registers <ink-auth-provider>) and the demo
// chat element.
import type { InkAuthProvider } from '../src/ink-auth-provider.js';
import { connectSignIn } from './sign-in.js';

const provider = document.querySelector<InkAuthProvider>('ink-auth-provider');
const button = document.querySelector<HTMLButtonElement>('#sign-in');
const note = document.querySelector<HTMLElement>('#sign-in-note');
// Set before the element is defined: Lit takes properties set on the element before its upgrade.
if (provider && button && note) connectSignIn(provider, button, note);
await import('../src/index.js');
await import('./ink-demo-chat.js');
