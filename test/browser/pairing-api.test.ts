// Pairing calls from a real browser page to a real reference server on another origin:
// challenge → code (read through the server's onPairingCode in the harness) → API key → chat,
// wrong codes, revocation, an unreachable server, and the original desktop API's error shape.
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/pairing/code-form.js';
import { createPairingChallenge, exchangePairingCode, revokePairedKey } from '../../src/pairing/api.js';
import { PairingRequestError, pairingErrorFromResponse } from '../../src/pairing/pairing-error.js';
import { InkAuthError } from '../../src/errors.js';
import { startServer, stopServer, type TestServer } from './helpers/server.js';
import { equal, ok, rejection } from './helpers/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<TestServer> {
  const s = await startServer({ pow: 'off' });
  cleanups.push(() => stopServer(s.id));
  return s;
}

async function codeFor(s: TestServer, challengeId: string): Promise<string> {
  const codes = (await executeServerCommand('ink-server', { action: 'pairing-codes', id: s.id })) as Record<string, string>;
  const code = codes[challengeId];
  ok(code, 'the server showed a code for the challenge');
  return code;
}

const otherCode = (code: string) => (code === '0000' ? '0001' : '0000');

function chat(s: TestServer, apiKey: string): Promise<Response> {
  return fetch(`${s.url}/run/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'x-inkeep-app-id': s.appId, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('pairing API from the browser', () => {
  it('pairs with the code and the key authenticates chat until revoked', async () => {
    const s = await server();
    const options = { baseUrl: s.url, appId: s.appId };
    const { challengeId } = await createPairingChallenge(options, 'Browser chat');
    const key = await exchangePairingCode(options, challengeId, await codeFor(s, challengeId));
    ok(key.apiKey.length >= 40, 'an API key');
    ok(key.keyId?.startsWith('key_'), 'a key id');
    ok(key.expiresAt instanceof Date, 'an expiry');
    const res = await chat(s, key.apiKey);
    equal(res.status, 200, 'chat accepts the paired key');
    ok((await res.text()).endsWith('data: [DONE]\n\n'), 'the reply streams to the end');
    await revokePairedKey(options, { apiKey: key.apiKey, keyId: key.keyId! });
    equal((await chat(s, key.apiKey)).status, 401, 'a revoked key is refused');
    await revokePairedKey(options, { apiKey: key.apiKey, keyId: key.keyId! });
  });

  it('a wrong code names the reason and the attempts left; the same challenge then works', async () => {
    const s = await server();
    const options = { baseUrl: s.url, appId: s.appId };
    const { challengeId } = await createPairingChallenge(options, 'Browser chat');
    const code = await codeFor(s, challengeId);
    const error = await rejection(exchangePairingCode(options, challengeId, otherCode(code)));
    ok(error instanceof PairingRequestError, 'a PairingRequestError');
    ok(error instanceof InkAuthError, 'which is an InkAuthError');
    equal(error.reason, 'code_incorrect', 'reason');
    equal(error.code, 'unauthorized', 'code');
    equal(error.status, 401, 'status');
    equal(error.attemptsRemaining, 4, 'attempts left');
    equal(error.needsNewCode, false, 'retype, no new code needed');
    ok(error.requestId?.startsWith('req_'), 'request id read');
    ok((await exchangePairingCode(options, challengeId, code)).apiKey, 'the right code still works');
    const reused = await rejection(exchangePairingCode(options, challengeId, code));
    ok(reused instanceof PairingRequestError && reused.reason === 'challenge_used' && reused.needsNewCode, 'reuse needs a new code');
  });

  it('checks the code format without a request', async () => {
    const error = await rejection(exchangePairingCode({ baseUrl: 'http://127.0.0.1:9', fetch: () => Promise.reject(new Error('no request expected')) }, 'a'.repeat(24), '12a4'));
    ok(error instanceof PairingRequestError && error.reason === 'invalid_code_format', 'invalid_code_format');
  });

  it('an unreachable server says the trusted app is not running, retryable', async () => {
    const s = await server();
    await stopServer(s.id);
    const error = await rejection(createPairingChallenge({ baseUrl: s.url, appId: s.appId }, 'Browser chat'));
    ok(error instanceof PairingRequestError, 'a PairingRequestError');
    equal(error.reason, 'server_unreachable', 'reason');
    equal(error.code, 'network_error', 'code');
    ok(error.retryable, 'retryable');
    ok(/not running|reach/i.test(error.detail), 'plain message');
  });

  it('a malformed base URL fails without a request', async () => {
    const error = await rejection(createPairingChallenge({ baseUrl: 'not a url' }, 'x'));
    ok(error instanceof InkAuthError && error.code === 'invalid_base_url', 'invalid_base_url');
  });

  it('reads the original desktop API error shape', async () => {
    const original = new Response(JSON.stringify({ object: 'error', status: 429, code: 'rate_limit_exceeded', message: 'slow down' }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '7' },
    });
    const error = await pairingErrorFromResponse(original);
    equal(error.code, 'too_many_requests', 'code mapped');
    equal(error.reason, 'rate_limited', 'reason inferred');
    equal(error.detail, 'slow down', 'message read');
    equal(error.retryAfterMs, 7000, 'Retry-After read');
    const notFound = await pairingErrorFromResponse(
      new Response(JSON.stringify({ object: 'error', status: 404, code: 'object_not_found', message: 'no' }), { status: 404 }),
    );
    equal(notFound.code, 'not_found', 'object_not_found mapped');
    const garbage = await pairingErrorFromResponse(new Response('<html>', { status: 500 }));
    equal(garbage.code, 'internal_server_error', 'status fallback');
    equal(garbage.reason, 'unknown', 'no reason');
  });

  it('the code form drives a real pairing: wrong code shows the error, the right one pairs', async () => {
    const s = await server();
    const options = { baseUrl: s.url, appId: s.appId };
    const { challengeId } = await createPairingChallenge(options, 'Form chat');
    const code = await codeFor(s, challengeId);
    const form = document.createElement('ink-pairing-code-form');
    document.body.append(form);
    cleanups.push(() => form.remove());
    const paired = new Promise<string>((resolve) => {
      form.addEventListener('ink-pairing-submit', async (event) => {
        form.busy = true;
        try {
          resolve((await exchangePairingCode(options, challengeId, event.detail.code)).apiKey);
        } catch (error) {
          const e = error as PairingRequestError;
          await form.showError(`Wrong code (${e.attemptsRemaining} tries left).`);
        } finally {
          form.busy = false;
        }
      });
    });
    await form.updateComplete;
    const field = form.shadowRoot!.querySelector('input')!;
    const type = (value: string) => {
      field.value = value;
      field.dispatchEvent(new InputEvent('input', { bubbles: true }));
    };
    type(otherCode(code));
    const errorRegion = form.shadowRoot!.querySelector('[part~="error"]')!;
    for (let i = 0; i < 100 && !errorRegion.textContent; i++) await new Promise((r) => setTimeout(r, 20));
    equal(errorRegion.textContent, 'Wrong code (4 tries left).', 'error announced');
    equal(field.value, '', 'field ready for retyping');
    type(code);
    ok((await paired).length >= 40, 'paired through the form');
  });
});
