#!/usr/bin/env node
// `npm run build:demos`: the library build (the demos import the package `ink-auth` itself, through
// its exports map), the demo page's production build (`vite build`, root vite.config.ts, into
// demo/dist), then for demo/react, demo/vue and demo/agents-ui (the hosted platform's widget) a
// strict type check (tsc / vue-tsc, which proves the package's JSX and template typings) and a
// Vite build into demo/<name>/dist.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (file) => path.join(root, 'node_modules', file);

const steps = [
  ['library build', [path.join(root, 'scripts/build.mjs')]],
  // The Lit demo page, as `vite build` builds it from the root vite.config.ts (into demo/dist).
  ['demo page build (vite build)', [bin('vite/bin/vite.js'), 'build']],
  ['React demo type check', [bin('typescript/bin/tsc'), '-p', 'demo/react', '--noEmit']],
  ['Vue demo type check', [bin('vue-tsc/bin/vue-tsc.js'), '-p', 'demo/vue', '--noEmit']],
  ['hosted widget demo type check', [bin('typescript/bin/tsc'), '-p', 'demo/agents-ui', '--noEmit']],
  ['React demo build', [bin('vite/bin/vite.js'), 'build', 'demo/react']],
  ['Vue demo build', [bin('vite/bin/vite.js'), 'build', 'demo/vue']],
  ['hosted widget demo build', [bin('vite/bin/vite.js'), 'build', 'demo/agents-ui']],
];

for (const [label, args] of steps) {
  // CI exports NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`build:demos: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
console.log('build:demos: demo/dist, demo/react/dist, demo/vue/dist and demo/agents-ui/dist are ready');
