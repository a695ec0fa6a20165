interface KoaContext {
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

const PAGE = '/__fault-pages/library.html';

/**
 * Dev-server middleware for the fault tests: `/__fault-pages/library.html` is a page that
 * records unhandled rejections in `window.__unhandled` and loads the library.
 * - `?workers=none` serves it with `Content-Security-Policy: worker-src 'none'`.
 * - `?clockOffsetMs=N` shifts `Date.now()` by N ms before the library loads (a wrong clock).
 */
export function faultPagesMiddleware() {
  return async (ctx: KoaContext, next: () => Promise<unknown>) => {
    if (ctx.path !== PAGE) return next();
    const offset = Number(typeof ctx.query.clockOffsetMs === 'string' ? ctx.query.clockOffsetMs : 0);
    if (!Number.isInteger(offset) || Math.abs(offset) > 86_400_000) throw new Error('fault pages: clockOffsetMs must be an integer within a day');
    if (ctx.query.workers === 'none') ctx.set('Content-Security-Policy', "worker-src 'none'");
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Type', 'text/html; charset=utf-8');
    ctx.status = 200;
    ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>fault page</title>
<script>
  window.__unhandled = [];
  addEventListener('unhandledrejection', (event) => window.__unhandled.push(String(event.reason)));
  if (${offset} !== 0) {
    const realNow = Date.now.bind(Date);
    Date.now = () => realNow() + ${offset};
  }
</script>
<script type="module">
  import '/src/index.js';
  window.__libraryLoaded = true;
</script></head><body></body></html>`;
  };
}
