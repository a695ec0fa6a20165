// <ink-auth-provider mode="pairing"> against a real reference server: the code form appears,
// typing and pasting the code (read through the server's onPairingCode) reach `ready`, a wrong
// code keeps the form usable, a reload uses the cached key, a 401 and reset() bring the form
// back, an unreachable server gives `error` with a retry action.
import { sendKeys } from '@web/test-runner-commands';
import { createStore, del, get } from 'idb-keyval';
import '../../src/index.js';
import { InkAuthError, authFetch } from '../../src/index.js';
import type { InkAuthProvider, InkAuthStorage } from '../../src/index.js';
import type { AuthState, AuthStatus } from '../../src/context.js';
import type { InkPairingCodeForm } from '../../src/pairing/code-form.js';
import { revokePairedKey } from '../../src/pairing/api.js';
import { pairedKeyCacheKey } from '../../src/pairing/key-cache.js';
import { DEFAULT_PAIRING_TEXTS } from '../../src/pairing/pairing-texts.js';
import { DEFAULT_DB_NAME, DEFAULT_STORE_NAME } from '../../src/session/cache.js';
import { PairingRequestError } from '../../src/pairing/pairing-error.js';
import { clearServerRequests, serverPairingCodes, serverRequests, startServer, stopServer } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';
import { equal, ok, onCleanup } from './helpers/harness.js';

async function server(): Promise<TestServer> {
  const s = await startServer({ pow: 'off' });
  onCleanup(() => stopServer(s.id));
  // A later test's server may get the same port: leave no cached key behind.
  onCleanup(() => del(pairedKeyCacheKey(s.url, s.appId), createStore(DEFAULT_DB_NAME, DEFAULT_STORE_NAME)));
  return s;
}

function mount(s: TestServer, attrs: Record<string, string> = {}, setup: (el: InkAuthProvider) => void = () => {}): InkAuthProvider {
  const el = document.createElement('ink-auth-provider');
  const all = { mode: 'pairing', 'app-name': 'My Chat', 'app-id': s.appId, 'base-url': s.url, ...attrs };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, value);
  setup(el);
  document.body.append(el);
  onCleanup(() => el.remove());
  return el;
}

function statusOf(el: InkAuthProvider, wanted: AuthStatus, timeoutMs = 15_000): Promise<AuthState> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (el.status !== wanted) return;
      el.removeEventListener('ink-auth-change', check);
      clearTimeout(timer);
      resolve(el.authState);
    };
    const timer = setTimeout(() => {
      el.removeEventListener('ink-auth-change', check);
      reject(new Error(`provider stuck in ${el.status}, waiting for ${wanted}`));
    }, timeoutMs);
    el.addEventListener('ink-auth-change', check);
    check();
  });
}

/** The built-in form once it accepts input (challenge open, rendered). */
async function formOf(el: InkAuthProvider): Promise<InkPairingCodeForm> {
  await statusOf(el, 'awaiting-code');
  await el.updateComplete;
  const form = el.shadowRoot!.querySelector('ink-pairing-code-form');
  ok(form, 'the code form is rendered in the provider');
  await form.updateComplete;
  return form;
}

const inner = (form: InkPairingCodeForm, part: string) => form.shadowRoot!.querySelector<HTMLElement>(`[part~="${part}"]`)!;
const field = (form: InkPairingCodeForm) => inner(form, 'input') as HTMLInputElement;

async function onlyCode(s: TestServer, expectedChallenges = 1): Promise<string> {
  const codes = Object.values(await serverPairingCodes(s.id));
  equal(codes.length, expectedChallenges, 'challenges opened');
  return codes.at(-1)!;
}

async function apiCalls(id: string): Promise<string[]> {
  return (await serverRequests(id)).filter((r) => r.method !== 'OPTIONS').map((r) => `${r.method} ${r.path} ${r.status}`);
}

function paste(form: InkPairingCodeForm, text: string): void {
  const input = field(form);
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true });
  input.dispatchEvent(event);
  if (event.defaultPrevented) return;
  // Firefox hides scripted clipboard data: perform the native insertion the browser would.
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true, composed: true }));
}

function chat(el: InkAuthProvider): Promise<Response> {
  return authFetch(`${el.baseUrl}/run/api/chat`, {
    provider: el,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // stream:false: the whole reply in one chat.completion object, so the test reads its text whole.
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: false }),
  });
}

/**
 * Types `code` with real key presses into the focused field, one press per digit: WebKit's
 * driver drops a repeated character inside one `type` sequence ("0000" arrives as "0").
 */
async function typeCode(code: string): Promise<void> {
  for (const digit of code) await sendKeys({ press: digit });
}

const otherCode = (code: string) => (code === '0000' ? '0001' : '0000');

describe('<ink-auth-provider mode="pairing">', () => {
  it('opens a challenge and shows an accessible code form, reachable through parts', async () => {
    const s = await server();
    const style = document.createElement('style');
    style.textContent = 'ink-auth-provider::part(pairing-input) { border-color: rgb(1, 2, 3); }';
    document.head.append(style);
    onCleanup(() => style.remove());
    const statuses: string[] = [];
    const el = mount(s, {}, (e) => e.addEventListener('ink-auth-change', (ev) => statuses.push(ev.detail.status)));
    const form = await formOf(el);
    equal(el.token, null, 'no token yet');
    ok(statuses.includes('requesting'), `requested a challenge first (${statuses.join()})`);
    // What the hint shows: the provider's `pairing-hint` slot (nothing slotted by the page), flattened
    // into the form's `hint` slot, is the provider's default hint text with the app-name in it.
    const hintSlot = inner(form, 'hint').querySelector('slot')!;
    const shown = hintSlot.assignedNodes({ flatten: true }).map((node) => node.textContent).join('').trim();
    equal(shown, DEFAULT_PAIRING_TEXTS.hint.replace('{app}', 'My Chat'), 'the hint shown');
    equal(inner(form, 'label').textContent?.trim(), 'Pairing code', 'labelled field');
    equal(field(form).inputMode, 'numeric', 'numeric field');
    equal(getComputedStyle(field(form)).borderTopColor, 'rgb(1, 2, 3)', 'page CSS reaches ::part(pairing-input)');
    ok(el.shadowRoot!.querySelector('slot:not([name])'), 'the chat elements slot stays');
    equal((await apiCalls(s.id)).join(), `POST /v1/auth/challenges 201`, 'one challenge, nothing else');
  });

  it('typing the right code reaches ready; the key authenticates chat through authFetch', async () => {
    const s = await server();
    const el = mount(s);
    const form = await formOf(el);
    form.focus();
    await typeCode(await onlyCode(s));
    const state = await statusOf(el, 'ready');
    ok(state.token && state.token.length >= 40, 'the API key is the token');
    ok(state.anonId?.startsWith('key_'), 'anonId is the key id');
    ok(state.expiresAt instanceof Date && state.expiresAt.getTime() > Date.now(), 'expiry of the key');
    equal(await el.getToken(), state.token, 'getToken resolves the key');
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('ink-pairing-code-form'), null, 'the form is gone');
    const res = await chat(el);
    equal(res.status, 200, 'chat accepts the paired key');
    const completion = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    const reply = completion.choices[0]?.message.content ?? '';
    ok(reply.includes(state.anonId!), `the reply names the key: ${reply}`);
  });

  it('pasting the right code reaches ready', async () => {
    const s = await server();
    const el = mount(s);
    const form = await formOf(el);
    const code = await onlyCode(s);
    paste(form, `Code: ${code.slice(0, 2)} ${code.slice(2)}`);
    await statusOf(el, 'ready');
  });

  it('a wrong code shows the error, keeps the form usable and the same challenge', async () => {
    const s = await server();
    const el = mount(s);
    const errors: InkAuthError[] = [];
    el.addEventListener('ink-auth-error', (e) => errors.push(e.detail.error));
    const form = await formOf(el);
    const code = await onlyCode(s);
    form.focus();
    await typeCode(otherCode(code));
    await new Promise<void>((resolve) => {
      const poll = () => (inner(form, 'error').textContent ? resolve() : setTimeout(poll, 20));
      poll();
    });
    ok(/not right/.test(inner(form, 'error').textContent!), 'wrong-code message');
    ok(/4 attempts left/.test(inner(form, 'error').textContent!), 'attempts left');
    equal(el.status, 'awaiting-code', 'still awaiting the code');
    equal(form.busy, false, 'not busy');
    equal(field(form).value, '', 'field cleared');
    equal(form.shadowRoot!.activeElement, field(form), 'focus back on the field');
    const refused = errors.at(-1);
    ok(refused instanceof PairingRequestError && refused.reason === 'code_incorrect', 'ink-auth-error with code_incorrect');
    const rejected = await el.submitPairingCode(otherCode(code)).then(() => null, (e: unknown) => e);
    ok(rejected instanceof PairingRequestError && rejected.attemptsRemaining === 3, 'submitPairingCode rejects too');
    await typeCode(code);
    await statusOf(el, 'ready');
    await onlyCode(s, 1);
  });

  it('a dead challenge is replaced by a new code automatically', async () => {
    const s = await server();
    const el = mount(s);
    const form = await formOf(el);
    const code = await onlyCode(s);
    for (let i = 0; i < 4; i++) await el.submitPairingCode(otherCode(code)).catch(() => undefined);
    form.focus();
    await typeCode(otherCode(code)); // the 5th wrong code kills the challenge
    await new Promise<void>((resolve) => {
      const poll = () => (/new code/.test(inner(form, 'error').textContent ?? '') ? resolve() : setTimeout(poll, 20));
      poll();
    });
    equal(el.status, 'awaiting-code', 'awaiting the new code');
    const fresh = await onlyCode(s, 2);
    form.focus();
    await typeCode(fresh);
    await statusOf(el, 'ready');
  });

  it('a reload uses the cached key without any request', async () => {
    const s = await server();
    const first = mount(s);
    await first.submitPairingCode(await (async () => (await formOf(first), onlyCode(s)))());
    const paired = await statusOf(first, 'ready');
    equal(paired.storage, 'indexeddb', 'cached in IndexedDB');
    first.remove();
    await clearServerRequests(s.id);
    const second = mount(s);
    const cached = await statusOf(second, 'ready');
    equal(cached.token, paired.token, 'same key');
    equal(cached.anonId, paired.anonId, 'same key id');
    await second.updateComplete;
    equal(second.shadowRoot!.querySelector('ink-pairing-code-form'), null, 'no form');
    equal((await apiCalls(s.id)).length, 0, 'no request at all');
  });

  it("with a storage of the site's own, the key is kept there, not in IndexedDB, and a reload uses it", async () => {
    const s = await server();
    const entries = new Map<string, unknown>();
    const storage: InkAuthStorage = {
      get: async (key) => entries.get(key),
      set: async (key, value) => void entries.set(key, structuredClone(value)),
      del: async (key) => void entries.delete(key),
    };
    const first = mount(s, {}, (el) => (el.storage = storage));
    await formOf(first);
    await first.submitPairingCode(await onlyCode(s));
    const paired = await statusOf(first, 'ready');
    equal(paired.storage, 'custom', 'state.storage');
    const key = pairedKeyCacheKey(s.url, s.appId);
    equal((entries.get(key) as { apiKey?: string } | undefined)?.apiKey, paired.token, 'the key is in the storage');
    equal(await get(key, createStore(DEFAULT_DB_NAME, DEFAULT_STORE_NAME)), undefined, 'nothing in IndexedDB');
    first.remove();
    await clearServerRequests(s.id);
    const second = mount(s, {}, (el) => (el.storage = storage));
    const cached = await statusOf(second, 'ready');
    equal(cached.token, paired.token, 'same key, from the storage');
    equal((await apiCalls(s.id)).length, 0, 'no request at all');
  });

  it('a 401 from the API forgets the key and returns to the form', async () => {
    const s = await server();
    const el = mount(s);
    await formOf(el);
    await el.submitPairingCode(await onlyCode(s));
    const paired = await statusOf(el, 'ready');
    await revokePairedKey({ baseUrl: s.url, appId: s.appId }, { apiKey: paired.token!, keyId: paired.anonId! });
    const res = await chat(el);
    equal(res.status, 401, 'the refused response is returned');
    const form = await formOf(el);
    ok(form, 'the form is back');
    equal(el.token, null, 'no key any more');
    await onlyCode(s, 2);
    const reloaded = mount(s);
    await statusOf(reloaded, 'awaiting-code');
    equal(reloaded.token, null, 'the cache no longer holds the key');
  });

  it('reset() forgets and revokes the key, then shows the form', async () => {
    const s = await server();
    const el = mount(s);
    await formOf(el);
    await el.submitPairingCode(await onlyCode(s));
    const paired = await statusOf(el, 'ready');
    await el.reset();
    equal(el.status, 'awaiting-code', 'awaiting a new code');
    const res = await fetch(`${s.url}/run/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${paired.token}`, 'x-inkeep-app-id': s.appId, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    equal(res.status, 401, 'the old key was revoked on the server');
  });

  it('texts and the form are replaceable', async () => {
    const s = await server();
    const el = mount(s, {}, (e) => {
      e.pairingTexts = { label: 'Code d’appairage', submit: 'Connecter' };
    });
    const form = await formOf(el);
    equal(inner(form, 'label').textContent?.trim(), 'Code d’appairage', 'label override');
    equal(inner(form, 'submit').textContent?.trim(), 'Connecter', 'submit override');

    const custom = document.createElement('ink-pairing-code-form');
    custom.slot = 'pairing-form';
    custom.labelText = 'Mon code';
    const other = mount(s, {}, (e) => e.append(custom));
    await statusOf(other, 'awaiting-code');
    await other.updateComplete;
    const slot = other.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="pairing-form"]')!;
    equal(slot.assignedElements()[0], custom, 'the slotted form replaces the built-in one');
    await custom.updateComplete;
    const codes = await serverPairingCodes(s.id);
    const code = Object.values(codes).at(-1)!;
    custom.focus();
    await typeCode(otherCode(code));
    await new Promise<void>((resolve) => {
      const poll = () => (inner(custom, 'error').textContent ? resolve() : setTimeout(poll, 20));
      poll();
    });
    ok(/not right/.test(inner(custom, 'error').textContent!), 'the slotted form shows the refusal');
    await typeCode(code);
    await statusOf(other, 'ready');
  });

  it('an unreachable server gives a network_error state with a retry action', async () => {
    const s = await server();
    await stopServer(s.id);
    const el = mount(s);
    const errors: InkAuthError[] = [];
    el.addEventListener('ink-auth-error', (e) => errors.push(e.detail.error));
    const state = await statusOf(el, 'error');
    ok(state.error instanceof InkAuthError, 'an InkAuthError');
    equal(state.error.code, 'network_error', 'code');
    ok(/pairing server .* not reachable/.test(state.error.detail), `says the pairing server is not reachable (${state.error.detail})`);
    const rejected = await el.getToken().then(() => null, (e: unknown) => e);
    equal(rejected, state.error, 'getToken rejects with it');
    await el.updateComplete;
    ok(/not reachable/.test(el.shadowRoot!.querySelector('[part~="pairing-error-text"]')!.textContent!), 'the message is shown');
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="pairing-retry"]');
    ok(retry, 'a retry button');
    const before = errors.length;
    retry.click();
    await statusOf(el, 'requesting');
    await statusOf(el, 'error');
    equal(errors.length, before + 1, 'retrying tried again and reported again');
  });

  it('retry recovers once the server answers', async () => {
    const s = await server();
    let refused = 0;
    // The first challenge request fails as a refused connection would; the rest reach the server.
    const el = mount(s, {}, (e) => {
      e.apiFetch = (input, init) => {
        if (refused === 0 && String(input instanceof Request ? input.url : input).includes('/v1/auth/challenges')) {
          refused++;
          return Promise.reject(new TypeError('Failed to fetch'));
        }
        return fetch(input, init);
      };
    });
    await statusOf(el, 'error');
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="pairing-retry"]')!.click();
    const form = await formOf(el);
    ok(form, 'the form after retry');
    await el.submitPairingCode(await onlyCode(s));
    equal(el.status, 'ready', 'paired');
  });
});
