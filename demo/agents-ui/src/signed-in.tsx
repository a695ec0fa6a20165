import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'ink-auth';
import { HostedChat } from './HostedChat.js';
import { demoSettings } from '../../shared/settings.js';

// The hosted widget for the site's signed-in user: the site's backend signs the user's JWT
// (`?user-token-url=`, default POST /demo/user-token on the page's origin; any URL answering
// {token}), <ink-auth-provider> serves it (getUserToken) and the widget's own auth setting,
// getAuthToken, takes it from the provider. History is the user's, on any device.
const settings = demoSettings();
const tokenUrl = new URLSearchParams(location.search).get('user-token-url') ?? '/demo/user-token';

async function getUserToken(): Promise<string | null> {
  const response = await fetch(tokenUrl, { method: tokenUrl.startsWith('blob:') ? 'GET' : 'POST', cache: 'no-store' });
  if (!response.ok) return null; // not signed in
  return ((await response.json()) as { token?: string }).token ?? null;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>The hosted chat widget, for the site's signed-in user</h1>
    <HostedChat appId={settings.appId} baseUrl={settings.baseUrl} getUserToken={getUserToken} />
  </StrictMode>,
);
