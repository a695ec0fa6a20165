// <ink-auth-provider> with a signed-in user, against a real reference server holding the app's
// public key: the site's token (attribute or callback) is served as is, history is the user's,
// a renewed token reaches the other providers of the app, signing out falls back to anonymous
// (or to sign_in_required), and claim-anonymous moves this browser's anonymous history once.
// The keys are made here per test run (WebCrypto through jose); the server verifies them.
import { authFetch } from '../../src/index.js';
import type { InkAuthError } from '../../src/errors.js';
import type { InkAuthProvider } from '../../src/ink-auth-provider.js';
import type { TestServer } from './helpers/server.js';
import { siteKey } from './helpers/site-key.js';
import type { SiteKey } from './helpers/site-key.js';
import { apiCalls, equal, ok, onCleanup, server, settled, until } from './helpers/harness.js';

const KID = 'site-key-1';
let site: SiteKey;

/** A token for `sub` as the site's backend signs it (ES256, the app's key). */
const userToken = (sub: string, lifetimeSeconds?: number): Promise<string> => site.sign(sub, lifetimeSeconds);

function signedInServer(options: { allowAnonymous?: boolean } = {}): Promise<TestServer> {
  return server({ pow: 'off', publicKeys: site.publicKeys, ...options });
}

/** The ids of the caller's conversations, through the element's authenticated fetch. */
async function conversationIds(el: InkAuthProvider, s: TestServer): Promise<string[]> {
  const token = await el.getToken();
  const response = await fetch(`${s.url}/run/v1/conversations`, { headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': s.appId } });
  equal(response.status, 200, 'conversations listed');
  const body = (await response.json()) as { data: Array<{ id: string }> };
  return body.data.map((c) => c.id).sort();
}

/** One chat turn in `conversationId` with the element's token. */
async function chat(el: InkAuthProvider, s: TestServer, conversationId: string): Promise<void> {
  const token = await el.getToken();
  const response = await fetch(`${s.url}/run/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': s.appId, 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, stream: false, messages: [{ role: 'user', content: 'hello' }] }),
  });
  equal(response.status, 200, 'chat answered');
  await response.text();
}

function mountUser(s: TestServer, setup: (el: InkAuthProvider) => void, attrs: Record<string, string> = {}): InkAuthProvider {
  const el = document.createElement('ink-auth-provider');
  for (const [name, value] of Object.entries({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory', ...attrs })) el.setAttribute(name, value);
  setup(el);
  document.body.append(el);
  onCleanup(() => el.remove());
  return el;
}

describe('<ink-auth-provider> signed-in users', () => {
  before(async () => {
    site = await siteKey(KID);
  });

  it('user-token: the site\'s token is served as is (kind user, identity = sub), no challenge, history is the user\'s', async () => {
    const s = await signedInServer();
    const token = await userToken('user_alice');
    const el = mountUser(s, (e) => e.setAttribute('user-token', token));
    const state = await settled(el);
    equal(state.status, 'ready', 'status');
    equal(state.kind, 'user', 'kind');
    equal(state.identity, 'user_alice', 'identity');
    equal(state.anonId, null, 'no anon_ id');
    equal(state.token, token, 'the token');
    equal((await apiCalls(s.id)).length, 0, 'no challenge, no session request');
    await chat(el, s, 'conv_alice');
    equal((await conversationIds(el, s)).join(), 'conv_alice', 'the user sees their conversation');
  });

  it('getUserToken: asked at start and again on refresh; a renewed token reaches the other providers of the app', async () => {
    const s = await signedInServer();
    let asked = 0;
    const source = async () => {
      asked++;
      return userToken('user_bob', 600 + asked);
    };
    const first = mountUser(s, (e) => (e.getUserToken = source));
    const before = await settled(first);
    equal(before.identity, 'user_bob', 'identity');
    equal(asked, 1, 'asked once at start');
    const second = mountUser(s, (e) => (e.getUserToken = async () => userToken('user_bob', 10)));
    await settled(second);
    const adopted = until(second, (st) => st.token !== null && st.token === first.token && st.token !== before.token);
    await first.refresh();
    equal(asked, 2, 'asked again on refresh');
    ok(first.token !== before.token, 'a new token after refresh');
    await adopted;
    equal(second.token, first.token, 'the other provider took the longer-lived token of the same user');
  });

  it('signing out falls back to anonymous: the callback answers null, or user-token is cleared', async () => {
    const s = await signedInServer();
    const el = mountUser(s, (e) => (e.getUserToken = () => null));
    const state = await settled(el);
    equal(state.kind, 'anonymous', 'kind');
    ok(state.identity?.startsWith('anon_'), `an anon_ identity: ${state.identity}`);

    const token = await userToken('user_carol');
    const other = mountUser(s, (e) => e.setAttribute('user-token', token));
    equal((await settled(other)).kind, 'user', 'signed in first');
    const fellBack = until(other, (st) => st.status === 'ready' && st.kind === 'anonymous');
    other.removeAttribute('user-token');
    ok((await fellBack).identity?.startsWith('anon_'), 'anonymous after sign-out');
  });

  it('an app that serves signed-in users only: no user token → sign_in_required; a user token → ready', async () => {
    const s = await signedInServer({ allowAnonymous: false });
    const errors: InkAuthError[] = [];
    const el = mountUser(s, (e) => (e.getUserToken = () => null));
    el.addEventListener('ink-auth-error', (event) => errors.push(event.detail.error));
    const state = await settled(el);
    equal(state.status, 'error', 'status');
    equal(state.error?.code, 'sign_in_required', 'code');
    equal(state.error?.reason, 'anonymous_disabled', 'the server\'s reason');
    ok(errors.some((error) => error.code === 'sign_in_required'), 'ink-auth-error says so');
    const ready = until(el, (st) => st.status === 'ready' && st.kind === 'user');
    el.userToken = await userToken('user_dave');
    equal((await ready).identity, 'user_dave', 'signed in');
  });

  it('a token that is not a JWT, or has expired, is a typed error', async () => {
    const s = await signedInServer();
    const bad = mountUser(s, (e) => e.setAttribute('user-token', 'not-a-jwt'));
    equal((await settled(bad)).error?.code, 'user_token_invalid', 'not a JWT');
    const expired = mountUser(s, (e) => (e.getUserToken = () => userToken('user_erin', -120)));
    equal((await settled(expired)).error?.code, 'user_token_expired', 'expired');
  });

  it('a user token the API refuses (another key) and nothing can renew: authFetch renews once, then user_token_invalid', async () => {
    const s = await signedInServer();
    // Another key under the app's kid: well-formed, but not the site's.
    const forged = await (await siteKey(KID)).sign('user_mallory');
    const el = mountUser(s, (e) => e.setAttribute('user-token', forged));
    equal((await settled(el)).kind, 'user', 'served as given: the element verifies nothing');
    const response = await authFetch(`${s.url}/run/v1/conversations`, { provider: el });
    equal(response.status, 401, 'the API refuses it');
    equal(el.status, 'error', 'status');
    equal(el.error?.code, 'user_token_invalid', 'code');
  });

  it('claim-anonymous: signing in moves this browser\'s anonymous history to the user, once', async () => {
    const s = await signedInServer();
    const el = mountUser(s, () => undefined, { 'claim-anonymous': '' });
    const anonymous = await settled(el);
    equal(anonymous.kind, 'anonymous', 'anonymous first');
    await chat(el, s, 'conv_before_sign_in');
    const signedIn = until(el, (st) => st.status === 'ready' && st.kind === 'user');
    el.userToken = await userToken('user_frank');
    await signedIn;
    // The claim runs before `ready`: the history is the user's the moment the state says so.
    equal((await conversationIds(el, s)).join(), 'conv_before_sign_in', 'the anonymous conversation is the user\'s now');
    const claims = (await apiCalls(s.id)).filter((call) => call.path.endsWith('/claim-anonymous'));
    equal(claims.map((call) => call.status).join(), '200', 'one claim');
  });
});
