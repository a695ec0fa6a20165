import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_ID, startSecurityServer, type SecurityServer } from './harness.js';
import { send, type Reply } from './http-client.js';

const VERSION = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };
const VICTIM = '127.0.0.80';

describe('pairing: wrong codes from a client that did not create the challenge never spend it', () => {
  let s: SecurityServer;
  before(async () => {
    s = await startSecurityServer({ pow: null });
  });
  after(() => s.close());

  async function openChallenge(from: string): Promise<{ challengeId: string; code: string }> {
    const reply = await send(s.port, { method: 'POST', path: '/v1/auth/challenges', localAddress: from, headers: { ...VERSION, 'x-inkeep-app-id': APP_ID }, body: JSON.stringify({ app_name: 'Chat' }) });
    assert.equal(reply.status, 201, reply.text);
    const { challenge_id: challengeId } = JSON.parse(reply.text) as { challenge_id: string };
    return { challengeId, code: s.pairingCodes.find((p) => p.challengeId === challengeId)!.code };
  }
  const exchange = (from: string, challengeId: string, code: string): Promise<Reply> =>
    send(s.port, { method: 'POST', path: '/v1/auth/api_keys', localAddress: from, headers: VERSION, body: JSON.stringify({ challenge_id: challengeId, code }) });
  const wrongCodes = (code: string) => ['0000', '1111', '2222', '3333', '4444', '5555', '6666'].filter((c) => c !== code).slice(0, 6);

  test('another address that learnt the challenge id cannot lock it with wrong codes; its creator still pairs', async () => {
    const victim = await openChallenge(VICTIM);
    for (const [i, wrong] of wrongCodes(victim.code).entries()) {
      const reply = await exchange(`127.0.0.${81 + (i % 3)}`, victim.challengeId, wrong);
      assert.equal(reply.status, 401, `a stranger's wrong code is refused, never locks: ${reply.text}`);
    }
    const paired = await exchange(VICTIM, victim.challengeId, victim.code);
    assert.equal(paired.status, 201, paired.text);
  });

  test('the creator’s own wrong codes still count: 5 lock its challenge', async () => {
    const own = await openChallenge('127.0.0.85');
    const replies = [];
    for (const wrong of wrongCodes(own.code).slice(0, 5)) replies.push((await exchange('127.0.0.85', own.challengeId, wrong)).status);
    assert.deepEqual(replies, [401, 401, 401, 401, 403]);
    assert.equal((await exchange('127.0.0.85', own.challengeId, own.code)).status, 403, 'dead: even the right code fails');
  });

  test('a right code from another address (the creator moved networks) still pairs', async () => {
    const moved = await openChallenge('127.0.0.86');
    assert.equal((await exchange('127.0.0.87', moved.challengeId, moved.code)).status, 201);
  });
});
