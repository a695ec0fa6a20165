import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'ink-auth';
import { HostedChat } from './HostedChat.js';
import { demoSettings } from '../../shared/settings.js';

const settings = demoSettings();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>The hosted chat widget, signed in by ink-auth</h1>
    <HostedChat appId={settings.appId} baseUrl={settings.baseUrl} />
  </StrictMode>,
);
