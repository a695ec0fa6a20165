// Proof-of-work refusals are decided by the problem body's `reason` (pow_required, pow_invalid,
// pow_expired, pow_replayed); the hosted API's documented details decide only when a body has no
// reason. Driven against the real reference server's refusals (whichever of the two it sends),
// then through the fault proxy with served bodies: a reason re-solves, another reason does not.
import '../../src/index.js';
import { fetchChallenge, requestAnonymousSession } from '../../src/api/run-auth.js';
import type { FetchLike } from '../../src/api/run-auth.js';
import { HOSTED_POW_DETAILS, InkAuthError, POW_REFUSAL_REASONS, errorFromResponse } from '../../src/errors.js';
import type { PowRefusalReason } from '../../src/errors.js';
import { solveChallenge } from '../../src/pow/solve.js';
import { faulty } from './helpers/faults.js';
import { equal, mount, ok, server, settled } from './helpers/harness.js';

const problem = (body: Record<string, unknown>, status = 400) =>
  new Response(JSON.stringify({ title: 'bad_request', status, code: 'bad_request', ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** A fetch that keeps every response body it saw (as JSON, null when not JSON). */
function recordingFetch(): { fetch: FetchLike; bodies: unknown[] } {
  const bodies: unknown[] = [];
  return {
    bodies,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      bodies.push(await response.clone().json().catch(() => null));
      return response;
    },
  };
}

/** The refusal of a session request, with the `reason` the server put in its body (if any). */
async function refusal(request: (fetchFn: FetchLike) => Promise<unknown>): Promise<{ error: InkAuthError; bodyReason: unknown }> {
  const recorder = recordingFetch();
  const error = await request(recorder.fetch).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  ok(error instanceof InkAuthError, `the request was refused with an InkAuthError (got ${String(error)})`);
  const body = recorder.bodies.at(-1) as Record<string, unknown> | null;
  return { error, bodyReason: body?.reason };
}

/** The refusal is `expected`, and a server that sends a `reason` sends that one. */
function expectRefusal(seen: { error: InkAuthError; bodyReason: unknown }, expected: PowRefusalReason): void {
  equal(seen.error.status, 400, 'status');
  equal(seen.error.code, 'bad_request', 'code');
  equal(seen.error.powRefusal, expected, 'powRefusal');
  ok(seen.error.challengeRejected, 'challengeRejected');
  if (seen.bodyReason !== undefined) equal(seen.bodyReason, expected, "the server's reason");
}

describe('errorFromResponse: PoW refusals', () => {
  it('a body with a PoW reason is that refusal, whatever its detail', async () => {
    for (const reason of POW_REFUSAL_REASONS) {
      const error = await errorFromResponse(problem({ detail: 'Refused.', reason }));
      equal(error.powRefusal, reason, `powRefusal for ${reason}`);
      ok(error.challengeRejected, `${reason} asks for a new challenge`);
    }
  });

  it('a body with another reason is no PoW refusal, even when its detail is a hosted PoW text', async () => {
    for (const reason of POW_REFUSAL_REASONS) {
      const error = await errorFromResponse(problem({ detail: HOSTED_POW_DETAILS[reason], reason: 'origin_not_allowed' }));
      equal(error.powRefusal, null, `powRefusal with the ${reason} text`);
      equal(error.challengeRejected, false, 'challengeRejected');
    }
  });

  it('without a reason, the hosted API\'s documented details decide (400 and 403 only)', async () => {
    for (const reason of POW_REFUSAL_REASONS) {
      equal((await errorFromResponse(problem({ detail: HOSTED_POW_DETAILS[reason] }))).powRefusal, reason, `400 ${reason}`);
      equal((await errorFromResponse(problem({ detail: HOSTED_POW_DETAILS[reason] }, 403))).powRefusal, reason, `403 ${reason}`);
      equal((await errorFromResponse(problem({ detail: HOSTED_POW_DETAILS[reason] }, 500))).powRefusal, null, `500 ${reason}`);
    }
    equal((await errorFromResponse(problem({ detail: 'Refused.' }))).powRefusal, null, 'a detail that names no challenge');
  });
});

describe('the reference server refuses solutions with those refusals', () => {
  it('no solution: pow_required; a wrong number: pow_invalid; a used solution: pow_replayed', async () => {
    const s = await server({ pow: 'v1', difficulty: 1_000 });
    const session = (solution: string | null) => (fetchFn: FetchLike) => requestAnonymousSession(fetchFn, s.url, s.appId, { solution });

    expectRefusal(await refusal(session(null)), 'pow_required');

    const challenge = await fetchChallenge(fetch, s.url);
    ok(challenge, 'a challenge');
    const solution = await solveChallenge(challenge);
    const payload = JSON.parse(atob(solution)) as { number: number };
    const wrong = btoa(JSON.stringify({ ...payload, number: payload.number + 1 }));
    expectRefusal(await refusal(session(wrong)), 'pow_invalid');

    const first = await requestAnonymousSession(fetch, s.url, s.appId, { solution });
    ok(first.token, 'the solution is accepted once');
    expectRefusal(await refusal(session(solution)), 'pow_replayed');
  });
});

describe('<ink-auth-provider> on PoW refusals', () => {
  for (const reason of POW_REFUSAL_REASONS) {
    it(`a refusal with reason ${reason} (detail naming nothing) makes it solve a new challenge once`, async () => {
      const s = await faulty({ pow: 'v1', difficulty: 1_000 });
      await s.inject('session', { kind: 'status', status: 400, reason, detail: 'Refused by the test.' });
      const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
      equal((await settled(el)).status, 'ready', 'status');
      equal((await s.calls('challenge')).length, 2, 'challenges fetched');
      equal((await s.calls('session')).map((c) => c.status).join(), '400,200', 'session answers');
    });
  }

  it('a refusal with another reason is final, even when its detail is a hosted PoW text', async () => {
    const s = await faulty({ pow: 'v1', difficulty: 1_000 });
    await s.inject('session', { kind: 'status', status: 400, reason: 'origin_not_allowed', detail: HOSTED_POW_DETAILS.pow_expired });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    equal((await settled(el)).status, 'error', 'status');
    equal(el.error?.code, 'bad_request', 'error code');
    equal((await s.calls('challenge')).length, 1, 'challenges fetched');
    equal((await s.calls('session')).length, 1, 'session requests');
  });
});
