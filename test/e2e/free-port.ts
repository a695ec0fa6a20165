import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on right now. The machine is shared, so fixed ports (3030,
 * 5173) may be taken; for servers that cannot listen on port 0 themselves (Vite's dev server
 * treats 0 as "default").
 */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
