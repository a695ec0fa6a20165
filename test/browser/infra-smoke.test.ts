
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
