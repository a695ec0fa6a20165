import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import type { RunningServer } from '../../../server/index.js';
import type { AppPublicKey, AppRecord } from '../../../server/state/app-registry.js';
import { APP_ID, OTHER_APP_ID, expectProblem, requestSession, startTestServer, webApp } from '../helpers.js';

// A site's backend signs a short JWT for its logged-in user; the run routes accept it as
// `Authorization: Bearer` with `x-inkeep-app-id`, verified against the web app's publicKeys.

const ORIGIN = 'http://localhost:5173';
const CLOSED_APP = 'app_signedinonly000000001';

interface Pair {
  kid: string;
  alg: AppPublicKey['algorithm'];
  privateKey: KeyObject;
  entry: AppPublicKey;
}

function pair(kid: string, alg: AppPublicKey['algorithm']): Pair {
  const keys =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg.startsWith('ES')
        ? generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg as 'ES256'] })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { kid, alg, privateKey: keys.privateKey, entry: { kid, publicKey, algorithm: alg, addedAt: new Date().toISOString() } };
}

const rsa = pair('rsa-1', 'RS256');
const ec = pair('ec-1', 'ES256');
const ed = pair('ed-1', 'EdDSA');
const stranger = pair('rsa-1', 'RS256'); // same kid, another key: what a forger holds

function withKeys(app: AppRecord, publicKeys: AppPublicKey[], extra: { audience?: string; allowAnonymous?: boolean } = {}): AppRecord {
  const web = app.config.type === 'web_client' ? app.config.webClient : undefined;
  assert.ok(web);
  return { ...app, config: { type: 'web_client', webClient: { ...web, publicKeys, ...extra } } };
}

/** What the site's backend does: sign `claims` for its user with one of its keys. */
function sign(key: Pair, claims: Record<string, unknown> = {}, options: { exp?: number | string; header?: Record<string, unknown> } = {}): Promise<string> {
  const jwt = new SignJWT({ sub: 'user_42', ...claims }).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header }).setIssuedAt();
  if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
  else jwt.setExpirationTime('10m');
  return jwt.sign(key.privateKey);
}

function chat(server: RunningServer, token: string, conversationId: string, appId = APP_ID, origin = ORIGIN): Promise<Response> {
  return fetch(`${server.url}/run/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': appId, origin, 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, messages: [{ role: 'user', content: `hello from ${conversationId}` }] }),
  });
}

async function conversationIds(server: RunningServer, token: string, appId = APP_ID): Promise<string[]> {
  const res = await fetch(`${server.url}/run/v1/conversations`, { headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': appId, origin: ORIGIN } });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { data: Array<{ id: string }> }).data.map((c) => c.id).sort();
}

async function chatOk(server: RunningServer, token: string, conversationId: string, appId = APP_ID): Promise<void> {
  const res = await chat(server, token, conversationId, appId);
  assert.equal(res.status, 200, await res.clone().text());
  await res.text();
}

describe('signed-in end users (a JWT signed by the site for its user)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({
      apps: [
        withKeys(webApp({}, { allowedDomains: ['localhost'] }), [rsa.entry, ec.entry, ed.entry]),
        withKeys(webApp({ id: OTHER_APP_ID, projectId: 'project_other' }), [pair('other-1', 'ES256').entry]),
        withKeys(webApp({ id: CLOSED_APP }), [ec.entry], { audience: 'https://docs.example.com', allowAnonymous: false }),
      ],
    });
  });
  after(() => server.close());

  test('RS256, ES256 and EdDSA users chat and read their own history', async () => {
    for (const key of [rsa, ec, ed]) {
      const token = await sign(key, { sub: `user_${key.alg}` });
      await chatOk(server, token, `conv_${key.alg}`);
      assert.deepEqual(await conversationIds(server, token), [`conv_${key.alg}`]);
      const history = await fetch(`${server.url}/run/v1/conversations/conv_${key.alg}`, {
        headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': APP_ID, origin: ORIGIN },
      });
      const body = (await history.json()) as { data: { messages: Array<{ role: string; content: string }> } };
      assert.deepEqual(body.data.messages.map((m) => m.role), ['user', 'assistant']);
    }
  });

  test("the history follows the user's sub across tokens and keys, and no one else's", async () => {
    await chatOk(server, await sign(rsa, { sub: 'user_alice' }), 'conv_alice_1');
    await chatOk(server, await sign(ed, { sub: 'user_alice' }), 'conv_alice_2');
    assert.deepEqual(await conversationIds(server, await sign(ec, { sub: 'user_alice' })), ['conv_alice_1', 'conv_alice_2']);
    assert.deepEqual(await conversationIds(server, await sign(ec, { sub: 'user_bob' })), []);
  });

  test('a user whose sub is an anonymous id or a key id never reaches that caller\'s history', async () => {
    const anon = (await (await requestSession(server, { origin: ORIGIN })).json()) as { token: string };
    const anonSub = JSON.parse(Buffer.from(anon.token.split('.')[1]!, 'base64url').toString()).sub as string;
    await chatOk(server, anon.token, 'conv_anon_private');
    assert.deepEqual(await conversationIds(server, await sign(rsa, { sub: anonSub })), []);
    assert.deepEqual(await conversationIds(server, anon.token), ['conv_anon_private']);
  });

  test("an app's users are its own: the same sub in another app sees nothing", async () => {
    await chatOk(server, await sign(rsa, { sub: 'user_carol' }), 'conv_carol');
    const closed = await sign(ec, { sub: 'user_carol', aud: 'https://docs.example.com' });
    assert.deepEqual(await conversationIds(server, closed, CLOSED_APP), []);
  });

  test('an app without anonymous sessions serves its signed-in users; the audience is checked', async () => {
    const anon = await requestSession(server, { origin: ORIGIN }, CLOSED_APP);
    assert.equal(anon.status, 401, 'no anonymous sessions here');
    await anon.body?.cancel();
    await chatOk(server, await sign(ec, { aud: 'https://docs.example.com' }), 'conv_closed', CLOSED_APP);
    await expectProblem(await chat(server, await sign(ec, { aud: 'https://other.example.com' }), 'c', CLOSED_APP), 401, 'unauthorized', { reason: 'user_audience_mismatch' });
    await expectProblem(await chat(server, await sign(ec), 'c', CLOSED_APP), 401, 'unauthorized', { reason: 'user_audience_mismatch' });
  });

  test('a day-long token with a small profile, and one expired less than the 60 s tolerance ago, are accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    await chatOk(server, await sign(rsa, { sub: 'user_long', name: 'Ada', plan: 'pro' }, { exp: now + 86_400 }), 'conv_long');
    const justExpired = await new SignJWT({ sub: 'user_skew' }).setProtectedHeader({ alg: 'EdDSA', kid: ed.kid }).setIssuedAt(now - 600).setExpirationTime(now - 30).sign(ed.privateKey);
    await chatOk(server, justExpired, 'conv_skew');
  });

  test('every refusal is a 401 in the hosted text with a machine reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, Promise<string> | string, string]> = [
      ['unknown kid', sign({ ...rsa, kid: 'nope' }), 'user_unknown_kid'],
      ['no kid', new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('5m').sign(rsa.privateKey), 'user_unknown_kid'],
      ["another key's alg under this kid", sign({ ...rsa, kid: ec.kid }), 'user_alg_mismatch'],
      ['a forged key with a known kid', sign(stranger), 'user_signature_invalid'],
      ['expired (past the 60 s tolerance)', sign(rsa, {}, { exp: now - 120 }), 'user_token_expired'],
      ['not yet valid', sign(rsa, { nbf: now + 600 }), 'user_token_not_yet_valid'],
      ['no iat', new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).setExpirationTime('5m').sign(rsa.privateKey), 'user_claims_invalid'],
      ['a lifetime over a day', sign(rsa, {}, { exp: now + 86_400 + 60 }), 'user_claims_invalid'],
      ['custom claims over 1 KB', sign(rsa, { profile: 'p'.repeat(1100) }), 'user_claims_invalid'],
      ['no exp', new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).sign(rsa.privateKey), 'user_claims_invalid'],
      ['no sub', new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: rsa.kid }).setIssuedAt().setExpirationTime('5m').sign(rsa.privateKey), 'user_claims_invalid'],
      ['a sub over 256 characters', sign(rsa, { sub: 'u'.repeat(257) }), 'user_claims_invalid'],
      ['alg none', `${b64({ alg: 'none', kid: rsa.kid })}.${b64({ sub: 'u', exp: now + 600 })}.`, 'user_alg_not_allowed'],
      ['HS512', `${b64({ alg: 'HS512', kid: rsa.kid })}.${b64({ sub: 'u', exp: now + 600 })}.c2ln`, 'user_alg_not_allowed'],
      // Unreadable: refused as an anonymous token always was (no reason, as before user tokens).
      ['a header that is not JSON', `bm90IGpzb24.${b64({ sub: 'u' })}.c2ln`, ''],
      // alg confusion: HS256 keyed with the app's own public PEM goes the anonymous way, and fails there.
      ['HS256 keyed with the public PEM', new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS256', kid: rsa.kid }).setExpirationTime('5m').sign(new TextEncoder().encode(rsa.entry.publicKey)), ''],
    ];
    for (const [name, token, reason] of cases) {
      const res = await chat(server, await token, 'conv_refused');
      const body = await expectProblem(res, 401, 'unauthorized', reason ? { reason } : {});
      assert.match(body.detail, /^Invalid end-user JWT: /, name);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/, name);
    }
    assert.deepEqual(await conversationIds(server, await sign(rsa)), [], 'no refused request stored anything');
  });

  test("a token for one app is refused by another app that does not hold the key; the Origin must be the app's", async () => {
    await expectProblem(await chat(server, await sign(ec), 'c', OTHER_APP_ID), 401, 'unauthorized', { reason: 'user_unknown_kid' });
    await expectProblem(await chat(server, await sign(ec), 'c', APP_ID, 'https://evil.example'), 403, 'forbidden');
  });
});

describe('signing in keeps the anonymous history of the same browser', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({
      apps: [withKeys(webApp(), [rsa.entry]), withKeys(webApp({ id: OTHER_APP_ID, projectId: 'project_other' }), [rsa.entry])],
      chat: { limits: { maxConversationsPerOwner: 3 } },
    });
  });
  after(() => server.close());

  function claim(userToken: string, anonymousToken: unknown, appId = APP_ID): Promise<Response> {
    return fetch(`${server.url}/run/v1/conversations/claim-anonymous`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userToken}`, 'x-inkeep-app-id': appId, origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ anonymousToken }),
    });
  }

  async function anonymousVisitor(appId = APP_ID): Promise<string> {
    const res = await requestSession(server, { origin: ORIGIN }, appId);
    assert.equal(res.status, 200);
    return ((await res.json()) as { token: string }).token;
  }

  test("the user's token plus the anonymous token move that history to the user, once", async () => {
    const anon = await anonymousVisitor();
    await chatOk(server, anon, 'conv_before_sign_in');
    const user = await sign(rsa, { sub: 'user_dana' });
    await chatOk(server, user, 'conv_dana_elsewhere');
    const res = await claim(user, anon);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { data: { claimed: 1 } });
    assert.deepEqual(await conversationIds(server, user), ['conv_before_sign_in', 'conv_dana_elsewhere']);
    assert.deepEqual(await conversationIds(server, anon), [], 'the anonymous session no longer holds it');
    assert.deepEqual(await (await claim(user, anon)).json(), { data: { claimed: 0 } }, 'claiming again moves nothing');
  });

  test('only a signed-in user claims, only with a valid anonymous token of this app', async () => {
    const anon = await anonymousVisitor();
    await chatOk(server, anon, 'conv_kept');
    const user = await sign(rsa, { sub: 'user_erin' });
    await expectProblem(await claim(anon, anon), 403, 'forbidden', { reason: 'user_token_required' });
    await expectProblem(await claim(user, `${anon.slice(0, -3)}AAA`), 400, 'bad_request', { reason: 'anonymous_token_invalid' });
    await expectProblem(await claim(user, await anonymousVisitor(OTHER_APP_ID)), 400, 'bad_request', { reason: 'anonymous_token_invalid' });
    await expectProblem(await claim(user, 42), 400, 'bad_request');
    await expectProblem(await claim(user, anon, OTHER_APP_ID), 400, 'bad_request', { reason: 'anonymous_token_invalid' });
    assert.deepEqual(await conversationIds(server, anon), ['conv_kept'], 'nothing moved');
  });

  test("a claim that would pass the user's conversation cap moves nothing (422)", async () => {
    const anon = await anonymousVisitor();
    await chatOk(server, anon, 'conv_a1');
    await chatOk(server, anon, 'conv_a2');
    const user = await sign(rsa, { sub: 'user_frank' });
    await chatOk(server, user, 'conv_f1');
    await chatOk(server, user, 'conv_f2');
    await expectProblem(await claim(user, anon), 422, 'unprocessable_entity');
    assert.deepEqual(await conversationIds(server, anon), ['conv_a1', 'conv_a2']);
    assert.deepEqual(await conversationIds(server, user), ['conv_f1', 'conv_f2']);
  });
});

describe("the backend snippet for signed-in users (docs/chat-api.md)", () => {
  test('signs a token that the server accepts for the app holding its public key', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const page = readFileSync(join(root, 'docs', 'chat-api.md'), 'utf8');
    const section = page.split('\n## Signed-in users\n')[1];
    assert.ok(section, 'docs/chat-api.md has a "Signed-in users" section');
    const snippet = /```js\n([\s\S]*?)```/.exec(section.split(/\n#{1,2} /)[0]!)?.[1];
    assert.ok(snippet, 'the section has a js block');
    assert.ok(snippet.trim().split('\n').length <= 10, 'the snippet stays within 10 lines');
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = /kid: '([^']+)'/.exec(snippet)?.[1];
    assert.ok(kid, 'the snippet names its kid');
    const entry: AppPublicKey = { kid, algorithm: 'ES256', publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), addedAt: new Date().toISOString() };
    const server = await startTestServer({ apps: [withKeys(webApp({}, { allowAnonymous: false }), [entry])] });
    // Inside the repository, so that `import … from 'jose'` resolves as in the site's backend.
    const dir = join(root, '.data', `readme-snippet-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const previous = process.env.INK_USER_PRIVATE_KEY;
    try {
      process.env.INK_USER_PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      writeFileSync(join(dir, 'user-token.mjs'), snippet);
      const { userToken } = (await import(pathToFileURL(join(dir, 'user-token.mjs')).href)) as { userToken: (user: object) => Promise<string> };
      const token = await userToken({ id: 'user_from_readme', email: 'reader@example.com' });
      await chatOk(server, token, 'conv_readme');
      assert.deepEqual(await conversationIds(server, token), ['conv_readme']);
    } finally {
      if (previous === undefined) delete process.env.INK_USER_PRIVATE_KEY;
      else process.env.INK_USER_PRIVATE_KEY = previous;
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
