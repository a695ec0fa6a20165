import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePageScripts } from '../page-bundle.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Bundles the benchmark page and its worker into a fresh temp directory; returns the directory. */
export async function buildBenchPage(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'ink-auth-bench-'));
  await bundlePageScripts({ page: join(here, 'browser/page.ts'), 'solver.worker': join(here, 'browser/solver.worker.ts') }, outdir);
  await writeFile(
    join(outdir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>ink-auth pow bench</title><script src="./page.js"></script>\n',
  );
  return outdir;
}
