import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** A loopback static server for one directory (the bundled bench page). */
export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `root` on an ephemeral 127.0.0.1 port, without cache headers; files under
 * `cachedUnder` (a first path segment, e.g. `cached`) get `Cache-Control: public, max-age=3600`
 * instead, as a CDN serves a versioned bundle.
 */
export async function serveDirectory(root: string, cachedUnder?: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(root, path === '' ? 'index.html' : path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const cached = cachedUnder !== undefined && path.split(/[/\\]/)[0] === cachedUnder;
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...(cached ? { 'cache-control': 'public, max-age=3600' } : {}) }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bench server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
