// `rungs serve` in a real browser: an edit on disk shows up by itself, a broken edit
// shows the error overlay over the last good page, and the fix removes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, copySite, startRungs, build } from './lib.mjs';

let browser, server, site;
before(async () => {
  site = copySite();
  server = await startRungs(['serve', '--root', site, '--port', '0'], /Serving .* at (http:\/\/\S+)/);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

test('an edit appears without a reload by the test; a broken edit shows the overlay until fixed', async () => {
  const url = server.match[1];
  const file = join(site, 'content', 'levels', 'expert', 'senior-engineer.md');
  const original = readFileSync(file, 'utf8');
  const page = await browser.newPage();
  await page.goto(url + 'levels/senior-engineer/');
  // Wait until the live-reload client is connected (it listens on an EventSource).
  await page.waitForFunction(() => window.__rungsLive === true);
  await page.waitForTimeout(300);

  writeFileSync(file, original.replace(/^---\n([\s\S]*?)\n---\n/, (m) => `${m}\nA sentence added by the browser test.\n\n`));
  await page.waitForFunction(() => document.body.innerText.includes('A sentence added by the browser test.'), null, { timeout: 15000 });

  writeFileSync(file, original.replace(/^band: .*$/m, 'band: b99'));
  const overlay = page.locator('#rungs-overlay');
  await overlay.waitFor({ state: 'visible', timeout: 15000 });
  const text = await overlay.innerText();
  assert.match(text, /content\/levels\/expert\/senior-engineer\.md:\d+:\d+/);
  assert.match(text, /b99/);
  // The last good page is still what is shown underneath.
  assert.ok(await page.evaluate(() => document.body.innerText.includes('A sentence added by the browser test.')));
  // The quoted source reads in both colour schemes (the site's own `pre` style must
  // not leak in): contrast of at least 4.5:1.
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const ratio = await page.evaluate(() => {
      const lum = (c) => {
        const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const st = getComputedStyle(document.querySelector('#rungs-overlay pre'));
      const [a, b] = [lum(st.color), lum(st.backgroundColor)].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    });
    assert.ok(ratio >= 4.5, `${scheme}: contrast ${ratio.toFixed(2)}`);
  }

  writeFileSync(file, original);
  await overlay.waitFor({ state: 'detached', timeout: 15000 });
  await page.waitForFunction(() => !document.body.innerText.includes('A sentence added by the browser test.'), null, { timeout: 15000 });
  await page.close();
});

test('the live-reload client is served to the preview but absent from `rungs build` output', async () => {
  const page = await browser.newPage();
  const served = await page.request.get(server.match[1] + 'levels/senior-engineer/');
  assert.match(await served.text(), /__rungs\/livereload\.js/);
  const out = build(copySite());
  assert.doesNotMatch(readFileSync(join(out, 'levels', 'senior-engineer', 'index.html'), 'utf8'), /__rungs/);
  await page.close();
});

// After an edit, the reload is sent once the pages are written; framework.json follows.
// The compare picker fetches framework.json as soon as the page reloads, so the server
// must hold that request until the new file is written: here the exports are held back
// 1.5 s (a test hook), and the comparison the page makes after its reload must show the
// edit.
test('a comparison made in the page after a live reload reads the edited framework.json', async () => {
  const own = copySite();
  const slow = await startRungs(['serve', '--root', own, '--port', '0'], /Serving .* at (http:\/\/\S+)/,
    { env: { ...process.env, RUNGS_TEST_EXPORTS_DELAY_MS: '1500' } });
  try {
    const url = slow.match[1];
    const file = join(own, 'content', 'competencies', 'enterprise', 'critical-thinking.md');
    const original = readFileSync(file, 'utf8');
    const page = await browser.newPage();
    await page.goto(url + 'compare/#engineer/principal-engineer');
    await page.locator('#compare-result table.compare-table').first().waitFor();
    await page.waitForFunction(() => window.__rungsLive === true);
    await page.waitForTimeout(300);
    const edited = original.replace('Makes sound decisions on organisation-wide questions', 'Makes sound and quokka-checked decisions on organisation-wide questions');
    assert.notEqual(edited, original);
    writeFileSync(file, edited);
    await page.waitForFunction(() => document.querySelector('#compare-result')?.textContent.includes('quokka-checked'), null, { timeout: 15000 });
    // The page was told before the exports were written (the server's line for the edit
    // says when), and read them after.
    assert.match(slow.output(), /critical-thinking\.md: .*browsers told after/);
    await page.close();
  } finally {
    await slow.stop();
  }
});
