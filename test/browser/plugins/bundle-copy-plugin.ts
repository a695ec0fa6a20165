import path from 'node:path';
import { build } from 'esbuild';

/** Where a browser test imports a second, fully bundled copy of the library from. */
export const BUNDLE_COPY_PATH = '/__ink-auth-copy__/index.js';

/**
 * Serves `src/index.ts` bundled with its own Lit and @lit/context at {@link BUNDLE_COPY_PATH}, so a
 * test can prove that a consumer shipping its own copy of the library still finds the provider.
 */
export function bundleCopyPlugin(root: string) {
  let cached: Promise<string> | null = null;
  return {
    name: 'ink-auth-bundle-copy',
    async serve(context: { path: string }) {
      if (context.path !== BUNDLE_COPY_PATH) return undefined;
      cached ??= build({
        absWorkingDir: root,
        entryPoints: [path.join(root, 'src/index.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        tsconfig: path.join(root, 'tsconfig.browser.json'),
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0]?.text ?? '');
      return { body: await cached, type: 'js' };
    },
  };
}
