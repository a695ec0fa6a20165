import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'puppeteer-core';
import { startServer, type RunningServer } from '../../server/index.js';
import { launchChromium } from './chromium.js';
import { startDemoDevServer, type DemoServer } from './demo-servers.js';

const chatShadow = `document.querySelector('ink-demo-chat')?.shadowRoot`;

/**
 * The demo as a newcomer sees it after `npm start`: the page from Vite's dev server (hot reload,
 * strict CSP), the API on another origin.
 */
describe('demo page (npm start)', () => {
  let api: RunningServer;
  let demo: DemoServer;
  let browser: Browser;
  const apiRequests: string[] = [];

  before(async () => {
    api = await startServer({
      log: () => {},
      onRequest: (entry) => apiRequests.push(`${entry.method} ${entry.path} ${entry.status}`),
      config: {
        pow: { hmacSecret: randomBytes(32).toString('hex'), difficulty: 50_000, ttlSeconds: 600, format: 'v1' },
      },
    });
    demo = await startDemoDevServer(api.url);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    await api?.close();
  });

  it('authenticates under its strict CSP, streams a chat reply, and starts from the cache on reload', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    let hmrConnected = false;
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
      if (message.text() === '[vite] connected.') hmrConnected = true;
    });

    const response = await page.goto(demo.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'; worker-src 'self'; connect-src 'self' ws:\/\/localhost:\d+ http:\/\/127\.0\.0\.1:\d+;/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|blob:/);
    assert.match(String(await response?.text()), /<script type="module" src="\/@vite\/client">/, 'served by the Vite dev server, with its HMR client');
    assert.notEqual(new URL(demo.url).origin, new URL(api.url).origin);

    await page.waitForFunction(`${chatShadow}?.querySelector('[data-testid=anon-id]')?.textContent.startsWith('anon_')`, { timeout: 30_000 });
    assert.ok(hmrConnected, "Vite's hot-reload client reached the dev server through the page's CSP");
    const anonId = await page.evaluate(`${chatShadow}.querySelector('[data-testid=anon-id]').textContent`);
    assert.match(String(anonId), /^anon_[0-9a-f-]{36}$/);
    assert.equal(await page.evaluate(`${chatShadow}.querySelector('[data-testid=source]').textContent`), 'network');
    assert.ok(apiRequests.includes('GET /run/auth/pow/challenge 200'), apiRequests.join('\n'));

    await page.focus('ink-demo-chat >>> input');
    await page.keyboard.type('Hello from the test');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`[...${chatShadow}.querySelectorAll('.log .assistant')].some((li) => li.textContent.includes('Hello from the test'))`, { timeout: 10_000 });
    const reply = String(await page.evaluate(`${chatShadow}.querySelector('.log .assistant').textContent`));
    assert.ok(reply.includes(String(anonId)), `the echo names the caller: ${reply}`);

    apiRequests.length = 0;
    await page.reload();
    await page.waitForFunction(`${chatShadow}?.querySelector('[data-testid=source]')?.textContent === 'cache'`, { timeout: 10_000 });
    assert.equal(await page.evaluate(`${chatShadow}.querySelector('[data-testid=anon-id]').textContent`), anonId);
    // The returning visitor's history comes back from the server: the conversation and its messages.
    await page.waitForFunction(`[...${chatShadow}.querySelectorAll('.log .user')].some((li) => li.textContent.includes('Hello from the test'))`, { timeout: 10_000 });
    const titles = String(await page.evaluate(`${chatShadow}.querySelector('[data-testid=conversations]').textContent`));
    assert.ok(titles.includes('Hello from the test'), titles);
    const sessionCalls = apiRequests.filter((line) => line.includes('/run/auth/'));
    assert.deepEqual(sessionCalls, [], 'a cached session needs no auth request');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
