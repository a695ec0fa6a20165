import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad } from '../../scripts/load.js';

// The CI-sized run of `npm run load`: the same scenarios and checks, 3 s each.
test('load smoke: challenges, sessions and chat at 64 connections, no errors, no unintended non-2xx; attacks leave a well-behaved client served', async (t) => {
  const report = await runLoad({ seconds: Number(process.env.LOAD_SECONDS ?? 3), connections: 64, log: (line) => t.diagnostic(line) });
  assert.deepEqual(report.scenarios.map((s) => s.name), ['challenges', 'sessions', 'chat']);
  for (const s of report.scenarios) {
    assert.ok(s.requests > 0 && s.p50Ms <= s.p99Ms, `${s.name}: ${JSON.stringify(s)}`);
    assert.equal(s.errors + s.timeouts + s.non2xx, 0, `${s.name}: ${JSON.stringify(s.statusCounts)}`);
  }
  const [flood] = report.attacks;
  assert.ok(flood && flood.client.attempts > 0, 'the attack scenario ran');
  assert.equal(flood.client.successRate, 1, `a well-behaved client keeps getting sessions while one address floods: ${JSON.stringify(flood.client)}`);
  assert.ok(flood.flood.lastMaxnumber > 50_000, `the flooder is served harder challenges: ${flood.flood.lastMaxnumber}`);
  const { client } = report.slowReaders;
  assert.ok(client.attempts > 0, 'the slow-reader scenario ran');
  assert.equal(client.successRate, 1, `a well-behaved client keeps getting sessions and chats while 40 sockets never read: ${JSON.stringify(client)}`);
  assert.deepEqual(report.failures, []);
});
