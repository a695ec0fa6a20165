import type { InkAuthProvider } from 'ink-auth';

/**
 * The widget's `getAuthToken`, fed by `<ink-auth-provider>`. The widget asks at mount, 30 s before
 * the token expires (ink-auth has renewed it a minute before, so the answer is already new) and
 * after a 401. Being asked again for the token just handed out therefore means the server refused
 * it: renew once (same `anon_` identity) and hand out the fresh one.
 */
export function widgetTokenSource(provider: InkAuthProvider): () => Promise<string> {
  let handedOut: string | null = null;
  return async () => {
    let token = await provider.getToken();
    if (token === handedOut) {
      await provider.refresh();
      token = await provider.getToken();
    }
    handedOut = token;
    return token;
  };
}
