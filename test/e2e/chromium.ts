import { launch, type Browser } from 'puppeteer-core';

/** Headless Debian Chromium for end-to-end tests (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
