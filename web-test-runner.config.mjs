// Browser tests in real engines: Chromium, Firefox ESR and WebKitGTK, all from Debian packages.
// Run through scripts/test-browsers.mjs, which starts Xvfb and WebKitWebDriver for WebKit and
// loads this file with the tsx loader (the reference-server plugin is TypeScript).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { referenceServerPlugin } from './test/browser/plugins/reference-server-plugin.ts';
import { tsSourceMiddleware } from './test/browser/plugins/ts-source-middleware.ts';
import { embedFixtureMiddleware } from './test/browser/plugins/embed-fixture-middleware.ts';
import { bundleCopyPlugin } from './test/browser/plugins/bundle-copy-plugin.ts';
import { aiSdkBundlePlugin } from './test/browser/plugins/ai-sdk-bundle-plugin.ts';
import { faultProxyPlugin } from './test/browser/plugins/fault-proxy-plugin.ts';
import { faultPagesMiddleware } from './test/browser/plugins/fault-proxy-pages.ts';

const wanted = (process.env.INK_BROWSERS ?? 'chromium,firefox,webkit').split(',').map((b) => b.trim());
const webdriverPort = Number(process.env.INK_WEBDRIVER_PORT ?? 4444);

const launchers = {
  chromium: () =>
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          // perf-memory.test.ts calls gc() before sampling the heap.
          '--js-flags=--expose-gc',
        ],
      },
    }),
  firefox: () =>
    puppeteerLauncher({
      launchOptions: {
        browser: 'firefox',
        executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
        headless: true,
      },
    }),
  webkit: () =>
    webdriverLauncher({
      automationProtocol: 'webdriver',
      hostname: '127.0.0.1',
      port: webdriverPort,
      path: '/',
      capabilities: {
        // No browserName: WebKitWebDriver refuses to match when it is set.
        'webkitgtk:browserOptions': {
          binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          args: ['--automation'],
        },
      },
    }),
};

for (const name of wanted) {
  if (!(name in launchers)) throw new Error(`INK_BROWSERS: unknown browser "${name}" (use chromium, firefox, webkit)`);
}

const root = fileURLToPath(new URL('.', import.meta.url));
if (!existsSync(`${root}node_modules`)) throw new Error('run npm ci first');

export default {
  rootDir: root,
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  browsers: wanted.map((name) => launchers[name]()),
  // One test file at a time per engine (WebKitGTK's driver runs one session at a time), the
  // engines side by side: a file spends most of its time waiting (on the server, timers, its
  // workers), so three engines on two cores take little more than the slowest one alone.
  concurrency: 1,
  concurrentBrowsers: 3,
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 30_000 } },
  middleware: [faultPagesMiddleware(), tsSourceMiddleware(root), embedFixtureMiddleware()],
  plugins: [aiSdkBundlePlugin(root), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: `${root}tsconfig.browser.json` }), referenceServerPlugin(), faultProxyPlugin(), bundleCopyPlugin(root)],
};
