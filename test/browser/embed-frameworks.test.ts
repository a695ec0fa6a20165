// The React 19 and Vue 3 demos (demo/react, demo/vue) and the hosted platform's own widget
// (demo/agents-ui), as built by `npm run build:demos` with Vite from the package itself: each
// authenticates against a reference server on another origin and chats with ink-auth's token.
import { assert, openFixture, waitFor } from './embed-helpers.js';
import type { OpenFixture } from './embed-helpers.js';
import { serverRequests, startServer, stopServer } from './helpers/server.js';
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

async function openDemo(name: 'react' | 'vue' | 'agents-ui'): Promise<OpenFixture> {
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

  it("the hosted platform's widget (@inkeep/agents-ui, demo/agents-ui) chats with the token from <ink-auth-provider>", async () => {
    const page = await openDemo('agents-ui');
    fixture = page;
    const doc = () => page.frame.contentDocument!;
    // The widget renders into its own shadow root; its autosize helper adds a hidden textarea.
    const inWidget = <T extends Element>(selector: string): T | undefined => {
      const search = (root: Document | ShadowRoot): T | undefined =>
        root.querySelector<T>(selector) ?? [...root.querySelectorAll('*')].map((el) => (el.shadowRoot ? search(el.shadowRoot) : undefined)).find(Boolean);
      return search(doc());
    };
    const input = await waitFor(() => inWidget<HTMLTextAreaElement>('textarea:not([aria-hidden])'), "the widget's input", page);
    const provider = doc().querySelector('ink-auth-provider') as (HTMLElement & { anonId: string | null }) | null;
    const anonId = await waitFor(() => provider?.anonId ?? undefined, 'an anon_ id', page);
    const frameWindow = page.frame.contentWindow as unknown as typeof globalThis;
    Object.getOwnPropertyDescriptor(frameWindow.HTMLTextAreaElement.prototype, 'value')!.set!.call(input, 'hello from the hosted widget');
    input.dispatchEvent(new frameWindow.Event('input', { bubbles: true }));
    const send = await waitFor(() => {
      const button = inWidget<HTMLButtonElement>('button[aria-label="Send message"]');
      return button && !button.disabled ? button : undefined;
    }, 'the send button', page);
    send.click();
    const rendered = () => {
      const texts: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        texts.push(root.textContent ?? '');
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(doc());
      return texts.join(' ');
    };
    await waitFor(() => (rendered().includes('You said: "hello from the hosted widget"') ? true : undefined), "the echo in the widget", page);
    assert(rendered().includes(anonId), `the reply names ink-auth's identity ${anonId}`);
    const calls = (await serverRequests(server.id)).filter((r) => r.method === 'POST');
    const sessions = calls.filter((r) => r.path.endsWith('/anonymous-session'));
    assert(sessions.length === 1, `one session, ink-auth's (the widget asked for none): ${JSON.stringify(calls)}`);
    assert(calls.some((r) => r.path === '/run/api/chat' && r.status === 200), `the widget chatted: ${JSON.stringify(calls)}`);
  });
});
