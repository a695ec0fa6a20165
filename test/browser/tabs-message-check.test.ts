// A BroadcastChannel message is adopted only when its token decodes to the anon_ id it claims,
// like a cached entry: another script of the origin cannot plant a mismatched session.
import '../../src/index.js';
import type { AuthState } from '../../src/context.js';
import { sessionKey } from '../../src/session/cache.js';
import { tabChannelName } from '../../src/session/tabs.js';
import { equal, mount, ok, server, settled, until } from './helpers/harness.js';

const base64url = (value: unknown): string =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** An unsigned JWT-shaped token with these claims (the browser decodes tokens, the server verifies them). */
function tokenFor(sub: string, expSeconds: number): string {
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub, exp: expSeconds, iat: Math.floor(Date.now() / 1000) })}.c2ln`;
}

describe('tabs: broadcast sessions get the cache’s consistency check', () => {
  it('a message whose token does not match its anon_ id, or is not a JWT, is ignored; a consistent one is adopted', async () => {
    const s = await server({ pow: 'off' });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url });
    const ready = await settled(el);
    equal(ready.status, 'ready', 'status');
    const seen: string[] = [];
    el.addEventListener('ink-auth-change', (event) => seen.push(String((event as CustomEvent<AuthState>).detail.anonId)));

    const channel = new BroadcastChannel(tabChannelName(sessionKey(s.url, s.appId)));
    const far = Date.now() + 10 * 24 * 3600 * 1000;
    const session = (token: string, anonId: string, expiresAt = far) => ({ type: 'session', session: { token, anonId, expiresAt, obtainedAt: Date.now() } });
    channel.postMessage(session(tokenFor('anon_in_token', far / 1000), 'anon_claimed_elsewhere'));
    channel.postMessage(session('not-a-jwt', 'anon_not_a_jwt'));
    channel.postMessage(session(tokenFor('anon_expired', Date.now() / 1000 - 60), 'anon_expired'));
    // Messages arrive in order: once the consistent one is adopted, the others were handled.
    // (Later in expiry than the others, so adopting one of them first could not shadow it.)
    const consistent = tokenFor('anon_consistent', far / 1000 + 60);
    channel.postMessage(session(consistent, 'anon_consistent', far + 60_000));
    const adopted = await until(el, (state) => state.anonId === 'anon_consistent');
    channel.close();

    equal(adopted.token, consistent, 'the consistent message’s token');
    ok(!seen.includes('anon_claimed_elsewhere'), `a mismatched anon_ id was adopted: ${seen.join(', ')}`);
    ok(!seen.includes('anon_not_a_jwt'), `a non-JWT token was adopted: ${seen.join(', ')}`);
    ok(!seen.includes('anon_expired'), `an expired token was adopted: ${seen.join(', ')}`);
  });
});
