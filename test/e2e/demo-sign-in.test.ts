// The demo's "Sign in as demo user" as `npm start` wires it (scripts/demo-sign-in.ts): a key pair
// made at start, its public key registered on the demo app through the manage API, the Vite dev
// server signing the user's token. In headless Chromium: an anonymous visitor chats, signs in
// (the conversation moves to the user: claim-anonymous), reloads signed in, signs out (a new
// anonymous visitor with no history).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { parseAdminKeys } from '../../server/manage/admin-auth.js';
import { defaultCredentialStores } from '../../server/manage/credential-stores/default-credential-stores.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { DEMO_USER, setUpDemoSignIn } from '../../scripts/demo-sign-in.js';
import { launchChromium } from './chromium.js';
import { startDemoDevServer, type DemoServer } from './demo-servers.js';

const chatShadow = `document.querySelector('ink-demo-chat')?.shadowRoot`;
const identity = (page: Page) => page.evaluate(`${chatShadow}?.querySelector('[data-testid=anon-id]')?.textContent`) as Promise<string | undefined>;
const titles = (page: Page) => page.evaluate(`${chatShadow}.querySelector('[data-testid=conversations]').textContent`) as Promise<string>;

describe('demo page: sign in as the demo user (npm start)', () => {
  let api: RunningServer;
  let demo: DemoServer;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'ink-demo-sign-in-'));

  before(async () => {
    const adminKey = `ink_admin_${randomBytes(24).toString('base64url')}`;
    api = await startServer({
      log: () => {},
      config: {
        pow: null,
        manage: { dbPath: join(dir, 'manage.db'), stores: defaultCredentialStores({ PATH: process.env.PATH }), adminKeys: parseAdminKeys(`tenant_demo:${adminKey}`) },
      },
    });
    const signIn = await setUpDemoSignIn({ apiUrl: api.url, tenantId: 'tenant_demo', projectId: 'project_demo', appId: 'app_inkauthdemo0000000000', adminKey });
    demo = await startDemoDevServer(api.url, signIn.sign);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the anonymous history moves to the user on sign-in, stays on reload, and signing out starts afresh', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(demo.url);
    await page.waitForFunction(`${chatShadow}?.querySelector('[data-testid=anon-id]')?.textContent.startsWith('anon_')`, { timeout: 30_000 });
    await page.focus('ink-demo-chat >>> input');
    await page.keyboard.type('Asked before signing in');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`[...${chatShadow}.querySelectorAll('.log .assistant')].some((li) => li.textContent.includes('Asked before signing in'))`, { timeout: 10_000 });

    await page.click('#sign-in');
    await page.waitForFunction(`${chatShadow}?.querySelector('[data-testid=anon-id]')?.textContent === ${JSON.stringify(DEMO_USER)}`, { timeout: 10_000 });
    await page.waitForFunction(`${chatShadow}.querySelector('[data-testid=conversations]').textContent.includes('Asked before signing in')`, { timeout: 10_000 });
    assert.equal(await page.evaluate(`document.querySelector('#sign-in').textContent`), 'Sign out');

    await page.reload();
    await page.waitForFunction(`${chatShadow}?.querySelector('[data-testid=anon-id]')?.textContent === ${JSON.stringify(DEMO_USER)}`, { timeout: 10_000 });
    await page.waitForFunction(`${chatShadow}.querySelector('[data-testid=conversations]').textContent.includes('Asked before signing in')`, { timeout: 10_000 });

    await page.click('#sign-in');
    await page.waitForFunction(`${chatShadow}?.querySelector('[data-testid=anon-id]')?.textContent.startsWith('anon_')`, { timeout: 30_000 });
    await page.waitForFunction(`${chatShadow}.querySelector('.hint')?.textContent === 'No conversations yet.'`, { timeout: 10_000 });
    assert.ok(!(await titles(page)).includes('Asked before signing in'), 'the new anonymous visitor has no history');
    assert.ok((await identity(page))?.startsWith('anon_'));
    assert.deepEqual(problems, []);
    await page.close();
  });
});
