// Workers started while the challenge is in flight: the pool exists before the challenge answer,
// solves it (no second pool), and is terminated after solving, on a 404 (no proof of work) and
// on disconnect. The challenge is slowed down by the fault proxy (helpers/faults.ts).
import '../../src/index.js';
import { configurePowWorker } from '../../src/index.js';
import type { InkAuthProvider } from '../../src/index.js';
import { poolSize } from '../../src/pow/solve.js';
import { faulty } from './helpers/faults.js';
import { equal, eventually, mount, ok, onCleanup, settled } from './helpers/harness.js';
import { spyOnPowWorkers } from './helpers/workers.js';

const CHALLENGE_DELAY_MS = 1_500;
const DISCONNECT_DELAY_MS = 5_000;

describe('PoW workers started while the challenge is in flight', () => {
  it('the pool is created before the challenge answer, solves it, and is terminated after solving', async () => {
    const workers = spyOnPowWorkers();
    const s = await faulty({ pow: 'v1', difficulty: 20_000 });
    await s.inject('challenge', { kind: 'delay', ms: CHALLENGE_DELAY_MS });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    let challenge = await s.calls('challenge');
    for (let polls = 0; challenge.length === 0 && polls < 100; polls++) {
      await new Promise((r) => setTimeout(r, 20));
      challenge = await s.calls('challenge');
    }
    equal(challenge.length, 1, 'challenge requests');
    ok(workers.formats.length > 0, 'workers exist once the challenge request is out');
    equal(challenge[0]!.status, 0, 'the challenge is still unanswered');
    equal((await settled(el)).status, 'ready', 'ready');
    equal(workers.formats.length, poolSize(), 'one pool: the pre-started workers solved the challenge');
    equal(workers.live(), 0, 'live workers after solving');
  });

  it('a 404 challenge (no proof of work) terminates the pre-started workers; renewals then start none', async () => {
    const workers = spyOnPowWorkers();
    const s = await faulty({ pow: 'off' });
    await s.inject('challenge', { kind: 'delay', ms: CHALLENGE_DELAY_MS });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    await eventually(() => workers.formats.length > 0, 'workers created');
    equal((await settled(el)).status, 'ready', 'ready without proof of work');
    equal(workers.live(), 0, 'live workers after the 404');
    const afterFirst = workers.formats.length;
    await el.refresh();
    await el.refresh();
    equal(el.status, 'ready', 'ready after renewals');
    equal(workers.formats.length, afterFirst, 'no workers ahead of challenges the server does not send');
  });

  it('disconnecting while the challenge is in flight terminates them and sends no session request', async () => {
    const workers = spyOnPowWorkers();
    const s = await faulty({ pow: 'v1', difficulty: 20_000 });
    await s.inject('challenge', { kind: 'delay', ms: DISCONNECT_DELAY_MS });
    const el: InkAuthProvider = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    await eventually(() => workers.formats.length > 0, 'workers created');
    el.remove();
    // Well before the delayed challenge answer (DISCONNECT_DELAY_MS) could end them.
    await eventually(() => workers.live() === 0, 'the workers terminated on disconnect', DISCONNECT_DELAY_MS / 2);
    await new Promise((r) => setTimeout(r, DISCONNECT_DELAY_MS));
    equal(workers.live(), 0, 'live workers after the challenge answer arrived');
    equal((await s.calls('session')).length, 0, 'no session request after disconnect');
  });

  it('a worker factory that refuses does not break a server that asks for no proof of work', async () => {
    let asked = 0;
    configurePowWorker({
      factory: () => {
        asked++;
        throw new Error('workers are forbidden here');
      },
    });
    onCleanup(() => configurePowWorker({ factory: null }));
    const s = await faulty({ pow: 'off' });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    const state = await settled(el);
    equal(state.status, 'ready', `status (error: ${state.error?.code})`);
    ok(asked > 0, 'the workers were asked for ahead of the challenge');
  });

  it('the same refusal with proof of work on is pow_worker_failed', async () => {
    configurePowWorker({
      factory: () => {
        throw new Error('workers are forbidden here');
      },
    });
    onCleanup(() => configurePowWorker({ factory: null }));
    const s = await faulty({ pow: 'v1', difficulty: 1_000 });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    const state = await settled(el);
    equal(state.status, 'error', 'status');
    equal(state.error?.code, 'pow_worker_failed', 'code');
  });
});
