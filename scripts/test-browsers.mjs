#!/usr/bin/env node
// Runs the browser tests in Chromium, Firefox ESR and WebKitGTK (see web-test-runner.config.mjs).
//   npm run test:browser                                   all engines, all test files
//   INK_BROWSERS=chromium npm run test:browser             one engine
//   npm run test:browser -- --files test/browser/x.test.ts one file (any @web/test-runner flag works)
// WebKit needs a display and a WebDriver: this script starts Xvfb and WebKitWebDriver itself and
// stops them when the run ends, whatever its outcome (INK_USE_DISPLAY=1 uses $DISPLAY instead of Xvfb).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const browsers = (process.env.INK_BROWSERS ?? 'chromium,firefox,webkit').split(',').map((b) => b.trim());
const children = [];
/** WebKitWebDriver's and MiniBrowser's own output: printed when a run fails, to tell a browser crash from a test failure. */
let webkitLog = null;

function stopChildren() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not listen on port ${port} within ${timeoutMs} ms`);
}

/** Starts Xvfb on a display number it picks itself (-displayfd), so runs never collide. */
function startXvfb() {
  const xvfb = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  children.push(xvfb);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report a display within 15 s')), 15_000);
    xvfb.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve(`:${out.trim()}`);
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}) before reporting a display`));
    });
  });
}

async function startWebKitInfrastructure(env) {
  for (const bin of ['/usr/bin/Xvfb', '/usr/bin/WebKitWebDriver']) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: apt-get install -y xvfb webkit2gtk-driver`);
  }
  // A display of our own by default: an inherited DISPLAY may name no running server (CI).
  if (!env.DISPLAY || env.INK_USE_DISPLAY !== '1') env.DISPLAY = await startXvfb();
  const port = await freePort();
  // The driver must inherit DISPLAY, or MiniBrowser dies with "cannot open display".
  webkitLog = join(mkdtempSync(join(tmpdir(), 'ink-webkit-')), 'webkit.log');
  const logFd = openSync(webkitLog, 'a');
  const driver = spawn('/usr/bin/WebKitWebDriver', [`--port=${port}`], { env, stdio: ['ignore', logFd, logFd] });
  children.push(driver);
  await waitForPort(port, 15_000);
  env.INK_WEBDRIVER_PORT = String(port);
}

process.on('exit', stopChildren);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopChildren();
    process.exit(130);
  });
}

const env = { ...process.env, INK_BROWSERS: browsers.join(',') };
if (browsers.includes('webkit')) await startWebKitInfrastructure(env);

const wtrBin = fileURLToPath(new URL('../node_modules/@web/test-runner/dist/bin.js', import.meta.url));
const wtr = spawn(
  process.execPath,
  ['--import', 'tsx', wtrBin, '--config', 'web-test-runner.config.mjs', ...process.argv.slice(2)],
  { env, stdio: 'inherit' },
);
/** Last lines of the WebKit log, so a CI failure shows whether MiniBrowser crashed and why. */
function printWebKitLog() {
  if (!webkitLog || !existsSync(webkitLog)) return;
  const lines = readFileSync(webkitLog, 'utf8').split('\n').filter(Boolean);
  if (lines.length === 0) return;
  console.error(`\n--- last ${Math.min(lines.length, 60)} lines of WebKitWebDriver/MiniBrowser output (${webkitLog}) ---`);
  console.error(lines.slice(-60).join('\n'));
}

wtr.on('exit', (code, signal) => {
  if (code !== 0) printWebKitLog();
  stopChildren();
  process.exit(code ?? (signal ? 1 : 0));
});
