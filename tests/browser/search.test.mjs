// Search in a real browser: the header box (combobox), the /search/ page, filters, the
// empty state, shareable ?q=, file:// and hostile text. Built from a copy of the sample
// framework with one extra competency whose title is markup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, copySite, build, serveDir } from './lib.mjs';

const HOSTILE = '<img src=x onerror="window.__pwned=1">Hostile';
let browser, server, out;
before(async () => {
  const site = copySite();
  writeFileSync(join(site, 'content/competencies/craft/hostile.md'), [
    '---',
    `title: '${HOSTILE}'`,
    'summary: "<script>window.__pwned=2</script> quokkas everywhere"',
    'tracks: [expert]',
    'behaviours:',
    '  staff-engineer:',
    '    - "Tames a <b>quokka</b> with <img src=y onerror=window.__pwned=3>"',
    '---',
    'Guidance.',
    '',
  ].join('\n'));
  out = build(site);
  server = await serveDir(out);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function open(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

/** Types into the header box through the `/` shortcut and waits for the dropdown. */
async function typeInBox(page, q) {
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'site-search-q');
  await page.keyboard.type(q);
  // Results for every keystroke arrive in turn: wait for the ones of the whole query.
  await page.waitForFunction((q) => window.__rungsSearch?.lastQuery === q && document.querySelector('#site-search-q').getAttribute('aria-expanded') === 'true', q);
  await page.waitForFunction(() => document.querySelector('.search-popup:not([hidden])'));
}

test('typing in the header box lists results; Enter opens a picked result, or else the results page', async () => {
  const { page, errors } = await open(server.url + 'levels/engineer/');
  assert.equal(await page.locator('script[src*="search/manifest.js"]').count(), 0, 'the index loads lazily');
  await typeInBox(page, 'post-incident review');
  const input = page.locator('#site-search-q');
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await page.locator('#site-search-list').getAttribute('role'), 'listbox');
  const first = page.locator('#site-search-list [role=option]').first();
  await first.waitFor();
  assert.match(await first.innerText(), /post-incident review/i);
  assert.ok(await first.locator('mark').count() >= 1, 'matched words are highlighted');
  // A result picked with the arrow keys opens on Enter.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/levels\/[^/]+\/#.+/);
  const hash = decodeURIComponent(new URL(page.url()).hash.slice(1));
  const target = page.locator(`[id="${hash}"]`);
  assert.equal(await target.count(), 1, `anchor ${hash} exists`);
  assert.match(await target.innerText(), /post-incident review/i);
  // Enter without picking one searches: the results page, with the query.
  await typeInBox(page, 'post-incident review');
  await page.locator('#site-search-list [role=option]').first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\/\?q=post-incident/);
  await page.locator('.sr-where').first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('arrow keys move through the options, a click follows one, Escape closes', async () => {
  const { page } = await open(server.url);
  await typeInBox(page, 'mentor');
  const input = page.locator('#site-search-q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const active = await input.getAttribute('aria-activedescendant');
  assert.equal(active, 'site-search-opt-1');
  assert.equal(await page.locator('#site-search-opt-1').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.ok(await page.locator('.search-popup').isHidden());
  await page.keyboard.press('ArrowDown');
  await page.locator('#site-search-opt-0 a').waitFor();
  const href = await page.locator('#site-search-opt-0 a').getAttribute('href');
  await page.locator('#site-search-opt-0 a').click();
  await page.waitForURL((u) => u.href.endsWith(href.replace(/^\.\//, '')));
  await page.close();
});

test('a query with no match shows the empty state with links to the tracks', async () => {
  const { page } = await open(server.url);
  await typeInBox(page, 'zzyzxqv');
  const status = page.locator('.search-popup-status');
  assert.match(await status.innerText(), /No results for “zzyzxqv”\. Try a shorter word, or browse the tracks/);
  assert.ok(await status.locator('a[href*="tracks/"]').count() >= 2);
  await page.close();
});

test('the search page pre-fills ?q=, filters narrow the results and the URL follows', async () => {
  const { page, errors } = await open(server.url + 'search/?q=review');
  assert.equal(await page.locator('#search-page-q').inputValue(), 'review');
  await page.waitForFunction(() => /results? for/.test(document.querySelector('[data-search-status]').textContent));
  const count = async () => Number((await page.locator('[data-search-status]').innerText()).match(/^(\d+)/)[1]);
  const all = await count();
  assert.ok(all > 3, `${all} results`);
  await page.selectOption('select[name=track]', 'manager');
  await page.waitForFunction((all) => { const m = document.querySelector('[data-search-status]').textContent.match(/^(\d+)/); return m && Number(m[1]) < all; }, all);
  const manager = await count();
  assert.ok(manager > 0 && manager < all, `${manager} of ${all}`);
  assert.match(page.url(), /[?&]track=manager/);
  await page.selectOption('select[name=track]', '');
  await page.selectOption('select[name=area]', 'craft');
  await page.waitForFunction((all) => { const m = document.querySelector('[data-search-status]').textContent.match(/^(\d+)/); return m && Number(m[1]) < all; }, all);
  const where = await page.locator('.search-results .sr-where').allInnerTexts();
  assert.ok(where.length > 0);
  await page.fill('#search-page-q', 'stakeholders');
  await page.waitForFunction(() => /q=stakeholders/.test(location.search));
  assert.match(page.url(), /area=craft/);
  // shareable: the same URL opened afresh shows the same state
  const again = await browser.newPage();
  await again.goto(page.url());
  assert.equal(await again.locator('#search-page-q').inputValue(), 'stakeholders');
  assert.equal(await again.locator('select[name=area]').inputValue(), 'craft');
  await again.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a behaviour inherited by a based track is one result, shown where it is written', async () => {
  const { page, errors } = await open(server.url + 'search/?q=incident+review');
  await page.waitForFunction(() => /results? for/.test(document.querySelector('[data-search-status]').textContent));
  const results = await page.locator('.search-results li').allInnerTexts();
  const first = results[0].replace(/\s+/g, ' ');
  assert.match(first, /^Behaviour Shadows on-call shifts and takes part in incident reviews/i);
  assert.match(first, /Associate Engineer · Expert track & Manager track · also at Associate Data Scientist/);
  const texts = await page.locator('.search-results li .sr-title').allInnerTexts();
  assert.equal(new Set(texts).size, texts.length, 'no text listed twice:\n' + texts.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the built site opened from disk searches too', async () => {
  const { page, errors } = await open(pathToFileURL(join(out, 'index.html')).href);
  await typeInBox(page, 'post-incident');
  const first = page.locator('#site-search-list [role=option] a').first();
  assert.match(await first.getAttribute('href'), /levels\/[^/]+\/index\.html#/);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/^file:.*\/levels\/[^/]+\/index\.html#.+/);
  assert.equal(await page.locator('h1').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a competency titled with markup shows it as text and runs nothing', async () => {
  const { page } = await open(server.url + 'search/?q=quokka');
  await page.waitForSelector('.search-results li');
  const titles = await page.locator('.search-results .sr-title').allInnerTexts();
  assert.ok(titles.some((t) => t.includes(HOSTILE)), titles.join('\n'));
  const texts = await page.locator('.search-results').innerText();
  assert.ok(texts.includes('Tames a quokka with'), texts);
  assert.equal(await page.locator('.search-results img, .search-results script, .search-results b').count(), 0);
  await typeInBox(page, 'hostile');
  await page.locator('#site-search-list [role=option]').first().waitFor();
  assert.ok((await page.locator('#site-search-list').innerText()).includes(HOSTILE));
  assert.equal(await page.locator('#site-search-list img').count(), 0);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.close();
});
