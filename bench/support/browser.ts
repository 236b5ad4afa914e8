/**
 * The system Chromium driven by playwright-core, headless: the e2e tests'
 * browser and the load benchmark's (bench never imports test/; tests may
 * import anything).
 */
import { chromium, type Browser } from 'playwright-core';

/** The system Chromium (Debian's /usr/bin/chromium unless CHROME_PATH says otherwise), headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}
