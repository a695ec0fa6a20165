// The script-tag build from a CDN on another origin (issue #16): with the header set the CDN
// section of docs/embedding.md shows, served on every dist/ file, the page authenticates; without
// CORS the module script itself is refused and the element is never defined — the `idle` forever
// its troubleshooting section explains.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { startServer } from '../../server/index.js';
import type { RunningServer } from '../../server/index.js';
import { launchChromium } from '../e2e/chromium.js';
import { buildOnce, root } from './build.js';
import { serveStatic } from './static-server.js';
import type { StaticServer } from './static-server.js';

const APP_ID = 'app_inkauthdemo0000000000';

/** The header lines of the ```http block in the CDN section of docs/embedding.md. */
function documentedHeaders(): Record<string, string> {
  const page = readFileSync(path.join(root, 'docs', 'embedding.md'), 'utf8');
  const start = page.indexOf('\n## From a CDN');
  assert.ok(start >= 0, 'docs/embedding.md has no CDN section');
  const section = page.slice(start);
  const block = /```http\n([^]*?)\n```/.exec(section);
  assert.ok(block, 'the CDN section shows no header set');
  return Object.fromEntries(block[1]!.split('\n').map((line) => line.split(/:\s*/, 2) as [string, string]));
}

let api: RunningServer;
let browser: Browser;
let pages: string;
const servers: StaticServer[] = [];

before(async () => {
  buildOnce();
  api = await startServer({
    log: () => {},
    config: { pow: { hmacSecret: randomBytes(32).toString('hex'), difficulty: 5_000, ttlSeconds: 600, format: 'v1' } },
  });
  pages = mkdtempSync(path.join(os.tmpdir(), 'ink-auth-cdn-page-'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  await api?.close();
  rmSync(pages, { recursive: true, force: true });
});

/** Serves dist/ as a CDN with `headers`, and a page on another origin loading the script from it. */
async function pageWithCdn(headers: Record<string, string>): Promise<string> {
  const cdn = await serveStatic(path.join(root, 'dist'), headers);
  servers.push(cdn);
  const name = `page-${servers.length}.html`;
  writeFileSync(
    path.join(pages, name),
    `<!doctype html><meta charset="utf-8"><title>CDN</title>
<ink-auth-provider app-id="${APP_ID}" base-url="${api.url}" storage="memory"><p>chat</p></ink-auth-provider>
<script type="module" src="${cdn.url}ink-auth.min.js"></script>`,
  );
  const site = await serveStatic(pages);
  servers.push(site);
  assert.notEqual(new URL(site.url).origin, new URL(cdn.url).origin);
  return `${site.url}${name}`;
}

describe('script tag from a CDN on another origin', () => {
  it('with the documented header set on every dist/ file, authenticates', async () => {
    const documented = documentedHeaders();
    assert.equal(documented['Access-Control-Allow-Origin'], '*');
    assert.match(documented['Content-Type'] ?? '', /^text\/javascript/);
    // The static server sets each file's own content type, as docs/embedding.md says for .map files.
    const { ['Content-Type']: _type, ...headers } = documented;
    const page = await browser.newPage();
    try {
      await page.goto(await pageWithCdn(headers));
      await page.waitForFunction(`document.querySelector('ink-auth-provider').anonId?.startsWith('anon_')`, { timeout: 30_000 });
      assert.equal(await page.evaluate(`document.querySelector('ink-auth-provider').status`), 'ready');
    } finally {
      await page.close();
    }
  });

  it('without CORS headers the element is never defined, so nothing reports an error', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    try {
      await page.goto(await pageWithCdn({}), { waitUntil: 'load' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(await page.evaluate(`customElements.get('ink-auth-provider') === undefined`), true);
      assert.equal(await page.evaluate(`document.querySelector('ink-auth-provider').status`), undefined);
      assert.ok(refused.some((text) => /CORS|Access-Control-Allow-Origin/.test(text)), `console: ${refused.join(' | ')}`);
    } finally {
      await page.close();
    }
  });
});
