// Accessibility: axe-core (WCAG 2 A and AA rules) on every kind of page of the sample
// site, in the light and the dark colour scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, copySite, build, serveDir } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PAGES = [
  '', 'tracks/expert/', 'levels/staff-engineer/', 'levels/engineer/', 'competencies/troubleshooting/',
  'areas/craft/', 'competencies/', 'matrix/manager/', 'compare/senior-engineer/staff-engineer/', 'compare/',
  'assess/staff-engineer/', 'search/?q=incident', 'how-to-use/', '404.html',
];

let browser, server;
before(async () => {
  server = await serveDir(build(copySite()));
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

for (const scheme of ['light', 'dark']) {
  test(`every kind of page has no axe violations in the ${scheme} scheme`, async () => {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const problems = [];
    for (const path of PAGES) {
      await page.goto(server.url + path);
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      for (const v of result.violations) {
        problems.push(`${path || '/'}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    await context.close();
    assert.deepEqual(problems, []);
  });
}
