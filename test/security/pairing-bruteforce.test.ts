import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { APP_ID, startSecurityServer, type SecurityServer } from './harness.js';
import { send, type Reply } from './http-client.js';
import { problemViolations } from './problem-shape.js';

const VERSION = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };

let h: SecurityServer | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function server(): Promise<SecurityServer> {
  h = await startSecurityServer({ pow: null });
  return h;
}

async function openChallenge(s: SecurityServer): Promise<{ challengeId: string; code: string }> {
  const reply = await send(s.port, { method: 'POST', path: '/v1/auth/challenges', headers: { ...VERSION, 'x-inkeep-app-id': APP_ID }, body: JSON.stringify({ app_name: 'brute' }) });
  assert.equal(reply.status, 201, reply.text);
  const { challenge_id: challengeId } = JSON.parse(reply.text) as { challenge_id: string };
  const shown = s.pairingCodes.find((p) => p.challengeId === challengeId);
  assert.ok(shown, 'the code was announced');
  return { challengeId, code: shown.code };
}

function exchange(s: SecurityServer, challengeId: string, code: string): Promise<Reply> {
  return send(s.port, { method: 'POST', path: '/v1/auth/api_keys', headers: VERSION, body: JSON.stringify({ challenge_id: challengeId, code }) });
}

function reasonOf(reply: Reply): string {
  assert.deepEqual(problemViolations(reply), [], reply.text);
  return (JSON.parse(reply.text) as { reason: string }).reason;
}

/** The 4-digit codes other than `code`, in order. */
function wrongCodes(code: string, count: number): string[] {
  const out: string[] = [];
  for (let n = 0; out.length < count; n++) if (String(n).padStart(4, '0') !== code) out.push(String(n).padStart(4, '0'));
  return out;
}

describe('pairing brute force', () => {
  test('a challenge dies after 5 wrong codes: the right code is then refused too', async () => {
    const s = await server();
    const { challengeId, code } = await openChallenge(s);
    const remaining: number[] = [];
    for (const wrong of wrongCodes(code, 4)) {
      const reply = await exchange(s, challengeId, wrong);
      assert.equal(reply.status, 401);
      assert.equal(reasonOf(reply), 'code_incorrect');
      remaining.push((JSON.parse(reply.text) as { attemptsRemaining: number }).attemptsRemaining);
    }
    assert.deepEqual(remaining, [4, 3, 2, 1]);
    const fifth = await exchange(s, challengeId, wrongCodes(code, 5)[4] ?? '');
    assert.equal(fifth.status, 403);
    assert.equal(reasonOf(fifth), 'challenge_locked');
    const right = await exchange(s, challengeId, code);
    assert.equal(right.status, 403);
    assert.equal(reasonOf(right), 'challenge_locked');
    assert.equal(s.snapshot().includes('"pairing-key-count":0'), true, 'no key was issued');
  });

  test('enumerating all 10 000 codes never yields a key: the address is stopped after 20 failures', async () => {
    const s = await server();
    const challenges = [await openChallenge(s), await openChallenge(s), await openChallenge(s), await openChallenge(s), await openChallenge(s)];
    const counts = new Map<string, number>();
    let attempts = 0;
    outer: for (const { challengeId, code } of challenges) {
      for (const guess of wrongCodes(code, 9_999)) {
        const reply = await exchange(s, challengeId, guess);
        attempts += 1;
        assert.ok(reply.status !== 201, 'a wrong code produced a key');
        const reason = reasonOf(reply);
        counts.set(reason, (counts.get(reason) ?? 0) + 1);
        if (reason === 'challenge_locked') continue outer;
        if (reason === 'too_many_failures') break outer;
      }
    }
    assert.equal(counts.get('code_incorrect'), 16, JSON.stringify([...counts])); // 4 per challenge
    assert.equal(counts.get('challenge_locked'), 4);
    assert.equal(counts.get('too_many_failures'), 1);
    assert.equal(attempts, 21);
    // The fifth challenge's right code is now refused as well, with a Retry-After.
    const last = challenges[4];
    assert.ok(last);
    const right = await exchange(s, last.challengeId, last.code);
    assert.equal(right.status, 429);
    assert.equal(reasonOf(right), 'too_many_failures');
    assert.ok(Number(right.headers['retry-after']) > 0);
  });

  test('guessing challenge ids counts as failure too: 20 unknown ids, then 429', async () => {
    const s = await server();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await exchange(s, randomBytes(12).toString('hex'), '1234')).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(404));
    assert.equal(statuses[20], 429);
  });

  test('challenge creation is rate limited per address: the 6th in a burst → 429 with Retry-After', async () => {
    const s = await server();
    for (let i = 0; i < 5; i++) await openChallenge(s);
    const reply = await send(s.port, { method: 'POST', path: '/v1/auth/challenges', headers: { ...VERSION, 'x-inkeep-app-id': APP_ID }, body: JSON.stringify({ app_name: 'brute' }) });
    assert.equal(reply.status, 429);
    assert.equal(reasonOf(reply), 'rate_limited');
    assert.ok(Number(reply.headers['retry-after']) > 0);
    assert.equal(s.pairingCodes.length, 5, 'no code shown for the refused request');
  });
});
