import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProofOfWork } from '../../server/auth/pow.js';
import { startServer, type PowSettings, type RunningServer } from '../../server/index.js';
import { MemoryRateLimitStore } from '../../server/state/memory/rate-limit-store.js';
import { encodePayload, solveV1Payload } from '../server/helpers.js';
import { ALLOWED_ORIGIN, APP_ID, JWT_SECRET, securityApps, smallPow } from './harness.js';
import { send } from './http-client.js';

const BASE = 200;
const CEILING = BASE * 128;

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(pow: Partial<PowSettings> = {}, trustedProxies: string[] = []): Promise<RunningServer> {
  server = await startServer({ log: () => {}, config: { jwtSecret: JWT_SECRET, pow: smallPow({ difficulty: BASE, ...pow }), apps: securityApps(), trustedProxies } });
  return server;
}

async function challengeFrom(s: RunningServer, localAddress: string, forwardedFor?: string) {
  const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  const reply = await send(s.port, { method: 'GET', path: '/run/auth/pow/challenge', localAddress, headers });
  assert.equal(reply.status, 200, reply.text);
  return JSON.parse(reply.text) as { algorithm: string; challenge: string; maxnumber: number; salt: string; signature: string };
}

async function sessionFrom(s: RunningServer, localAddress: string) {
  const solution = encodePayload(await solveV1Payload(await challengeFrom(s, localAddress)));
  return send(s.port, {
    method: 'POST',
    path: `/run/auth/apps/${APP_ID}/anonymous-session`,
    localAddress,
    headers: { origin: ALLOWED_ORIGIN, 'x-inkeep-challenge-solution': solution },
  });
}

describe('proof of work: adaptive difficulty and per-address budgets', () => {
  test('a flooding address is served doubling difficulty up to the ceiling; a calm address keeps the base', async () => {
    const s = await start();
    const served: number[] = [];
    for (let i = 0; i < 100; i++) served.push((await challengeFrom(s, '127.0.0.2')).maxnumber);
    assert.deepEqual(served.slice(0, 10), Array(10).fill(BASE), 'the first ten of a minute get the base');
    assert.equal(served[10], BASE * 2, 'the eleventh is twice as hard');
    assert.equal(served[99], CEILING, 'a flood reaches the ceiling');
    assert.ok(served.every((n) => n <= CEILING));
    assert.equal((await challengeFrom(s, '127.0.0.3')).maxnumber, BASE, 'another address is not affected');
  });

  test('the difficulty falls back one level per quiet minute, down to the base', async () => {
    let now = Date.UTC(2026, 0, 1);
    const clock = () => now;
    const pow = new ProofOfWork(smallPow({ difficulty: BASE }), { limits: new MemoryRateLimitStore({ now: clock }), now: clock });
    const maxnumber = async () => ((await pow.issue('198.51.100.1')) as { maxnumber: number }).maxnumber;
    for (let i = 0; i < 90; i++) await maxnumber();
    assert.equal(await maxnumber(), CEILING);
    now += 3 * 60_000;
    const afterThree = await maxnumber();
    assert.ok(afterThree < CEILING && afterThree >= BASE * 8, `after 3 quiet minutes: ${afterThree}`);
    now += 10 * 60_000;
    assert.equal(await maxnumber(), BASE, 'calm again: the base');
  });

  test('one address’s flood of solutions waits on its own budget; another address still gets sessions', async () => {
    const s = await start({ sessionsPerAddress: { burst: 5, perMinute: 1 } });
    for (let i = 0; i < 5; i++) assert.equal((await sessionFrom(s, '127.0.0.4')).status, 200);
    const refused = await sessionFrom(s, '127.0.0.4');
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.headers['content-type'], 'application/problem+json');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    const other = await sessionFrom(s, '127.0.0.5');
    assert.equal(other.status, 200, other.text);
  });

  test('X-Forwarded-For names the client only when a configured proxy sends it', async () => {
    const s = await start({}, ['127.0.0.9']);
    for (let i = 0; i < 30; i++) await challengeFrom(s, '127.0.0.9', '198.51.100.7');
    assert.ok((await challengeFrom(s, '127.0.0.9', '198.51.100.7')).maxnumber > BASE, 'the proxied flooder is slowed');
    assert.equal((await challengeFrom(s, '127.0.0.9', '198.51.100.8')).maxnumber, BASE, 'another client behind the proxy is not');
    assert.equal((await challengeFrom(s, '127.0.0.9', '203.0.113.1, 198.51.100.8')).maxnumber, BASE, 'a client-written hop further left is ignored');
    for (let i = 0; i < 30; i++) await challengeFrom(s, '127.0.0.6', `198.51.100.${i + 20}`);
    assert.ok((await challengeFrom(s, '127.0.0.6', '198.51.100.99')).maxnumber > BASE, 'an untrusted peer cannot escape by forging the header');
  });
});

describe('client addresses for per-client limits', () => {
  test('IPv6 clients are counted per /64, IPv4-mapped addresses as IPv4', async () => {
    const { clientAddressOf, rateKeyOf } = await import('../../server/core/client-address.js');
    assert.equal(rateKeyOf('2001:db8:1:2:aaaa::1'), rateKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    assert.notEqual(rateKeyOf('2001:db8:1:2::1'), rateKeyOf('2001:db8:1:3::1'));
    assert.equal(rateKeyOf('::1'), '0:0:0:0::/64');
    assert.equal(clientAddressOf('::ffff:127.0.0.2', undefined, []), '127.0.0.2');
    assert.equal(clientAddressOf('10.0.0.1', '198.51.100.1, 10.0.0.2', ['10.0.0.1', '10.0.0.2']), '198.51.100.1');
    assert.equal(clientAddressOf('10.0.0.1', 'not-an-ip', ['10.0.0.1']), '10.0.0.1');
  });
});
