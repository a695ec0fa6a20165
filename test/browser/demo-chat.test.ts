// The demo chat element (demo/ink-demo-chat.ts) as a visitor uses it: it chats through the AI
// SDK's own client with the provider's token, finds its history again after a reload (same anon_
// from the cache), starts empty as a new identity, and survives a 401 mid-conversation.
import '../../src/index.js';
import '../../demo/ink-demo-chat.js';
import type { InkAuthProvider } from '../../src/index.js';
import type { InkDemoChat } from '../../demo/ink-demo-chat.js';
import { faulty } from './helpers/faults.js';
import { equal, eventually, ok, onCleanup, server, settled } from './helpers/harness.js';

/** `<ink-auth-provider>` around `<ink-demo-chat>`, as on the demo page; removed after the test. */
function mountDemo(baseUrl: string, appId: string, storage = 'indexeddb'): { provider: InkAuthProvider; chat: InkDemoChat } {
  const provider = document.createElement('ink-auth-provider');
  provider.setAttribute('app-id', appId);
  provider.setAttribute('base-url', baseUrl);
  provider.setAttribute('storage', storage);
  const chat = document.createElement('ink-demo-chat');
  provider.append(chat);
  document.body.append(provider);
  onCleanup(() => provider.remove());
  return { provider, chat };
}

const part = (chat: InkDemoChat, selector: string): Element | null => chat.shadowRoot!.querySelector(selector);
const texts = (chat: InkDemoChat, selector: string): string[] => [...chat.shadowRoot!.querySelectorAll(selector)].map((el) => el.textContent?.trim() ?? '');

async function say(chat: InkDemoChat, text: string): Promise<string> {
  await eventually(() => !(part(chat, 'input') as HTMLInputElement | null)?.disabled && !chat.sending, 'the chat input');
  const before = texts(chat, '.log .assistant').length;
  (part(chat, 'input') as HTMLInputElement).value = text;
  (part(chat, 'form') as HTMLFormElement).requestSubmit();
  await eventually(() => !chat.sending && texts(chat, '.log .assistant').length > before, `a reply to "${text}" (error: ${chat.chatError})`);
  ok(chat.chatError === null, `no chat error: ${chat.chatError}`);
  return texts(chat, '.log .assistant').at(-1) ?? '';
}

describe('demo chat (AI SDK client + ink-auth)', () => {
  it("streams a reply through the AI SDK client with the provider's token", async () => {
    const s = await server({ pow: 'v1' });
    const { provider, chat } = mountDemo(s.url, s.appId, 'memory');
    equal((await settled(provider)).status, 'ready', 'provider');
    const reply = await say(chat, 'Hello, demo');
    ok(reply.includes(provider.anonId!), `the reply names our anon_ id: ${reply}`);
    ok(reply.includes('You said: "Hello, demo"') && reply.endsWith('holds 2 messages.'), reply);
  });

  it('the history survives a reload (same anon_ from the cache); a new identity starts empty', async () => {
    const s = await server({ pow: 'v1' });
    const first = mountDemo(s.url, s.appId);
    await settled(first.provider);
    const anonId = first.provider.anonId;
    await say(first.chat, 'remember me');
    await say(first.chat, 'and this');
    first.provider.remove();

    // A reload: a new provider and chat element over the same IndexedDB cache.
    const second = mountDemo(s.url, s.appId);
    await settled(second.provider);
    equal(second.provider.anonId, anonId, 'same identity from the cache');
    await eventually(() => texts(second.chat, '.log .user').join('|') === 'remember me|and this', 'the conversation shown again');
    equal(texts(second.chat, '[data-testid=conversations] li').join('|'), 'remember me', 'past conversations');
    ok(texts(second.chat, '.log .assistant').at(-1)!.endsWith('holds 4 messages.'), 'the stored replies');
    const reply = await say(second.chat, 'back again');
    ok(reply.endsWith('holds 6 messages.'), `the conversation continues: ${reply}`);

    (part(second.chat, 'button.secondary:not(.small)') as HTMLButtonElement).click();
    await eventually(() => second.provider.status === 'ready' && second.provider.anonId !== anonId, 'a new identity');
    await eventually(() => texts(second.chat, '.hint').join('') === 'No conversations yet.', 'an empty history');
    equal(texts(second.chat, '.log li').length, 0, 'no messages');
    await second.provider.reset();
  });

  it('a 401 mid-conversation renews the session once and the conversation continues', async () => {
    const s = await faulty({ pow: 'v1' });
    const { provider, chat } = mountDemo(s.url, s.appId, 'memory');
    await settled(provider);
    const anonId = provider.anonId;
    await say(chat, 'first');
    await s.inject('chat', { kind: 'status', status: 401 });
    const reply = await say(chat, 'second');
    ok(reply.includes('You said: "second"') && reply.endsWith('holds 4 messages.'), `same conversation: ${reply}`);
    equal(provider.anonId, anonId, 'same identity after the renewal');
    const chats = await s.calls('chat');
    equal(chats.map((c) => c.status).join(','), '200,401,200', 'chat requests');
    equal((await s.calls('session')).length, 2, 'session requests (first + exactly one renewal)');
  });
});
