import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { localSystem } from './fixture.js';
import { aPageForEachTest } from './support/browser.js';

interface Operations {
  info: { title: string };
  paths: Record<string, Record<string, { summary: string }>>;
}

describe('the API reference at GET /docs, in Chromium', function () {
  let page: Page;
  aPageForEachTest((opened) => (page = opened));

  it('shows every operation of /openapi.json, with nothing fetched from another origin', async () => {
    const api = localSystem().urls.orderApi;
    const document = (await (await fetch(`${api}/openapi.json`)).json()) as Operations;
    const faults: string[] = [];
    page.on('pageerror', (error) => faults.push(error.message));
    page.on('console', (message) => {
      // A CSP refusal is reported on the console, as an error. Redoc's footer loads its logo
      // from Redoc's CDN whatever its options say: the policy refuses it and Redoc hides it.
      const logo = /^Loading the image 'https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg' violates/;
      if (message.type() === 'error' && !logo.test(message.text())) faults.push(message.text());
    });
    page.on('requestfinished', (sent) => {
      if (!/^(data|blob):/.test(sent.url()) && !sent.url().startsWith(api)) {
        faults.push(`fetched ${sent.url()}`);
      }
    });

    await page.goto(`${api}/docs`);

    await page.getByRole('heading', { name: document.info.title }).waitFor();
    const summaries = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.summary),
    );
    for (const summary of summaries) {
      await page.getByRole('heading', { name: summary }).first().waitFor();
    }
    expect(faults).to.deep.equal([]);
  });
});
