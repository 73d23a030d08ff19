// The built sample site in a real browser: pages load, links work, no script runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, copySite, build, serveDir, REPO } from './lib.mjs';

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

test('a ladder of many tracks fits a laptop screen, the manager track in view; a few tracks keep their summaries', async () => {
  // Dropbox: nine tracks, the manager track last. Wider than the screen, its last column
  // was off to the right at 1280 px with nothing on screen saying it was there.
  const dropbox = await serveDir(build(copySite(join(REPO, 'tests/corpus/dropbox'))));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(dropbox.url);
    const fit = await page.locator('main .table-wrap').evaluate((w) => [w.scrollWidth, w.clientWidth]);
    assert.ok(fit[0] <= fit[1], `the ladder scrolls sideways at 1280 px: ${fit}`);
    const manager = page.locator('main table.ladder thead th.track-manager');
    assert.equal(await manager.count(), 1);
    const box = await manager.boundingBox();
    assert.ok(box.x + box.width <= 1280, `the manager track's column ends at ${box.x + box.width}`);
    assert.equal(await page.locator('main table.ladder .level-summary').first().isVisible(), false);
    // The sample's three tracks keep each level's summary in the ladder.
    await page.goto(server.url);
    assert.equal(await page.locator('main table.ladder.ladder-compact').count(), 0);
    assert.ok(await page.locator('main table.ladder .level-summary').first().isVisible());
  } finally {
    await page.close();
    await dropbox.close();
  }
});

test('a level page keyboard-navigates from the skip link to main content', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'levels/staff-engineer/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.equal(focused, '#main');
  await page.close();
});

test('a site logo and accent colour read in both schemes (axe colour contrast)', async () => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { createRequire } = await import('node:module');
  const root = copySite(join(REPO, 'tests/fixtures/basic'));
  mkdirSync(join(root, 'static'), { recursive: true });
  writeFileSync(join(root, 'static/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#b3261e"/></svg>');
  writeFileSync(join(root, 'site.toml'), 'title = "Basic"\nlogo = "logo.svg"\naccent_color = "#b3261e"\n');
  const site = await serveDir(build(root));
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  try {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(site.url + 'levels/staff-engineer/');
      const logo = await page.locator('.brand-logo').evaluate((img) => [img.complete, img.naturalWidth > 0, img.getBoundingClientRect().height > 0]);
      assert.deepEqual(logo, [true, true, true], 'the logo loads and is shown');
      const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--link').trim());
      if (colorScheme === 'light') {
        assert.equal(accent, '#b3261e');
      } else {
        assert.match(accent, /^#[0-9a-f]{6}$/);
        assert.notEqual(accent, '#b3261e', 'a lighter shade in the dark scheme');
      }
      // The primary button is drawn in the accent, so the contrast check below covers it.
      assert.equal(await page.locator('a.button').first().evaluate((a) => getComputedStyle(a).backgroundColor),
        await page.evaluate((c) => { const d = document.createElement('div'); d.style.color = c; document.body.append(d); const v = getComputedStyle(d).color; d.remove(); return v; }, accent));
      await page.addScriptTag({ path: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['color-contrast'] }));
      assert.deepEqual(result.violations.map((v) => v.nodes.map((n) => n.target.join(' '))), [], colorScheme);
      await context.close();
    }
  } finally { await site.close(); }
});

test('edit and feedback links are quiet, show on hover and focus, read in both schemes and do not print', async () => {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { createRequire } = await import('node:module');
  const root = copySite();
  const toml = join(root, 'site.toml');
  writeFileSync(toml, `repository = "https://github.com/acme/careers"\n${readFileSync(toml, 'utf8')}`);
  const site = await serveDir(build(root));
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  try {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(site.url + 'competencies/code-quality/');
      const edit = page.locator('.source-links a', { hasText: 'Edit this page' });
      assert.match(await edit.getAttribute('href'), /^https:\/\/github\.com\/acme\/careers\/edit\/main\/content\/competencies\/craft\/code-quality\.md$/);
      assert.match(await page.locator('.source-links a', { hasText: 'Give feedback on' }).getAttribute('href'), /^https:\/\/github\.com\/acme\/careers\/issues\/new\?title=/);
      // A behaviour's feedback icon is invisible until its behaviour is hovered or it is focused.
      const behaviour = page.locator('li.behaviour').first();
      const icon = behaviour.locator('.feedback-link');
      const opacity = () => icon.evaluate((a) => getComputedStyle(a).opacity);
      assert.equal(await opacity(), '0');
      await behaviour.hover();
      assert.equal(await opacity(), '1');
      await page.mouse.move(0, 0);
      await icon.focus();
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Feedback on this behaviour');
      assert.equal(await opacity(), '1');
      await page.addScriptTag({ path: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['color-contrast', 'link-name'] }));
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' '))}`), [], colorScheme);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.source-links').isVisible(), false, 'no edit links in print');
      assert.equal(await icon.isVisible(), false, 'no feedback icons in print');
      await context.close();
    }
  } finally { await site.close(); }
});

test('@/ links lead to their page from pages at every depth', async () => {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = copySite(join(REPO, 'tests/fixtures/basic'));
  writeFileSync(join(root, 'content/pages/faq.md'), '---\ntitle: FAQ\n---\n## Can I switch tracks?\n\nYes: see [Staff](@/levels/staff-engineer#competency-design).\n');
  const mentoring = join(root, 'content/competencies/people/mentoring.md');
  writeFileSync(mentoring, readFileSync(mentoring, 'utf8').replace('- Mentors senior engineers.', '- Mentors senior engineers, as [the FAQ](@/faq#can-i-switch-tracks) says.'));
  const site = await serveDir(build(root));
  const page = await browser.newPage();
  try {
    for (const [from, text, to] of [
      ['faq/', 'Staff', 'levels/staff-engineer/#competency-design'],
      ['levels/staff-engineer/', 'the FAQ', 'faq/#can-i-switch-tracks'],
      ['competencies/mentoring/', 'the FAQ', 'faq/#can-i-switch-tracks'],
      ['matrix/expert/', 'the FAQ', 'faq/#can-i-switch-tracks'],
    ]) {
      await page.goto(site.url + from);
      await page.locator('main a', { hasText: text }).first().click();
      await page.waitForURL(site.url + to);
      assert.equal(await page.locator('h1').count(), 1, `${from} -> ${to}`);
    }
  } finally { await page.close(); await site.close(); }
});
