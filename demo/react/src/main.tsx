import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'ink-auth';
import { Chat } from './Chat.js';
import { InkAuth } from './InkAuth.js';
import { demoSettings } from '../../shared/settings.js';

const settings = demoSettings();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <h1>ink-auth in React 19</h1>
    <InkAuth appId={settings.appId} baseUrl={settings.baseUrl}>
      <Chat />
    </InkAuth>
  </StrictMode>,
);
