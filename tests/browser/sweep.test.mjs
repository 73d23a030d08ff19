// The theme on real frameworks (issue 13): every kind of page of the sample and of each
// corpus site, at a phone's 390 px and a laptop's 1280 px, in the light and the dark
// scheme. A page fails on horizontal overflow of the document (wide tables and the
// matrix scroll inside their own boxes; the page itself never scrolls sideways), on a
// request that fails, on a console error and on an axe (WCAG 2 A/AA) violation. The
// level, matrix and compare pages must also fit the width of A4 paper in print.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, copySite, build, serveDir, REPO } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SITES = {
  sample: REPO,
  dropbox: join(REPO, 'tests/corpus/dropbox'),
  'dropbox-families': join(REPO, 'tests/corpus/dropbox-families'),
  engineeringladders: join(REPO, 'tests/corpus/engineeringladders'),
};
const VIEWPORTS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];
const SCHEMES = ['light', 'dark'];
// A4 is 210 × 297 mm. The print stylesheet's margins leave 18.2 cm of portrait paper for
// level and compare pages; the matrix prints on landscape A4 with 1.2 cm margins: 27.3 cm.
const mmToPx = (mm) => Math.floor((mm / 25.4) * 96);
const A4_PORTRAIT_PX = mmToPx(210 - 28);
const A4_LANDSCAPE_PX = mmToPx(297 - 24);

/** The sub-folders of `dir` that hold an index.html, by size of that page. */
function pagesUnder(out, dir) {
  const base = join(out, dir);
  if (!existsSync(base)) return [];
  const found = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(base, rel))) {
      const path = join(base, rel, name);
      if (!statSync(path).isDirectory()) continue;
      const index = join(path, 'index.html');
      if (existsSync(index)) found.push({ url: `${dir}/${rel ? rel + '/' : ''}${name}/`, size: statSync(index).size });
      walk(rel ? `${rel}/${name}` : name);
    }
  };
  walk('');
  return found.sort((a, b) => a.size - b.size || a.url.localeCompare(b.url));
}

/** One page of every kind: the smallest and the largest where a kind has many. */
function pageKinds(out) {
  const urls = new Set(['', '404.html', 'missing/page/', 'compare/', 'competencies/', 'search/?q=design']);
  for (const kind of ['tracks', 'levels', 'competencies', 'areas', 'families', 'matrix', 'assess']) {
    const pages = pagesUnder(out, kind);
    if (pages.length) { urls.add(pages[0].url); urls.add(pages[pages.length - 1].url); }
  }
  const pairs = pagesUnder(out, 'compare').filter((p) => p.url.split('/').length > 4);
  if (pairs.length) { urls.add(pairs[0].url); urls.add(pairs[pairs.length - 1].url); }
  // Guides: every top-level folder that is not a generated kind.
  const generated = new Set(['tracks', 'levels', 'competencies', 'areas', 'families', 'matrix', 'assess', 'compare', 'search']);
  for (const name of readdirSync(out)) {
    if (!generated.has(name) && existsSync(join(out, name, 'index.html'))) urls.add(`${name}/`);
  }
  return [...urls];
}

/** What makes the document wider than the viewport, outside any scrolling box. */
function overflowReport() {
  const root = document.documentElement;
  const vw = root.clientWidth;
  if (root.scrollWidth <= vw + 1) return null;
  // Inside a box that scrolls or clips, unless it is positioned against an ancestor of
  // that box (an absolutely positioned element escapes an unpositioned scroll box).
  const scrolls = (el) => {
    const escapes = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    const anchor = el.offsetParent;
    let anchorSeen = !escapes;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (p === anchor) anchorSeen = true;
      const ox = getComputedStyle(p).overflowX;
      if (anchorSeen && (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip')) return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || scrolls(el)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    culprits.push(`${name} (right ${Math.round(r.right)})`);
    if (culprits.length === 4) break;
  }
  return `document ${root.scrollWidth}px wide in ${vw}px: ${culprits.join(', ')}`;
}

let browser;
const servers = {};
const kinds = {};
before(async () => {
  browser = await launch();
  for (const [name, root] of Object.entries(SITES)) {
    const out = build(copySite(root));
    servers[name] = await serveDir(out);
    kinds[name] = pageKinds(out);
  }
});
after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
});

for (const name of Object.keys(SITES)) {
  for (const scheme of SCHEMES) {
    for (const viewport of VIEWPORTS) {
      test(`${name}, ${viewport.width} px, ${scheme}: no overflow, failed request, console error or axe violation`, async () => {
        const server = servers[name];
        const context = await browser.newContext({ viewport, colorScheme: scheme });
        const page = await context.newPage();
        const problems = [];
        let current = '';
        page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(`${current}: console error: ${m.text()}`); });
        page.on('pageerror', (e) => problems.push(`${current}: uncaught: ${e.message}`));
        page.on('response', (r) => {
          const expected404 = current === 'missing/page/' && r.url() === server.url + current;
          if (r.status() >= 400 && !expected404) problems.push(`${current}: ${r.status()} for ${r.url().replace(server.url, '/')}`);
        });
        page.on('requestfailed', (r) => problems.push(`${current}: request failed: ${r.url()}`));
        for (const path of kinds[name]) {
          current = path;
          await page.goto(server.url + path, { waitUntil: 'load' });
          if (path.startsWith('search/')) await page.waitForSelector('[data-search-results] li', { timeout: 5000 }).catch(() => problems.push(`${path}: no search results`));
          const overflow = await page.evaluate(overflowReport);
          if (overflow) problems.push(`${path}: ${overflow}`);
          await page.addScriptTag({ path: AXE });
          const result = await page.evaluate(() =>
            window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
          for (const v of result.violations) {
            problems.push(`${path}: axe ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
          }
        }
        await context.close();
        assert.deepEqual(problems, []);
      });
    }
  }

  test(`${name}: level, matrix and compare pages fit A4 paper in print`, async () => {
    const server = servers[name];
    const problems = [];
    const printed = kinds[name].filter((p) => /^(levels|matrix|compare)\/./.test(p));
    assert.ok(printed.length >= 3, `print pages of ${name}: ${printed}`);
    for (const path of printed) {
      const width = path.startsWith('matrix/') ? A4_LANDSCAPE_PX : A4_PORTRAIT_PX;
      const context = await browser.newContext({ viewport: { width, height: 1100 } });
      const page = await context.newPage();
      await page.emulateMedia({ media: 'print' });
      await page.goto(server.url + path);
      const overflow = await page.evaluate(overflowReport);
      if (overflow) problems.push(`${path} at ${width}px: ${overflow}`);
      if (path.startsWith('matrix/')) {
        // The landscape page is real: every page of the PDF Chromium prints is A4 landscape.
        const pdf = (await page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
        const boxes = [...pdf.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [+m[1], +m[2]]);
        if (!boxes.length || boxes.some(([w, h]) => Math.round(w) !== 842 || Math.round(h) !== 595)) {
          problems.push(`${path}: printed pages are not A4 landscape: ${JSON.stringify(boxes.slice(0, 3))}`);
        }
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}

test('on a phone the header folds its navigation behind Menu; many tracks and guides fold into disclosures', async () => {
  const server = servers.dropbox;
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(server.url + 'glossary/');
  const header = () => page.evaluate(() => document.querySelector('.site-header').getBoundingClientRect().height);
  assert.ok(await header() < 130, `phone header is ${await header()} px tall`);
  assert.equal(await page.locator('#site-nav').isVisible(), false);
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  assert.ok(await page.locator('#site-nav').isVisible());
  // Nine tracks and thirteen guides: each behind its own disclosure, the current one marked.
  await page.locator('.nav-more summary', { hasText: 'Tracks' }).click();
  assert.equal(await page.locator('.nav-more a.nav-track:visible').count(), 9);
  assert.equal(await page.locator('.nav-more summary.is-current').textContent(), 'Guides');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.nav-more a.nav-track:visible').count(), 0);
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#site-nav').isVisible(), false);
  // At 1280 px the navigation is one row: Ladder, Tracks, Compare, Guides.
  await page.setViewportSize({ width: 1280, height: 900 });
  const rows = await page.evaluate(() => new Set([...document.querySelectorAll('#site-nav > ul > li')].map((li) => Math.round(li.getBoundingClientRect().top))).size);
  assert.equal(rows, 1);
  await page.locator('.nav-more summary', { hasText: 'Guides' }).click();
  assert.ok(await page.locator('.nav-more a[aria-current="page"]', { hasText: 'Glossary' }).isVisible());
  await page.mouse.click(1200, 800);
  assert.equal(await page.locator('.nav-more[open]').count(), 0, 'a click elsewhere closes it');
  await context.close();
});
