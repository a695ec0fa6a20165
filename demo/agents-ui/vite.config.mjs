// The hosted widget demo: `npm run build:demos` builds it into demo/agents-ui/dist (relative URLs).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'error',
  esbuild: { jsx: 'automatic' },
  // The library starts its worker from new URL('./pow.worker.js', import.meta.url): keep it out of
  // dependency pre-bundling, which would move the module away from its worker file.
  optimizeDeps: { exclude: ['ink-auth'] },
  // The widget is large (React, Radix, markdown); one chunk is fine for a demo.
  // Three pages: index.html (the widget signed in by ink-auth), anonymous.html (the widget alone),
  // signed-in.html (the widget for the site's signed-in user, through ink-auth).
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { main: 'index.html', anonymous: 'anonymous.html', 'signed-in': 'signed-in.html' } },
  },
});
