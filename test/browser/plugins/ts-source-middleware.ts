import { existsSync } from 'node:fs';
import path from 'node:path';

interface KoaContext {
  path: string;
  url: string;
}

/**
 * Dev-server middleware. Sources import each other with `.js` extensions (ESM discipline) and the
 * PoW worker is started from `new URL('./pow.worker.js', import.meta.url)`. Under the test runner
 * those `.js` files are really the `.ts` sources: rewrite such requests so that esbuild serves the
 * transformed TypeScript file.
 */
export function tsSourceMiddleware(root: string) {
  return async (ctx: KoaContext, next: () => Promise<unknown>) => {
    if (ctx.path.endsWith('.js') && !ctx.path.includes('/node_modules/')) {
      const jsFile = path.join(root, decodeURIComponent(ctx.path));
      const tsFile = jsFile.slice(0, -3) + '.ts';
      if (!existsSync(jsFile) && existsSync(tsFile)) {
        ctx.url = ctx.path.slice(0, -3) + '.ts' + ctx.url.slice(ctx.path.length);
      }
    }
    return next();
  };
}
