// The self-assessment page in a real browser (issue 5): ratings persist, a shared link
// restores them in a fresh profile, exports carry ratings and notes, the plan lists the
// right behaviours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, copySite, build, serveDir } from './lib.mjs';

let browser, server;
before(async () => {
  server = await serveDir(build(copySite()));
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const LEVEL = 'assess/senior-engineer/';
const item = (page, n) => page.locator('.assess-item').nth(n);

/** Rates the first three behaviours consistently / sometimes / not yet and writes a note. */
async function fill(page) {
  await item(page, 0).getByLabel('Consistently').check();
  await item(page, 1).getByLabel('Sometimes').check();
  // Keyboard: a focused radio is selected with Space.
  await item(page, 2).getByLabel('Not yet').focus();
  await page.keyboard.press('Space');
  await page.locator('.assess-note').first().fill('Led the checkout redesign, see RFC-12.');
  await page.waitForTimeout(500); // notes save after a short pause
}

async function texts(page) {
  // The behaviour's words as shown: its legend without the step label.
  return Promise.all([0, 1, 2].map((n) => item(page, n).evaluate((el) => {
    const copy = el.querySelector('legend').cloneNode(true);
    copy.querySelectorAll('.step-label').forEach((s) => s.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim();
  })));
}

async function assertFilled(page) {
  assert.equal(await item(page, 0).getByLabel('Consistently').isChecked(), true);
  assert.equal(await item(page, 1).getByLabel('Sometimes').isChecked(), true);
  assert.equal(await item(page, 2).getByLabel('Not yet').isChecked(), true);
  assert.equal(await item(page, 3).locator('input:checked').count(), 0);
  assert.equal(await page.locator('.assess-note').first().inputValue(), 'Led the checkout redesign, see RFC-12.');
}

test('ratings and notes survive a reload', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + LEVEL);
  await fill(page);
  assert.match(await page.locator('#assess-progress').textContent(), /^3 of \d+ behaviours rated, 1 consistently/);
  await page.reload();
  await assertFilled(page);
  await page.context().close();
});

test('the shared link restores the assessment in a fresh browser profile', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + LEVEL);
  await fill(page);
  await page.click('#assess-share');
  const url = await page.locator('#assess-share-url').inputValue();
  assert.ok(url.includes('#'), url);
  await page.context().close();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await assertFilled(other);
  assert.match(await other.locator('#assess-status').textContent(), /shared link/);
  // Nothing is stored until the reader changes something.
  assert.equal(await other.evaluate(() => localStorage.length), 0);
  await fresh.close();
});

test('Markdown and CSV exports contain the ratings and notes', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + LEVEL);
  await fill(page);
  const [first, second] = await texts(page);

  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#assess-export-md')]);
  assert.match(md.suggestedFilename(), /^self-assessment-senior-engineer-.*\.md$/);
  const markdown = readFileSync(await md.path(), 'utf8');
  assert.ok(markdown.startsWith('# Self-assessment: Senior Engineer'), markdown.slice(0, 80));
  assert.ok(markdown.includes(`- **Consistently**: ${first}`), markdown);
  assert.ok(markdown.includes(`- **Sometimes**: ${second}`));
  assert.ok(markdown.includes('> Led the checkout redesign, see RFC-12.'));
  assert.ok(markdown.includes('not a promotion checklist'));

  const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click('#assess-export-csv')]);
  const csv = readFileSync(await csvDl.path(), 'utf8');
  const lines = csv.replace(/^\ufeff/, '').split('\r\n');
  assert.equal(lines[0], 'level,area,competency,behaviour,rating,evidence,note,competency_notes');
  const row = lines.find((l) => l.includes(first));
  assert.ok(row.endsWith(',Consistently,,,"Led the checkout redesign, see RFC-12."'), row);
  await page.context().close();
});

test('the plan lists behaviours not yet consistent and what the chosen next level adds', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + LEVEL);
  await fill(page);
  const [first, second, third] = await texts(page);
  await page.click('[data-view="plan"]');
  assert.equal(await page.locator('#assess-checklist').isVisible(), false);
  const current = page.locator('#plan-current');
  const listed = await current.locator('li').allTextContents();
  assert.equal(listed.length, 2, listed.join('\n'));
  assert.ok(listed[0].includes(second) && listed[0].startsWith('Sometimes'), listed[0]);
  assert.ok(listed[1].includes(third) && listed[1].startsWith('Not yet'), listed[1]);
  assert.ok(!listed.some((l) => l.includes(first)));

  // Senior Engineer is the last shared level: both next levels are offered.
  const options = await page.locator('#plan-target option').allTextContents();
  assert.deepEqual(options, ['Staff Engineer (next level, Expert track)', 'Engineering Manager (next level, Manager track)']);
  assert.equal(await page.locator('.plan-target[data-target="staff-engineer"]').isVisible(), true);
  await page.selectOption('#plan-target', 'engineering-manager');
  assert.equal(await page.locator('.plan-target[data-target="staff-engineer"]').isVisible(), false);
  const manager = page.locator('.plan-target[data-target="engineering-manager"]');
  assert.equal(await manager.isVisible(), true);
  // Counted per competency, each linking to its rows on the comparison (issue 16: the
  // behaviours themselves are not copied into this page).
  assert.ok(await manager.locator('li').count() > 3);
  const link = manager.locator('li a').first();
  const href = await link.getAttribute('href');
  assert.match(href, /compare\/senior-engineer\/engineering-manager\/#competency-[a-z-]+$/);
  assert.match(await manager.locator('li').first().textContent(), /: \d+ (new|grown)/);
  assert.ok(!(await manager.textContent()).includes('Builds a strong partnership with their product manager'));
  await link.click();
  const id = href.split('#')[1];
  await page.waitForURL(/compare\/senior-engineer\/engineering-manager\//);
  assert.equal(await page.locator(`[id="${id}"]`).count(), 1, 'the anchor exists on the comparison');
  await page.goBack();
  await page.click('[data-view="plan"]');
  await page.selectOption('#plan-target', 'engineering-manager');

  // The Markdown export carries the plan for the chosen target.
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#assess-export-md')]);
  const markdown = readFileSync(await md.path(), 'utf8');
  assert.ok(markdown.includes('### New at Engineering Manager (next level, Manager track)'), markdown);
  assert.match(markdown, /\(http:\/\/127\.0\.0\.1:\d+\/compare\/senior-engineer\/engineering-manager\/#competency-/);
  await page.context().close();
});

test('without JavaScript the page is a complete printable checklist', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + LEVEL);
  assert.ok(await page.locator('.assess-item').count() > 20);
  assert.equal(await page.locator('#assess-toolbar').isVisible(), false);
  assert.equal(await page.locator('#plan').isVisible(), true);
  await context.close();
});
