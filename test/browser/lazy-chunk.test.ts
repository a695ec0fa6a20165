// loadOnce, behind every lazy chunk (acquisition, signed-in user, pairing): one load shared by
// concurrent callers, and a failed load (offline, a CDN error) retried by the next call.
import { InkAuthError } from '../../src/errors.js';
import { loadOnce } from '../../src/session/lazy-chunk.js';
import { equal, ok, rejection } from './helpers/harness.js';

describe('loadOnce (lazy chunks)', () => {
  it('shares one load between callers and keeps its module', async () => {
    let loads = 0;
    const load = loadOnce('test', async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([load(), load()]);
    equal(loads, 1, 'loads for two concurrent callers');
    ok(a === b, 'the same module');
    ok((await load()) === a, 'later calls reuse it');
    equal(loads, 1, 'loads after success');
  });

  it('a failed load is a retryable network_error naming the module, and the next call loads again', async () => {
    let loads = 0;
    const load = loadOnce('pairing', async () => {
      if (++loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'module';
    });
    const error = await rejection(load());
    ok(error instanceof InkAuthError, 'an InkAuthError');
    equal(error.code, 'network_error', 'code');
    equal(error.retryable, true, 'retryable');
    equal(error.message, 'The pairing module could not be loaded.', 'message');
    equal(await load(), 'module', 'the retry loads it');
    equal(loads, 2, 'loads');
  });
});
