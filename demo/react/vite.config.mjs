// React 19 demo: `npm run build:demos` builds it into demo/react/dist (relative URLs, so it can
// be served from any path). JSX is compiled by Vite's built-in transform (automatic runtime).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  // The library starts its worker from new URL('./pow.worker.js', import.meta.url): keep it out of
  // dependency pre-bundling, which would move the module away from its worker file.
  optimizeDeps: { exclude: ['ink-auth'] },
  build: { outDir: 'dist', emptyOutDir: true },
});
