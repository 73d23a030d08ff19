// The /compare/ picker in a real browser (issue 5).
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

test('the picker navigates to the pre-rendered page of a neighbouring pair', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/');
  await page.selectOption('#compare-a', 'staff-engineer');
  await page.selectOption('#compare-b', 'engineering-manager');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.waitForURL(/compare\/staff-engineer\/engineering-manager\/$/);
  assert.match(await page.locator('h1').textContent(), /Staff Engineer.*Engineering Manager/);
  assert.ok(await page.locator('table.compare-table').count() > 5);
  await page.close();
});

test('any other pair is compared in the page from framework.json', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/');
  await page.selectOption('#compare-a', 'engineer');
  await page.selectOption('#compare-b', 'principal-engineer');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.locator('#compare-result table.compare-table').first().waitFor();
  assert.match(page.url(), /compare\/#engineer\/principal-engineer$/);
  assert.match(await page.locator('#compare-result .compare-summary').textContent(), /^Compared with Engineer, Principal Engineer: \d+ new, \d+ reworded, merged or split/);
  // The hash is a link: opening it renders the same comparison.
  const again = await browser.newPage();
  await again.goto(page.url());
  await again.locator('#compare-result table.compare-table').first().waitFor();
  assert.equal(await again.locator('#compare-a').inputValue(), 'engineer');
  await again.close();
  await page.close();
});

test('a picked pair says which competencies only one level has, and counts only the shared ones', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/#staff-data-scientist/staff-engineer');
  await page.locator('#compare-result table.compare-table').first().waitFor();
  const summary = await page.locator('#compare-result .compare-summary').textContent();
  assert.match(summary, /Analysis and experimentation applies only to Staff Data Scientist/);
  assert.match(summary, /only to Staff Engineer \(shown below, not counted above\)\./);
  // The same sentence on the pre-rendered page of an equivalent pair.
  await page.goto(server.url + 'compare/staff-engineer/engineering-manager/');
  assert.match(await page.locator('.compare-summary').textContent(), /Code quality and Technical direction apply only to Staff Engineer; .* apply only to Engineering Manager \(shown below, not counted above\)\./);
  await page.close();
});

test('swap exchanges the two levels', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/');
  await page.selectOption('#compare-a', 'engineer');
  await page.selectOption('#compare-b', 'senior-engineer');
  await page.click('#compare-swap');
  assert.equal(await page.locator('#compare-a').inputValue(), 'senior-engineer');
  assert.equal(await page.locator('#compare-b').inputValue(), 'engineer');
  await page.close();
});

test('opened from a file, the picker says why it cannot compare and what to do', async () => {
  const page = await browser.newPage();
  await page.goto('file://' + out + '/compare/index.html');
  await page.selectOption('#compare-a', 'engineer');
  await page.selectOption('#compare-b', 'principal-engineer');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.waitForFunction(() => /web server/.test(document.getElementById('compare-result').textContent));
  assert.match(await page.locator('#compare-result').textContent(), /opened from a file.*rungs serve/);
  await page.close();
});

test('a picked pair of equivalent levels tags wording differences, not "Only at …" on every row', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/');
  // Two levels of one band on different tracks, not a pre-rendered pair.
  await page.selectOption('#compare-a', 'staff-data-scientist');
  await page.selectOption('#compare-b', 'engineering-manager');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.locator('#compare-result table.compare-table').first().waitFor();
  assert.match(page.url(), /#staff-data-scientist\/engineering-manager$/, 'compared in the page');
  assert.equal(await page.locator('#compare-result .tag', { hasText: /^Only at/ }).count(), 0);
  assert.ok(await page.locator('#compare-result tr.row-new, #compare-result tr.row-dropped').count() > 0, 'rows only at one side exist');
  await page.close();
});
