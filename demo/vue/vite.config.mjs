// Vue 3 demo: `npm run build:demos` builds it into demo/vue/dist (relative URLs).
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  plugins: [
    vue({
      // <ink-…> tags are custom elements, not Vue components: leave them to the browser.
      template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('ink-') } },
    }),
  ],
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  // The library starts its worker from new URL('./pow.worker.js', import.meta.url): keep it out of
  // dependency pre-bundling, which would move the module away from its worker file.
  optimizeDeps: { exclude: ['ink-auth'] },
  build: { outDir: 'dist', emptyOutDir: true },
});
