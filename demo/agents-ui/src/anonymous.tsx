import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { InkeepEmbeddedChat } from '@inkeep/agents-ui';
import { demoSettings } from '../../shared/settings.js';

// The hosted widget alone, unchanged: no ink-auth and no getAuthToken, so it runs its own
// anonymous flow against the reference server (its ALTCHA v2 challenge from
// GET /run/auth/challenge?appId=, the {payload} solution envelope, then anonymous-session).
const settings = demoSettings();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>The hosted chat widget, with its own anonymous sessions</h1>
    <InkeepEmbeddedChat
      baseSettings={{ primaryBrandColor: '#4f46e5', organizationDisplayName: 'ink-auth demo' }}
      aiChatSettings={{ baseUrl: settings.baseUrl, appId: settings.appId, aiAssistantName: 'ink-auth echo' }}
    />
  </StrictMode>,
);
