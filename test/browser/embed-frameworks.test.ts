// The React 19 and Vue 3 demos (demo/react, demo/vue), as built by `npm run build:demos` with
// Vite from the package itself: each authenticates against a reference server on another
// origin and sends one chat message through authFetch.
import { assert, openFixture, waitFor } from './embed-helpers.js';
import type { OpenFixture } from './embed-helpers.js';
import { startServer, stopServer } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

let server: TestServer;
let fixture: OpenFixture | null = null;

beforeEach(async () => {
  server = await startServer({ pow: 'v1', difficulty: 5000 });
});

afterEach(async () => {
  fixture?.close();
  fixture = null;
  await stopServer(server.id);
});

async function openDemo(name: 'react' | 'vue'): Promise<OpenFixture> {
  const page = `/demo/${name}/dist/index.html`;
  const built = await fetch(page);
  assert(built.ok, `${page} is missing (HTTP ${built.status}): run npm run build:demos first`);
  return openFixture(page, { base: server.url, app: server.appId });
}

function text(page: OpenFixture, testId: string): string {
  return page.frame.contentDocument?.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? '';
}

async function authenticatesAndChats(page: OpenFixture): Promise<void> {
  const doc = () => page.frame.contentDocument!;
  const anonId = await waitFor(() => (text(page, 'anon-id').startsWith('anon_') ? text(page, 'anon-id') : undefined), 'an anon_ id', page);
  assert(text(page, 'status') === 'ready', `status ${text(page, 'status')}`);
  const provider = doc().querySelector('ink-auth-provider');
  assert(provider !== null && provider.parentElement !== null, 'the app did not render <ink-auth-provider>');
  assert(provider.getAttribute('app-id') === server.appId, `app-id attribute ${provider.getAttribute('app-id')}`);

  const input = doc().querySelector('input')!;
  const button = doc().querySelector<HTMLButtonElement>('button[type="submit"]')!;
  await waitFor(() => (button.disabled ? undefined : true), 'the send button', page);
  input.value = 'hello from the test';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  button.click();
  const reply = await waitFor(() => text(page, 'reply') || undefined, 'a chat reply', page);
  assert(reply.includes(anonId), `the reply does not name the caller ${anonId}: ${reply}`);
  assert(reply.includes('hello from the test'), `the reply does not quote the message: ${reply}`);
}

describe('framework demos', () => {
  it('React 19 (demo/react) authenticates and chats', async () => {
    fixture = await openDemo('react');
    await authenticatesAndChats(fixture);
  });

  it('Vue 3 (demo/vue) authenticates and chats', async () => {
    fixture = await openDemo('vue');
    await authenticatesAndChats(fixture);
  });
});
