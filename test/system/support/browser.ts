import type { Page } from 'playwright-core';
import { openChromium, type Chromium } from '@orderflow/tools/shared/chromium';

/**
 * Chromium for the enclosing suite, and a fresh page for each of its tests, handed to `onPage`
 * before the test runs and closed after it. The browser tests' Chromium is the one the console's
 * screenshots use.
 */
export function aPageForEachTest(onPage: (page: Page) => void): void {
  let browser: Chromium | undefined;
  let page: Page | undefined;
  before(async () => {
    browser = await openChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    if (!browser) throw new Error('Chromium did not open');
    page = await browser.context.newPage();
    onPage(page);
  });
  afterEach(async () => {
    await page?.close();
  });
}
