import { useMemo, useState } from 'react';
import { InkeepEmbeddedChat } from '@inkeep/agents-ui';
import type { InkAuthProvider } from 'ink-auth';
import type {} from 'ink-auth/react';
import { widgetTokenSource } from './widget-token-source.js';

/**
 * The hosted platform's own chat UI (`@inkeep/agents-ui`) inside `<ink-auth-provider>`. The
 * widget's `getAuthToken` setting is the provider's `getToken()` (renewed once when the widget
 * reports a refused token): with it the widget skips its own captcha and session requests and
 * sends ink-auth's token (cached, shared by tabs, renewed before expiry with the same `anon_`) as
 * Bearer on every chat, history, feedback and event call. With `getUserToken` (the site's
 * backend signing its user's JWT) the token is the signed-in user's instead.
 */
export function HostedChat(props: { appId: string; baseUrl: string; getUserToken?: () => Promise<string | null> }) {
  // A callback ref kept in state: the widget mounts once React has attached the element.
  const [provider, setProvider] = useState<InkAuthProvider | null>(null);
  const getAuthToken = useMemo(() => (provider ? widgetTokenSource(provider) : null), [provider]);
  return (
    // getUserToken (a signed-in site user) is a property: React 19 sets it before the element starts.
    <ink-auth-provider ref={setProvider} app-id={props.appId} base-url={props.baseUrl} getUserToken={props.getUserToken ?? null}>
      {getAuthToken && (
        <InkeepEmbeddedChat
          baseSettings={{
            primaryBrandColor: '#4f46e5',
            organizationDisplayName: 'ink-auth demo',
            getAuthToken,
          }}
          aiChatSettings={{ baseUrl: props.baseUrl, appId: props.appId, aiAssistantName: 'ink-auth echo' }}
        />
      )}
    </ink-auth-provider>
  );
}
