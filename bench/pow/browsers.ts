import { launch, type Browser } from 'puppeteer-core';
import type { BenchPlan, BrowserReport } from './protocol.js';

/** The browsers the benchmark knows how to drive, all from system packages (never downloaded). */
export type BenchBrowser = 'chromium' | 'firefox';

/** Extra launch settings: Firefox preferences, the browser's environment (default: this process's). */
export interface LaunchExtras {
  firefoxPrefs?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
}

/** Launches a system browser headless (Chromium with the flags this closed network needs). */
export function launchBrowser(name: BenchBrowser, extras: LaunchExtras = {}): Promise<Browser> {
  const env = extras.env ? { env: extras.env } : {};
  if (name === 'firefox') {
    return launch({ browser: 'firefox', executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', headless: true, extraPrefsFirefox: extras.firefoxPrefs ?? {}, ...env });
  }
  return launch({
    browser: 'chrome',
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    ...env,
    args: [
      '--no-sandbox',
      '--headless=new',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens the bench page in `name` and runs the plan there. */
export async function runInBrowser(name: BenchBrowser, pageUrl: string, plan: BenchPlan): Promise<BrowserReport> {
  const browser = await launchBrowser(name);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(600_000);
    await page.goto(pageUrl);
    await page.waitForFunction('typeof globalThis.runPowBench === "function"');
    const report = await page.evaluate(
      (p) => (globalThis as unknown as { runPowBench(p: BenchPlan): Promise<BrowserReport> }).runPowBench(p),
      plan,
    );
    return report;
  } finally {
    await browser.close();
  }
}
