// Fresh apps for clean-clone.test.ts: a fixture (test/fixtures/apps/<kind>) copied into a temp
// dir with a package.json naming the packed tarball and dependencies from the npm registry.
import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './build.js';
import { runCommand } from './run-command.js';

export type AppKind = 'react18' | 'react19' | 'vue3';

/** The current majors a new user gets, React 18 kept for its still many apps. */
const DEPENDENCIES: Record<AppKind, Record<string, string>> = {
  react18: { react: '^18.3.1', 'react-dom': '^18.3.1', '@types/react': '^18.3.0', '@types/react-dom': '^18.3.0' },
  react19: { react: '^19.0.0', 'react-dom': '^19.0.0', '@types/react': '^19.0.0', '@types/react-dom': '^19.0.0' },
  vue3: { vue: '^3.5.0', '@vitejs/plugin-vue': '^6.0.0', 'vue-tsc': '^3.0.0' },
};
const TOOLS = { vite: '^8.0.0', typescript: '~5.9.3' };

/**
 * Environment of every npm call: one npm cache for the clone and the three apps (kept between
 * runs, so a second run installs offline), no audit or funding noise, no browser download.
 */
export function npmEnv(cacheDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_cache: cacheDir,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    PUPPETEER_SKIP_DOWNLOAD: '1',
  };
  // NODE_ENV=production would make npm leave out devDependencies; CI sets NODE_ENV=test.
  delete env.NODE_ENV;
  return env;
}

/** Creates `<parent>/<kind>` from its fixture and installs it with the tarball. Returns the dir. */
export async function createApp(kind: AppKind, parent: string, tarball: string, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = path.join(parent, kind);
  const fixture = path.join(root, 'test/fixtures/apps', kind === 'vue3' ? 'vue' : 'react');
  cpSync(fixture, dir, { recursive: true });
  if (kind !== 'vue3') {
    // React 19 renders the bare tags too; React 18 gets a stand-in (see the fixture files).
    const version = kind === 'react19' ? 'react19' : 'react18';
    renameSync(path.join(dir, `src/bare-tags.${version}.tsx`), path.join(dir, 'src/bare-tags.tsx'));
    rmSync(path.join(dir, 'src', `bare-tags.${version === 'react19' ? 'react18' : 'react19'}.tsx`));
  }
  const manifest = {
    name: `ink-auth-${kind}-app`,
    private: true,
    type: 'module',
    dependencies: { 'ink-auth': `file:${tarball}`, ...DEPENDENCIES[kind] },
    devDependencies: TOOLS,
  };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await runCommand('npm', ['install', '--no-package-lock'], { cwd: dir, env, timeoutMs: 6 * 60_000 });
  return dir;
}

/** The app's own type check: tsc (and under moduleResolution "node" too) or vue-tsc. */
export async function typeCheck(kind: AppKind, dir: string): Promise<void> {
  const bin = (file: string) => path.join(dir, 'node_modules', file);
  const options = { cwd: dir, timeoutMs: 4 * 60_000 };
  if (kind === 'vue3') await runCommand(process.execPath, [bin('vue-tsc/bin/vue-tsc.js'), '--noEmit', '-p', '.'], options);
  else await runCommand(process.execPath, [bin('typescript/bin/tsc'), '-p', '.'], options);
  await runCommand(process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.node10.json'], options);
}

/** `vite build` into `<dir>/dist`. */
export async function viteBuild(dir: string): Promise<string> {
  // CI exports NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  await runCommand(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: dir, env, timeoutMs: 4 * 60_000 });
  return path.join(dir, 'dist');
}
