import { build } from 'esbuild';

/** Where browser tests get the `ai` package from. */
export const AI_SDK_BUNDLE_PATH = '/__ai-sdk__/ai.js';

/**
 * The `ai` package reaches CommonJS modules (`@vercel/oidc` through `@ai-sdk/gateway`) that the
 * dev server cannot serve as ES modules, so bare `ai` imports of tests and of the demo resolve to
 * one esbuild bundle of the package instead — what a page bundler would ship.
 */
export function aiSdkBundlePlugin(root: string) {
  let cached: Promise<string> | null = null;
  return {
    name: 'ink-ai-sdk-bundle',
    resolveImport({ source }: { source: string }) {
      return source === 'ai' ? AI_SDK_BUNDLE_PATH : undefined;
    },
    async serve(context: { path: string }) {
      if (context.path !== AI_SDK_BUNDLE_PATH) return undefined;
      cached ??= build({
        absWorkingDir: root,
        stdin: { contents: "export * from 'ai';", resolveDir: root, loader: 'js' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0]?.text ?? '');
      return { body: await cached, type: 'js' };
    },
  };
}
