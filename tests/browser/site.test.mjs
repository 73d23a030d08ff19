// The built sample site in a real browser: pages load, links work, no script runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, copySite, build, serveDir } from './lib.mjs';

let browser, server, out;
before(async () => {
  out = build(copySite());
  server = await serveDir(out);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

test('the home page shows the dual ladder and its links lead to level pages', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  const links = page.locator('main table a[href*="levels/"]');
  assert.ok(await links.count() >= 10, 'ladder links');
  await links.first().click();
  await page.waitForURL(/levels\//);
  assert.equal(await page.locator('h1').count(), 1);
  await page.close();
});

test('a level page keyboard-navigates from the skip link to main content', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'levels/staff-engineer/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.equal(focused, '#main');
  await page.close();
});
