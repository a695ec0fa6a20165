import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePageScripts } from '../page-bundle.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
/** What a site deploys for the script tag: the bundle with its chunks (ink-auth-*.js) and workers beside it. */
const SHIPPED = ['ink-auth.min.js', 'pow.worker.js', 'pow-v2.worker.js'];
const isChunk = (file: string) => /^ink-auth-[\w-]+\.js$/.test(file);

/**
 * A page directory: the built bundle from dist/ as a script tag (its workers same-origin beside it)
 * plus the bench harness. Throws when dist/ is missing (run `npm run build`).
 */
export async function buildTimeToTokenPage(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'ink-auth-ttt-'));
  const chunks = existsSync(join(root, 'dist')) ? (await readdir(join(root, 'dist'))).filter(isChunk) : [];
  for (const file of [...SHIPPED, ...chunks]) {
    const from = join(root, 'dist', file);
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm run build first`);
    await copyFile(from, join(outdir, file));
  }
  await bundlePageScripts({ harness: join(here, 'browser/harness.ts'), warm: join(here, 'browser/warm.ts') }, outdir);
  // Warm start from the page's first script: the element in the page, then the bundle; and the
  // same page's bare IndexedDB read without the bundle (the floor).
  await writeFile(
    join(outdir, 'warm.html'),
    '<!doctype html><meta charset="utf-8"><title>ink-auth warm start</title><body>' +
      '<script src="./warm.js"></script><script type="module" src="./ink-auth.min.js"></script>\n',
  );
  await writeFile(join(outdir, 'floor.html'), '<!doctype html><meta charset="utf-8"><title>IndexedDB floor</title><body><script src="./warm.js"></script>\n');
  await writeFile(
    join(outdir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>ink-auth time to token</title>' +
      '<script type="module" src="./ink-auth.min.js"></script><script src="./harness.js"></script>\n',
  );
  return outdir;
}
