import { build } from 'esbuild';

/**
 * Bundles benchmark page scripts (classic scripts and workers, minified, for the browser) into
 * `outdir`, one file per entry name.
 */
export async function bundlePageScripts(entryPoints: Record<string, string>, outdir: string): Promise<void> {
  await build({
    entryPoints,
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    platform: 'browser',
    outdir,
    logLevel: 'warning',
  });
}
