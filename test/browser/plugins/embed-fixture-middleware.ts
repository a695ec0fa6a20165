interface KoaContext {
  path: string;
  url: string;
  method: string;
  query: Record<string, string | string[] | undefined>;
  set(name: string, value: string): void;
}

/** `/csp-worker/<variant>/dist/…`: the bundle whose workers get the variant's policy. */
const WORKER_POLICY_PATH = /^\/csp-worker\/(wasm|strict)\/(?=dist\/)/;

/** Only loopback http origins (the reference servers and this dev server) may enter a policy. */
const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost):\d{1,5}$/;

function origin(value: string | string[] | undefined, name: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !LOOPBACK_ORIGIN.test(value)) {
    throw new Error(`embed fixtures: ?${name}= must be a loopback http origin, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Dev-server middleware for the embedding tests (test/browser/embed-*.test.ts):
 * - pages under /test/fixtures/csp/ are served with a strict Content-Security-Policy:
 *   `script-src 'self'; worker-src 'self'; connect-src <api>` and nothing inline, eval or blob:.
 *   `?api=` names the reference server; `?cdn=` adds a script origin; `?blob=1` adds `worker-src blob: <cdn>`
 *   (a blob: worker importing the CDN's worker script is checked against worker-src); `?wasm=1`
 *   adds `'wasm-unsafe-eval'` to script-src (a blob: worker inherits the page's policy).
 * - /dist/ files carry `Access-Control-Allow-Origin: *`, as a CDN does, so a page on another
 *   origin (localhost vs 127.0.0.1) can load the bundle and its worker as module scripts.
 * - /csp-worker/<variant>/dist/… serves /dist/… and gives the PoW workers a policy of their own
 *   (a worker's CSP comes with its script): `script-src 'self'` for `strict`, plus
 *   `'wasm-unsafe-eval'` for `wasm`, so a test sees which hash kernel each policy gets.
 */
export function embedFixtureMiddleware() {
  return async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const workerPolicy = WORKER_POLICY_PATH.exec(ctx.path);
    if (workerPolicy) {
      ctx.url = ctx.url.slice(`/csp-worker/${workerPolicy[1]}`.length);
      await next();
      if (/\/pow(-v2)?\.worker\.js$/.test(ctx.path)) {
        const wasm = workerPolicy[1] === 'wasm' ? " 'wasm-unsafe-eval'" : '';
        ctx.set('Content-Security-Policy', `default-src 'none'; script-src 'self'${wasm}`);
      }
      return;
    }
    await next();
    if (ctx.path.startsWith('/dist/')) {
      ctx.set('Access-Control-Allow-Origin', '*');
      return;
    }
    if (!ctx.path.startsWith('/test/fixtures/csp/') || !ctx.path.endsWith('.html')) return;
    const api = origin(ctx.query.api, 'api');
    const cdn = origin(ctx.query.cdn, 'cdn');
    const scripts = ["'self'", ...(cdn ? [cdn] : []), ...(ctx.query.wasm === '1' ? ["'wasm-unsafe-eval'"] : [])].join(' ');
    const workers = ["'self'", ...(ctx.query.blob === '1' ? ['blob:', ...(cdn ? [cdn] : [])] : [])].join(' ');
    ctx.set(
      'Content-Security-Policy',
      `default-src 'none'; script-src ${scripts}; worker-src ${workers}; connect-src ${api ?? "'none'"}; base-uri 'none'; form-action 'none'`,
    );
  };
}
