import { serverRequests } from './helpers/server.js';
import { equal, ok, server as testServer } from './helpers/harness.js';

describe('browser test infrastructure', () => {
  it('runs in a real engine with IndexedDB and module workers', async () => {
    const open = indexedDB.open('ink-infra-smoke');
    await new Promise((resolve, reject) => {
      open.onsuccess = resolve;
      open.onerror = () => reject(open.error);
    });
    open.result.close();
    const worker = new Worker(new URL('./helpers/echo.worker.js', import.meta.url), { type: 'module' });
    const reply = await new Promise<unknown>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.postMessage(21);
    });
    worker.terminate();
    equal(reply, 42, 'the worker\'s answer');
  });
});

describe('reference-server plugin', () => {
  it('starts a real server on another origin that answers CORS requests, and logs them', async () => {
    const server = await testServer({ pow: 'v1', difficulty: 100 });
    ok(new URL(server.url).origin !== location.origin, 'the server is on another origin than the page');
    const response = await fetch(`${server.url}/run/auth/pow/challenge`);
    const body = (await response.json()) as { algorithm?: string; maxnumber?: number };
    ok(response.status === 200 && body.algorithm === 'SHA-256' && body.maxnumber === 100, `a challenge, got ${response.status} ${JSON.stringify(body)}`);
    const log = await serverRequests(server.id);
    ok(log.some((r) => r.path === '/run/auth/pow/challenge' && r.status === 200), `the request logged: ${JSON.stringify(log)}`);
  });
});
