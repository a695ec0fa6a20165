// The package as a new user gets it (issue #16): a clean clone of the repository (committed
// files only) packed by npm, whose `prepack` builds; the tarball installed into fresh React 18,
// React 19 and Vue 3 apps with Vite of the current major, type-checked with every documented
// attribute and event of both elements, built, and run in Chromium against the reference server
// until they authenticate; and the Vite 8 dev server serving the package authenticates too (Vite 7's
// needs the optimizeDeps.exclude of docs/embedding.md, and without it the error says the worker is missing).
// Installs come from the npm registry through one npm cache shared by all of them (INK_NPM_CACHE,
// default <tmp>/ink-auth-package-test-npm-cache, kept so later runs install offline).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { startServer } from '../../server/index.js';
import type { RunningServer } from '../../server/index.js';
import { launchChromium } from '../e2e/chromium.js';
import { root } from './build.js';
import { createApp, npmEnv, typeCheck, viteBuild } from './fixture-apps.js';
import type { AppKind } from './fixture-apps.js';
import { runCommand } from './run-command.js';
import { serveStatic } from './static-server.js';

const APP_ID = 'app_inkauthdemo0000000000';
const cacheDir = process.env.INK_NPM_CACHE ?? path.join(os.tmpdir(), 'ink-auth-package-test-npm-cache');
const env = npmEnv(cacheDir);

let work: string;
let tarball: string;
let packedFiles: string[];
let api: RunningServer;
let browser: Browser;
const apps = new Map<AppKind, string>();

before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'ink-auth-clean-clone-'));
  const clone = path.join(work, 'clone');
  await runCommand('git', ['clone', '--quiet', '--no-hardlinks', root, clone], { cwd: work, timeoutMs: 60_000 });
  // --ignore-scripts: the build needs no install script (better-sqlite3 is for the server only).
  await runCommand('npm', ['ci', '--ignore-scripts'], { cwd: clone, env, timeoutMs: 8 * 60_000 });
  // No --ignore-scripts here: `prepack` must build the package.
  const out = await runCommand('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone, env, timeoutMs: 4 * 60_000 });
  // The build's log comes first; the report is the JSON array npm prints last.
  const report = JSON.parse(out.slice(out.search(/^\[\s*$/m))) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(work, report[0].filename);
  packedFiles = report[0].files.map((file) => file.path);
  api = await startServer({
    log: () => {},
    config: { pow: { hmacSecret: randomBytes(32).toString('hex'), difficulty: 5_000, ttlSeconds: 600, format: 'v1' } },
  });
  browser = await launchChromium();
}, { timeout: 15 * 60_000 });

after(async () => {
  await browser?.close();
  await api?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// Page code as strings: this file is type-checked without the DOM library.
const byTestId = (testId: string) => `document.querySelector(${JSON.stringify(`[data-testid="${testId}"]`)})`;

async function text(page: Page, testId: string): Promise<string> {
  return String(await page.evaluate(`${byTestId(testId)}?.textContent?.trim() ?? ''`));
}

/**
 * Opens the app and waits until each provider (by test-id prefix) is `ready` with an `anon_` id.
 * Providers of one app id on one page share one solve (the tab coordination), so the hashes of
 * the final progress event are asked of one of them.
 */
async function authenticates(url: string, prefixes: string[]): Promise<void> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    // Failed loads are reported with their URL below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('response', (response) => {
    // The apps have no favicon, as a fresh app may not.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  try {
    const address = new URL(url);
    address.searchParams.set('base', api.url);
    address.searchParams.set('app', APP_ID);
    await page.goto(address.href);
    for (const prefix of prefixes) {
      const id = `${prefix}-anon-id`;
      await page
        .waitForFunction(`${byTestId(id)}?.textContent?.startsWith('anon_')`, { timeout: 45_000 })
        .catch(async (error: unknown) => {
          const seen = `status ${await text(page, `${prefix}-status`)}, error ${await text(page, `${prefix}-error`)}`;
          throw new Error(`${prefix}: no anon_ id (${seen}; page problems: ${problems.join(' | ')})`, { cause: error });
        });
      assert.equal(await text(page, `${prefix}-status`), 'ready', `${prefix} status`);
      assert.equal(await text(page, `${prefix}-error`), '', `${prefix} error`);
    }
    const hashes = await Promise.all(prefixes.map(async (prefix) => Number(await text(page, `${prefix}-hashes`))));
    assert.ok(Math.max(...hashes) > 0, `the final progress reported no hashes (${hashes.join(', ')})`);
    assert.deepEqual(problems, [], 'errors in the page');
  } finally {
    await page.close();
  }
}

describe('npm pack of a clean clone', () => {
  it('builds through prepack and ships the builds, the typings and the manifest', () => {
    for (const file of [
      'package.json',
      'custom-elements.json',
      'dist/ink-auth.min.js',
      'dist/pow.worker.js',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/react/index.js',
      'dist/lib/pairing/index.js',
      'dist/lib/pairing/index.d.ts',
      'dist/lib/manage/index.js',
      'dist/lib/manage/index.d.ts',
      'dist/lib/pow/pow.worker.js',
      'dist/types/react.d.ts',
      'dist/types/react-elements.d.ts',
      'dist/types/vue.d.ts',
    ]) {
      assert.ok(packedFiles.includes(file), `${file} is missing from the tarball (${packedFiles.length} files)`);
    }
    assert.ok(statSync(tarball).size > 50_000, `the tarball is ${statSync(tarball).size} bytes`);
  });
});

describe('fresh apps installing the tarball', { timeout: 30 * 60_000 }, () => {
  const cases: [AppKind, string[]][] = [
    ['react18', ['wrapper']],
    ['react19', ['wrapper', 'bare']],
    ['vue3', ['vue']],
  ];
  // The three installs (mostly waiting on the registry and the disk) run side by side; each test
  // waits for its own, so a failed install fails its own test.
  const installs = new Map<AppKind, Promise<string>>();
  before(() => {
    for (const [kind] of cases) {
      const install = createApp(kind, work, tarball, env);
      install.catch(() => undefined);
      installs.set(kind, install);
    }
  });
  for (const [kind, prefixes] of cases) {
    it(`${kind}: installs, type-checks, builds with Vite and authenticates`, async () => {
      const dir = await installs.get(kind)!;
      apps.set(kind, dir);
      const installed = JSON.parse(readFileSync(path.join(dir, 'node_modules/vite/package.json'), 'utf8')) as { version: string };
      assert.match(installed.version, /^8\./, 'Vite of the current major');
      await typeCheck(kind, dir);
      const dist = await viteBuild(dir);
      const site = await serveStatic(dist);
      try {
        await authenticates(site.url, prefixes);
      } finally {
        await site.close();
      }
    });
  }

  it('the Vite dev server (no optimizeDeps.exclude) serves the package and authenticates', async () => {
    const dir = apps.get('react19');
    assert.ok(dir, 'the react19 app was not created');
    await withDevServer(dir, [], {}, (url) => authenticates(url, ['wrapper', 'bare']));
  });

  it('Vite 7 dev server: without optimizeDeps.exclude the error says the worker file was not found; with it, authenticates', async () => {
    const dir = apps.get('react19');
    assert.ok(dir, 'the react19 app was not created');
    // Last test: it turns the React 19 app into a Vite 7 one.
    await runCommand('npm', ['install', '--no-package-lock', '-D', 'vite@7'], { cwd: dir, env, timeoutMs: 4 * 60_000 });
    const config = ['--config', 'vite7.config.mjs'];
    await withDevServer(dir, config, {}, async (url) => {
      const page = await browser.newPage();
      try {
        const address = new URL(url);
        address.searchParams.set('base', api.url);
        address.searchParams.set('app', APP_ID);
        await page.goto(address.href);
        await page.waitForFunction(`document.querySelector('ink-auth-provider')?.status === 'error'`, { timeout: 45_000 });
        const detail = String(await page.evaluate(`document.querySelector('ink-auth-provider').error.code + ' ' + document.querySelector('ink-auth-provider').error.detail`));
        assert.match(detail, /^pow_worker_failed The proof-of-work worker file was not found: \S+\/\.vite\/deps\/pow\.worker\.js answered/);
        assert.match(detail, /optimizeDeps/);
        assert.doesNotMatch(detail, /Content-Security-Policy/);
      } finally {
        await page.close();
      }
    });
    await withDevServer(dir, [...config, '--force'], { INK_VITE_EXCLUDE: '1' }, (url) => authenticates(url, ['wrapper', 'bare']));
  });
});

/** Runs `vite` (dev server) in `dir` on a free port while `use(url)` runs. */
async function withDevServer(dir: string, args: string[], extraEnv: NodeJS.ProcessEnv, use: (url: string) => Promise<void>): Promise<void> {
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), ...args, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: dir,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await answering(url, server);
    await use(url);
  } finally {
    await stop(server);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 (at most 60 s), failing early if the server exits. */
async function answering(url: string, child: ChildProcess): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`vite did not answer on ${url} within 60 s:\n${output}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
