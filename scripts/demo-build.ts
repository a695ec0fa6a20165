import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles the demo page's script (the library + the demo chat element) and the PoW worker into
 * `.demo-build/`. The worker lands beside the bundle, where the library looks for it
 * (`new URL('./pow.worker.js', import.meta.url)`). Returns the output directory.
 */
export async function buildDemo(outdir = `${root}.demo-build`): Promise<string> {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { demo: 'demo/main.ts', 'pow.worker': 'src/pow/pow.worker.ts', 'pow-v2.worker': 'src/pow/pow-v2.worker.ts' },
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  return outdir;
}
