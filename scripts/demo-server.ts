import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the demo page (`index.html`, `demo/*.css`, the bundle) from its own origin, under the
 * strict Content-Security-Policy a careful website would use: no inline script, no eval, no
 * blob: workers, and connections only to the API origin.
 */
export function startDemoServer(options: { port: number; apiUrl: string; bundleDir: string }): Promise<DemoServer> {
  const apiOrigin = new URL(options.apiUrl).origin;
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    `connect-src ${apiOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  const files = (urlPath: string): string | null => {
    if (urlPath === '/' || urlPath === '/index.html') return path.join(root, 'index.html');
    if (urlPath.startsWith('/demo-build/')) return path.join(options.bundleDir, urlPath.slice('/demo-build/'.length));
    if (/^\/demo\/[\w-]+\.css$/.test(urlPath)) return path.join(root, urlPath);
    return null;
  };

  const server = createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://demo').pathname);
    const file = urlPath.includes('..') ? null : files(urlPath);
    try {
      if (!file) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      let body: Buffer | string = await readFile(file);
      if (file.endsWith('index.html')) body = body.toString('utf8').replaceAll('http://127.0.0.1:3030', apiOrigin);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, 'localhost', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        url: `http://localhost:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
