/**
 * Vite serves and builds the demo page (`index.html` + `demo/`, the library from `src/`):
 *
 *   npm start        Vite's dev server with hot reload on http://localhost:5173 (scripts/start.ts
 *                    starts the reference API on its own origin first, then this)
 *   npx vite build   the demo for production, into demo/dist/
 *   npx vite         the dev server alone, against INK_AUTH_API_URL (default http://127.0.0.1:3030)
 *
 * The page keeps its strict Content-Security-Policy in every mode (see `demoCsp`): no inline
 * script, no eval, no blob: workers, connections only to the API. Vite's dev server adds one
 * script to the page, its HMR client, as `<script type="module" src="/@vite/client">`: a
 * same-origin module file (no inline code, no eval), which `script-src 'self'` allows as it is.
 * That client talks to the dev server over a WebSocket on the page's own host, so in dev only,
 * `connect-src` also lists `'self'` and `ws://<host>`. (Its error overlay styles itself with an
 * inline <style>, which `style-src 'self'` blocks: a compile error shows unstyled in the page and
 * in full in the terminal.)
 *
 * Vite is pinned to ~8.3.8 (rolldown): 8.4 adds the optional dependency
 * napi-windows-process-start-time, which the registry answers with 404, so `npm install` leaves
 * it out of the lock file and `npm ci` then rejects the lock. 8.3.8's lock installs cleanly with
 * `npm ci` (all rolldown platform bindings are in it); Vite 8 needs esbuild ^0.27 || ^0.28.
 *
 * The library build stays on esbuild (scripts/build.mjs). Measured 2026-12-01: Vite 8.3.8 library
 * mode (`build.lib`, ES format, entry src/index.ts, minified, production define) against esbuild
 * 0.28.2 (`npm run build`), bytes raw / gzip -9 (Vite 7.3.8 gave the same verdict):
 * - Workers (decisive): library mode inlines assets, so the library's
 *   `new URL('./pow.worker.js', import.meta.url)` became a `data:video/mp2t;base64,…` URL of the
 *   worker's TypeScript source inside the entry — unusable, and `data:` workers are what the
 *   strict-CSP promise forbids. Rewritten to `?worker&url` (the `powWorkerFiles` plugin below),
 *   the workers did become files, but in `assets/` under hashed names with root-absolute URLs
 *   (`/assets/pow.worker-CGBRfWuh.js`), not beside the entry as the package's `./pow.worker.js`
 *   export and a script on a CDN path need. esbuild writes dist/pow.worker.js and
 *   dist/pow-v2.worker.js there.
 * - Chunking: Vite cut the eager code in two files (the entry, 29 615 / 9 268, plus a chunk it
 *   shares with pairing mode, 17 238 / 5 902), which is what esbuild's lazyChunksShareTheEntry
 *   plugin exists to avoid; esbuild: a 306 B entry re-exporting one shared chunk. Pairing mode is
 *   a lazy chunk in both.
 * - Bytes: eager code 46 853 / 15 170 with Vite against 37 284 / 13 106 with esbuild (the
 *   script-tag budget is 15 360 gzip); pairing chunk 32 495 / 10 486 against 27 173 / 9 785; v1
 *   worker 4 967 / 2 480 against 4 899 / 2 558.
 * So the library stays on esbuild. The demo build here has no such limit: an app build emits the
 * workers as self-contained files next to the code that starts them (`powWorkerFiles`).
 */
import { defineConfig, type Connect, type Plugin, type UserConfig } from 'vite';

/** Where the demo page's library calls go unless told otherwise (`npm run server`'s address). */
export const DEFAULT_API_URL = 'http://127.0.0.1:3030';

/** The demo page's Content-Security-Policy: what a careful website would send. */
export function demoCsp(options: { apiOrigin: string; devHost?: string | undefined }): string {
  const connect = options.devHost ? `'self' ws://${options.devHost} ${options.apiOrigin}` : options.apiOrigin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    `connect-src ${connect}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The page's headers on the dev and preview servers: the CSP (with the HMR socket in dev),
 * `nosniff`, and no caching, so a reload always shows the current code.
 */
function strictCspHeaders(apiOrigin: string): Plugin {
  const headers =
    (dev: boolean): Connect.NextHandleFunction =>
    (req, res, next) => {
      res.setHeader('content-security-policy', demoCsp({ apiOrigin, devHost: dev ? req.headers.host : undefined }));
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('cache-control', 'no-store');
      next();
    };
  return {
    name: 'ink-auth:strict-csp-headers',
    configureServer: (server) => void server.middlewares.use(headers(true)),
    configurePreviewServer: (server) => void server.middlewares.use(headers(false)),
  };
}

/**
 * Points the page at the API (index.html names the default address) and, in a build, carries the
 * CSP in a `<meta>` so the built page keeps it on any static host. (`frame-ancestors` works only
 * as a header, so the meta leaves it out.)
 */
function demoPage(apiOrigin: string): Plugin {
  return {
    name: 'ink-auth:demo-page',
    transformIndexHtml(html, context) {
      const page = html.replaceAll(DEFAULT_API_URL, apiOrigin);
      if (context.server) return page;
      const csp = demoCsp({ apiOrigin }).replace("; frame-ancestors 'none'", '');
      return { html: page, tags: [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: csp }, injectTo: 'head-prepend' }] };
    },
  };
}

/**
 * The library names its workers by their built names beside the module that starts them
 * (`new URL('./pow.worker.js', import.meta.url)`, as in dist/). Vite would copy the worker's
 * TypeScript source as a plain asset for that URL; this points it at Vite's own worker bundle
 * instead (`?worker&url`): a self-contained module file in the build's assets, no blob:, no data:.
 */
function powWorkerFiles(): Plugin {
  const workerUrl = /new URL\((['"])\.\/([\w-]+\.worker)\.js\1, import\.meta\.url\)/g;
  return {
    name: 'ink-auth:pow-worker-files',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('/src/') || !id.endsWith('.ts')) return undefined;
      const imports: string[] = [];
      const rewritten = code.replace(workerUrl, (_match, _quote, name: string) => {
        const binding = `__inkAuthWorkerUrl${imports.length}`;
        imports.push(`import ${binding} from './${name}.ts?worker&url';`);
        return `new URL(${binding}, import.meta.url)`;
      });
      return imports.length ? { code: `${imports.join('\n')}\n${rewritten}`, map: null } : undefined;
    },
  };
}

/**
 * `POST /demo/user-token` → `{token}`: the demo site's backend signing its signed-in user's JWT
 * (scripts/demo-sign-in.ts, with a key made at start). Without a signer (plain `npx vite`, a
 * build) it answers 404 with a JSON error the page shows.
 */
function demoUserTokens(sign: (() => Promise<string>) | undefined): Plugin {
  return {
    name: 'ink-auth:demo-user-tokens',
    configureServer: (server) =>
      void server.middlewares.use('/demo/user-token', (request, response) => {
        const reply = (status: number, body: object) => {
          response.statusCode = status;
          response.setHeader('content-type', 'application/json');
          response.setHeader('cache-control', 'no-store');
          response.end(JSON.stringify(body));
        };
        if (request.method !== 'POST') return reply(405, { error: 'POST only' });
        if (!sign) return reply(404, { error: 'The demo sign-in runs with npm start only.' });
        sign().then((token) => reply(200, { token }), () => reply(500, { error: 'The demo user token could not be signed.' }));
      }),
  };
}

/** The demo's Vite configuration; `scripts/start.ts` and the e2e tests pass their own API and port. */
export function demoConfig(options: { apiUrl?: string; port?: number; signUserToken?: (() => Promise<string>) | undefined } = {}): UserConfig {
  const apiOrigin = new URL(options.apiUrl ?? DEFAULT_API_URL).origin;
  return {
    root: import.meta.dirname,
    appType: 'mpa', // one page: unknown paths are 404s, not index.html
    clearScreen: false,
    plugins: [strictCspHeaders(apiOrigin), demoPage(apiOrigin), powWorkerFiles(), demoUserTokens(options.signUserToken)],
    server: {
      host: 'localhost',
      port: options.port ?? 5173,
      strictPort: true,
      // The dev server serves files under the root: keep the server's SQLite data out of reach.
      fs: { deny: ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/.data/**'] },
    },
    // Only the demo page's imports are pre-bundled (not the React/Vue demos' or test fixtures').
    optimizeDeps: { entries: ['index.html'] },
    preview: { host: 'localhost', port: options.port ?? 4173, strictPort: true },
    worker: { format: 'es' },
    build: {
      outDir: 'demo/dist',
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
    },
  };
}

export default defineConfig(() =>
  demoConfig({
    apiUrl: process.env.INK_AUTH_API_URL,
    port: process.env.DEMO_PORT ? Number(process.env.DEMO_PORT) : undefined,
  }),
);
