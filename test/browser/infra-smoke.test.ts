import { startServer, serverRequests, stopServer } from './helpers/server.js';


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
    if (reply !== 42) throw new Error(`worker answered ${String(reply)}`);
  });
});

describe('reference-server plugin', () => {
  it('starts a real server on another origin that answers CORS requests, and logs them', async () => {
    const server = await startServer({ pow: 'v1', difficulty: 100 });
    try {
      if (new URL(server.url).origin === location.origin) throw new Error('server shares the page origin');
      const response = await fetch(`${server.url}/run/auth/pow/challenge`);
      const body = (await response.json()) as { algorithm?: string; maxnumber?: number };
      if (response.status !== 200 || body.algorithm !== 'SHA-256' || body.maxnumber !== 100) {
        throw new Error(`unexpected challenge ${response.status} ${JSON.stringify(body)}`);
      }
      const log = await serverRequests(server.id);
      if (!log.some((r) => r.path === '/run/auth/pow/challenge' && r.status === 200)) {
        throw new Error(`request not logged: ${JSON.stringify(log)}`);
      }
    } finally {
      await stopServer(server.id);
    }
  });
});
