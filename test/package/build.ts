import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root (absolute, with a trailing slash). */
export const root = fileURLToPath(new URL('../../', import.meta.url));

let built = false;

/**
 * Runs `npm run build` once per test process, so every test checks output of the current source.
 * Under `npm test` (scripts/test-all.mjs, INK_DIST_BUILT=1) the run built dist/ from this checkout
 * before any suite, and the browsers read it meanwhile: it is not rebuilt (deleted) under them.
 */
export function buildOnce(): void {
  if (built || process.env.INK_DIST_BUILT === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}
