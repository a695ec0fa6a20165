import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launch, type Browser, type Page } from 'puppeteer-core';
import { startServer, type RunningServer } from '../../server/index.js';
import { startBuiltDemo, type DemoServer } from './demo-servers.js';

const TABS = 10;
const provider = `document.querySelector('ink-auth-provider')`;

/** Real browsers from Debian packages; Firefox ESR is driven over WebDriver BiDi. */
const engines: Record<string, () => Promise<Browser>> = {
  chromium: () =>
    launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    }),
  firefox: () => launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: true }),
};

interface Counts {
  challenges: number;
  sessions: number;
}

async function statusOf(page: Page): Promise<{ status: string; anonId: string | null }> {
  return (await page.evaluate(`({ status: ${provider}?.status ?? 'missing', anonId: ${provider}?.anonId ?? null })`)) as { status: string; anonId: string | null };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const [engine, start] of Object.entries(engines)) {
  /**
   * Ten tabs of one browser profile on the demo page as `vite build` makes it (served by
   * `vite preview`, its own origin), the API on another.
   */
  describe(`${TABS} tabs at once (${engine})`, () => {
    let api: RunningServer;
    let demo: DemoServer;
    let browser: Browser;
    let buildDir: string;
    const requests: string[] = [];
    const counts = (): Counts => ({
      challenges: requests.filter((r) => r.startsWith('GET /run/auth/pow/challenge')).length,
      sessions: requests.filter((r) => r.startsWith('POST ') && r.includes('/anonymous-session')).length,
    });

    before(async () => {
      buildDir = await mkdtemp(path.join(os.tmpdir(), 'ink-tabs-'));
      api = await startServer({
        log: () => {},
        onRequest: (entry) => requests.push(`${entry.method} ${entry.path} ${entry.status}`),
        config: { pow: { hmacSecret: randomBytes(32).toString('hex'), difficulty: 50_000, ttlSeconds: 600, format: 'v1' } },
      });
      demo = await startBuiltDemo(api.url, buildDir);
      browser = await start();
    });

    after(async () => {
      await browser?.close();
      await demo?.close();
      await api?.close();
      await rm(buildDir, { recursive: true, force: true });
    });

    it('one challenge and one session request; every tab the same anon_ id; reset() in one tab moves them all', async () => {
      const problems: string[] = [];
      const pages = await Promise.all(Array.from({ length: TABS }, () => browser.newPage()));
      for (const page of pages) page.on('pageerror', (error) => problems.push(String(error)));
      const responses = await Promise.all(pages.map((page) => page.goto(demo.url)));
      assert.match(responses[0]?.headers()['content-security-policy'] ?? '', /script-src 'self'; worker-src 'self'; connect-src http/);
      const html = String(await responses[0]?.text());
      assert.match(html, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/, 'the built page');
      const metaCsp = String(await pages[0]!.evaluate(`document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content`));
      assert.match(metaCsp, /^default-src 'self'; script-src 'self'; worker-src 'self'; connect-src http:/, 'the built page carries its CSP');

      const first = await eventually(
        () => Promise.all(pages.map(statusOf)),
        (all) => all.every((s) => s.status === 'ready' || s.status === 'error'),
        'every tab settled',
      );
      assert.deepEqual(first.map((s) => s.status), Array(TABS).fill('ready'));
      const ids = new Set(first.map((s) => s.anonId));
      const opened = counts();
      console.log(`${engine}: ${TABS} tabs opened at once → ${opened.challenges} challenge, ${opened.sessions} session request(s), ${ids.size} anon_ id(s)`);
      assert.equal(ids.size, 1, 'one identity across the tabs');
      assert.match(String([...ids][0]), /^anon_/);
      assert.deepEqual(opened, { challenges: 1, sessions: 1 }, requests.join('\n'));

      const before = [...ids][0];
      requests.length = 0;
      await pages[3]!.evaluate(`${provider}.reset()`);
      const moved = await eventually(
        () => Promise.all(pages.map(statusOf)),
        (all) => all.every((s) => s.status === 'ready' && s.anonId !== before),
        'every tab on the new identity',
      );
      const after = new Set(moved.map((s) => s.anonId));
      const reset = counts();
      console.log(`${engine}: reset() in one tab → ${reset.challenges} challenge, ${reset.sessions} session request(s), ${after.size} anon_ id(s)`);
      assert.equal(after.size, 1, 'one new identity across the tabs');
      assert.deepEqual(reset, { challenges: 1, sessions: 1 }, requests.join('\n'));
      assert.deepEqual(problems, []);
      await Promise.all(pages.map((page) => page.close()));
    });
  });
}
