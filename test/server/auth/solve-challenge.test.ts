import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solveServedChallenge } from '../../../server/auth/solve-challenge.js';
import { powSettings, requestSession, startTestServer } from '../helpers.js';

for (const format of ['v1', 'v2'] as const) {
  test(`the walk-through helper solves a served ${format} challenge the server accepts`, async () => {
    const server = await startTestServer({ pow: powSettings(format) });
    try {
      const served = (await (await fetch(`${server.url}/run/auth/pow/challenge`)).json()) as Parameters<typeof solveServedChallenge>[0];
      const header = await solveServedChallenge(served);
      const res = await requestSession(server, { 'x-inkeep-challenge-solution': header });
      assert.equal(res.status, 200);
    } finally {
      await server.close();
    }
  });
}
