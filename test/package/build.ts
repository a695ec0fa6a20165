import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root (absolute, with a trailing slash). */
export const root = fileURLToPath(new URL('../../', import.meta.url));

let built = false;

/** Runs `npm run build` once per test process, so every test checks output of the current source. */
export function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}
