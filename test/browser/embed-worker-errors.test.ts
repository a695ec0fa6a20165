// Traps of embedding the workers (issue #16): a worker file that is not where the library looks
// (a 404, or a dev server's HTML page, as Vite ≤ 7 serves without optimizeDeps.exclude) must be
// reported as "not found", not as a CSP refusal; and the final progress event of an easy
// challenge must count the hashes it tried.
import '../../src/index.js';
import { InkAuthError } from '../../src/index.js';
import type { AuthProgress } from '../../src/index.js';
import { solveChallenge } from '../../src/pow/solve.js';
import { configurePowWorker } from '../../src/pow/worker-config.js';
import { explainWorkerFailure } from '../../src/pow/worker-factory.js';
import { v1Challenge } from './helpers/challenges.js';
import { equal, mount, ok, rejection, server, settled } from './helpers/harness.js';

afterEach(() => configurePowWorker({ factory: null, url: null, v2Url: null }));

describe('worker load failures', () => {
  it('a worker file answering 404 is reported as not found, naming the URL, not as CSP', async () => {
    const missing = new URL('/no-such-folder/pow.worker.js', location.href);
    configurePowWorker({ url: missing.href });
    const error = await rejection(solveChallenge(await v1Challenge('salt', 10, 100), { concurrency: 1 }));
    ok(error instanceof InkAuthError && error.code === 'pow_worker_failed', `pow_worker_failed, got ${String(error)}`);
    ok(error.detail.includes('not found'), `detail says not found: ${error.detail}`);
    ok(error.detail.includes(missing.href), `detail names the URL: ${error.detail}`);
    ok(error.detail.includes('HTTP 404'), `detail names the status: ${error.detail}`);
    ok(!/Content-Security-Policy|worker-src/.test(error.detail), `detail must not blame the CSP: ${error.detail}`);
  });

  it('a dev server answering with its HTML page instead of the worker is reported as not found', async () => {
    const htmlPage = (async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })) as typeof fetch;
    const detail = await explainWorkerFailure('v1', htmlPage);
    ok(detail.includes('not found') && detail.includes('text/html'), detail);
    ok(detail.includes('optimizeDeps'), `detail names the Vite fix: ${detail}`);
  });

  it('a worker file that is there but does not start is blamed on the CSP', async () => {
    const script = (async () => new Response('', { headers: { 'content-type': 'text/javascript' } })) as typeof fetch;
    const detail = await explainWorkerFailure('v1', script);
    ok(detail.includes('worker-src') && !detail.includes('not found'), detail);
  });

  it('error messages carry the detail once, without repeating the code', () => {
    const error = new InkAuthError('forbidden', 'Origin not allowed', { status: 403 });
    equal(error.message, 'Origin not allowed', 'message');
    equal(`${error.code}: ${error.message}`, 'forbidden: Origin not allowed', 'code and message as a UI prints them');
  });
});

describe('progress of easy challenges', () => {
  it('the final progress of a challenge solved in the first chunk reports the hashes tried', async () => {
    const progress: number[] = [];
    await solveChallenge(await v1Challenge('easy', 41, 1_000), { concurrency: 2, onProgress: (p) => progress.push(p.hashes) });
    ok(progress.length > 0, 'progress reported');
    ok(progress.at(-1)! >= 42, `final hashes ${progress.at(-1)} (number 41 found: at least 42 tried)`);
  });

  it('the provider\'s `solved` event has hashes > 0', async () => {
    const s = await server({ pow: 'v1', difficulty: 200 });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    const events: AuthProgress[] = [];
    el.addEventListener('ink-auth-progress', (e) => events.push(e.detail));
    equal((await settled(el)).status, 'ready', 'status');
    const solved = events.find((e) => e.phase === 'solved');
    ok(solved, `a solved event among ${JSON.stringify(events)}`);
    ok(solved.hashes > 0, `solved.hashes ${solved.hashes}`);
  });
});
