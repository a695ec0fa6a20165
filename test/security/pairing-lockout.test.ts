import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { APP_ID, startSecurityServer, type SecurityServer } from './harness.js';
import { send, type Reply } from './http-client.js';

const VERSION = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };
const ATTACKERS = Array.from({ length: 12 }, (_, i) => `127.0.0.${10 + i}`);
/** The documented bound at default settings: the app's 20 wrong codes, then 3 per address. */
const MAX_GUESSES = 20 + 3 * ATTACKERS.length;

describe('pairing under a distributed brute force', () => {
  let s: SecurityServer;
  before(async () => {
    s = await startSecurityServer({ pow: null });
  });
  after(() => s.close());

  async function openChallenge(from: string): Promise<{ challengeId: string; code: string } | undefined> {
    const reply = await send(s.port, { method: 'POST', path: '/v1/auth/challenges', localAddress: from, headers: { ...VERSION, 'x-inkeep-app-id': APP_ID }, body: JSON.stringify({ app_name: 'Chat' }) });
    if (reply.status !== 201) return undefined;
    const { challenge_id: challengeId } = JSON.parse(reply.text) as { challenge_id: string };
    return { challengeId, code: s.pairingCodes.find((p) => p.challengeId === challengeId)!.code };
  }
  const exchange = (from: string, challengeId: string, code: string): Promise<Reply> =>
    send(s.port, { method: 'POST', path: '/v1/auth/api_keys', localAddress: from, headers: VERSION, body: JSON.stringify({ challenge_id: challengeId, code }) });
  const reason = (reply: Reply) => (JSON.parse(reply.text) as { reason?: string }).reason;

  test('12 addresses guessing and probing unknown ids never stop a quiet client from pairing; their guesses stay bounded', async () => {
    const early = await openChallenge('127.0.0.50');
    assert.ok(early, 'a legitimate challenge opened before the attack');
    let guesses = 0;
    let refusals = 0;
    for (const attacker of ATTACKERS) {
      for (let i = 0; i < 3; i++) {
        const unknown = await exchange(attacker, randomBytes(12).toString('hex'), '1234');
        assert.ok([404, 429].includes(unknown.status), unknown.text);
      }
      for (let c = 0; c < 5; c++) {
        const mine = await openChallenge(attacker);
        if (!mine) break;
        for (let n = 0; n < 5; n++) {
          const wrong = String((Number(mine.code) + 1 + n) % 10_000).padStart(4, '0');
          const reply = await exchange(attacker, mine.challengeId, wrong);
          if (reply.status === 401 || reason(reply) === 'challenge_locked') guesses += 1;
          if (reply.status === 429) refusals += 1;
          if (reply.status !== 401) break;
        }
      }
    }
    assert.ok(refusals > 0, 'the attackers were refused at some point');
    assert.ok(guesses <= MAX_GUESSES, `${guesses} guesses reached the code check, bound ${MAX_GUESSES}`);

    const paired = await exchange('127.0.0.50', early.challengeId, early.code);
    assert.equal(paired.status, 201, `the challenge opened before the attack: ${paired.text}`);
    const during = await openChallenge('127.0.0.51');
    assert.ok(during, 'a quiet address still opens a challenge during the attack');
    const typo = await exchange('127.0.0.51', during.challengeId, String((Number(during.code) + 1) % 10_000).padStart(4, '0'));
    assert.equal(typo.status, 401, 'a quiet client may still mistype once');
    assert.equal((await exchange('127.0.0.51', during.challengeId, during.code)).status, 201, 'and then pairs');
  });

  test('the operator sees a warning line naming the app under attack', () => {
    const warnings = s.logs.filter((line) => line.startsWith('[ink-auth] warning: pairing for app') && line.includes(APP_ID));
    assert.equal(warnings.length, 1, `one warning (rate-limited): ${JSON.stringify(warnings)}`);
    assert.match(warnings[0]!, /under attack/);
  });
});
