// Job families in a real browser: the header fits with many families and tracks, the
// ladder diagram's boxes link to their levels, pages do not scroll sideways on a phone,
// and inherited behaviours link to where they are written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, copySite, build, serveDir, tempDir } from './lib.mjs';

/** A site with 5 families of 4 tracks each (2 expert, 2 manager), 5 bands, and a core. */
function manyFamilies() {
  const root = tempDir('rungs-families-');
  const w = (rel, text) => { mkdirSync(join(root, rel, '..'), { recursive: true }); writeFileSync(join(root, rel), text); };
  w('site.toml', 'title = "Many families"\nbase_url = "/"\n');
  const names = ['Engineering', 'Data', 'Design', 'Product', 'Operations'];
  let yaml = 'families:\n' + names.map((n, f) => `  - id: f${f}\n    title: ${n}\n`).join('') + 'tracks:\n';
  const tracks = [];
  names.forEach((n, f) => ['Individual contributor', 'Specialist', 'Manager', 'Senior leadership'].forEach((k, i) => {
    const id = `f${f}t${i}`;
    tracks.push(id);
    yaml += `  - id: ${id}\n    title: ${n} ${k}\n    kind: ${i < 2 ? 'expert' : 'manager'}\n    family: f${f}\n`;
  }));
  yaml += 'bands:\n' + [1, 2, 3, 4, 5].map((b) => `  - id: b${b}\n    title: Band ${b}\n`).join('');
  yaml += 'areas:\n  - id: core\n    title: Core\n    category: leadership\n';
  w('content/framework.yaml', yaml);
  for (const t of tracks) {
    for (const b of [1, 2, 3, 4, 5]) {
      w(`content/levels/${t}/${t}-l${b}.md`, `---\ntitle: ${t.toUpperCase()} level ${b}\nband: b${b}\n---\n`);
    }
  }
  w('content/competencies/core/communication.md', '---\ntitle: Communication\ncore:\n' +
    [1, 2, 3, 4, 5].map((b) => `  b${b}:\n    - Communicates clearly at band ${b}.\n`).join('') + '---\n');
  return root;
}

let browser, many, sample;
before(async () => {
  browser = await launch();
  many = await serveDir(build(manyFamilies()));
  sample = await serveDir(build(copySite()));
});
after(async () => { await browser?.close(); await many?.close(); await sample?.close(); });

test('the header fits one line at 1280 px with 5 families and 20 tracks', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(many.url);
  const tops = await page.locator('.site-nav li').evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect().top));
  assert.equal(tops.length, 8, 'the ladder, five families, Competencies and Compare');
  assert.equal(new Set(tops).size, 1, `one line: ${tops}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
  await page.close();
});

test('every box of the ladder diagram links to its level', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(many.url);
  const boxes = page.locator('svg.rc-ladder rect.rc-box');
  const links = page.locator('svg.rc-ladder a');
  assert.equal(await boxes.count(), 100);
  assert.equal(await links.count(), 100);
  assert.equal(await page.locator('svg.rc-ladder a rect.rc-box').count(), 100);
  // The figure scrolls rather than shrinking 20 columns into the page.
  const fig = await page.locator('.ladder-diagram').evaluate((f) => [f.scrollWidth, f.clientWidth]);
  assert.ok(fig[0] > fig[1], 'the wide diagram scrolls within its figure');
  const link = links.first();
  await link.scrollIntoViewIfNeeded();
  await link.click();
  await page.waitForURL(/levels\/f0t0-l5\//);
  assert.match(await page.locator('h1').textContent(), /F0T0 level 5/);
  await page.close();
});

test('home, family, level and matrix pages do not scroll sideways on a phone', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  for (const path of ['', 'families/f2/', 'levels/f2t1-l3/', 'tracks/f2t1/']) {
    await page.goto(many.url + path);
    const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(sw <= w, `${path || 'home'}: ${sw} > ${w}`);
  }
  await page.close();
});

test('equivalent levels are grouped by family, own family first', async () => {
  const page = await browser.newPage();
  await page.goto(many.url + 'levels/f2t0-l3/');
  const groups = await page.locator('.equivalent-family').allTextContents();
  assert.deepEqual(groups.map((g) => g.trim()), ['Design', 'Engineering', 'Data', 'Product', 'Operations']);
  await page.close();
});

test('an inherited behaviour says where it comes from and links there', async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + 'levels/staff-data-scientist/');
  await page.locator('.view-switch label[for=view-everything]').click();
  const origin = page.locator('.origin a', { hasText: 'Staff Engineer' }).first();
  assert.equal(await origin.isVisible(), true);
  await origin.click();
  await page.waitForURL(/levels\/staff-engineer\/#/);
  const target = decodeURIComponent(new URL(page.url()).hash.slice(1));
  assert.equal(await page.locator(`[id="${target}"]`).count(), 1);
  // The core of the many-families site.
  await page.goto(many.url + 'levels/f3t2-l4/');
  assert.match(await page.locator('.origin').first().textContent(), /From the shared core \(Band 4\)/);
  await page.close();
});

test('search filters by job family', async () => {
  const page = await browser.newPage();
  await page.goto(sample.url + 'search/?q=design');
  await page.locator('.sr-where').first().waitFor();
  const all = await page.locator('.sr-where').allTextContents();
  assert.ok(all.some((w) => /Expert track|Manager track/.test(w)), 'engineering results without a filter');
  await page.goto(sample.url + 'search/?q=design&track=family:data');
  await page.locator('.sr-where').first().waitFor();
  assert.equal(await page.locator('select[name=track]').inputValue(), 'family:data');
  const where = await page.locator('.sr-where').allTextContents();
  const levels = where.filter((w) => /track/.test(w));
  assert.ok(levels.length > 0, 'behaviours of data science levels');
  assert.ok(levels.every((w) => /Data science track/.test(w)), where.join('\n'));
  await page.close();
});
