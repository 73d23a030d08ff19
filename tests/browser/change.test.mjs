// What changes between levels, in a real browser: the level page's view switch, the
// browser's alignment (change.js) against the build's, the picker reading a pair the
// build compares the other way round, links to a reworded behaviour, and ratings that
// survive a rewording.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, copySite, build, serveDir, REPO } from './lib.mjs';

let browser, server, out;
before(async () => {
  out = build(copySite());
  server = await serveDir(out);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** Whether each element matched by `selector` is rendered (not display: none). */
async function shown(page, selector) {
  return page.locator(selector).evaluateAll((els) => els.map((e) => e.getClientRects().length > 0));
}

test('the level page opens on the changes from the level below and switches to everything', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'levels/senior-engineer/');
  assert.equal(await page.locator('#view-changes').isChecked(), true);
  assert.match((await page.locator('.change-summary').textContent()).replace(/\s+/g, ' '), /Compared with Engineer: \d+ new, \d+ grown/);
  // Changes: a reworded behaviour shows its changed words and what it grew from; what
  // is unchanged and what still holds from below are hidden, with a count.
  const reworded = page.locator('li.behaviour.change-reworded:has(.as-changed)').first();
  assert.equal(await reworded.locator('.as-changed').isVisible(), true);
  assert.equal(await reworded.locator('.as-written').isVisible(), false);
  assert.equal(await reworded.locator('.as-changed ins').first().isVisible(), true);
  assert.match(await reworded.locator('.grown-from').textContent(), /Was: .+\((Associate Engineer|Engineer)\)/);
  // A rewrite (too few words in common to mark) is shown once, as written, with what it
  // grew from unmarked.
  const rewritten = page.locator('li.behaviour.change-reworded:not(:has(.as-changed))').first();
  assert.equal(await rewritten.locator('.behaviour-text').isVisible(), true);
  assert.equal(await rewritten.locator('ins').count(), 0);
  assert.equal(await rewritten.locator('.grown-from').isVisible(), true);
  assert.equal(await rewritten.locator('.grown-from del').count(), 0);
  assert.ok((await shown(page, '.held-list')).every((v) => !v), 'held lists hidden');
  assert.ok((await shown(page, '.held-note')).some(Boolean), 'held counts shown');
  // Everything: every behaviour as written, what still holds from below, no marks.
  await page.getByText('Everything expected at Senior Engineer').click();
  assert.equal(await page.locator('#view-everything').isChecked(), true);
  assert.equal(await reworded.locator('.as-written').isVisible(), true);
  assert.equal(await reworded.locator('.as-changed').isVisible(), false);
  assert.equal(await reworded.locator('.grown-from').isVisible(), false);
  assert.ok((await shown(page, '.held-list')).every(Boolean), 'held lists shown');
  assert.ok((await shown(page, 'li.behaviour')).every(Boolean), 'every behaviour shown');
  // The "show everything" links in the changes view flip the switch too.
  await page.locator('label[for=view-changes]').click();
  assert.equal(await page.locator('#view-changes').isChecked(), true);
  await page.locator('label.view-link').first().click();
  assert.equal(await page.locator('#view-everything').isChecked(), true);
  await page.close();
});

test('the changes view hides what is unchanged, and print shows everything', async () => {
  const base = copySite();
  // A restated framework: Engineer keeps one behaviour of Associate Engineer word for word.
  const path = join(base, 'content/competencies/craft/code-quality.md');
  const text = readFileSync(path, 'utf8').replace(
    '  engineer:\n',
    '  engineer:\n    - Keeps pull requests small and focused, with a description that explains what changed and why.\n');
  writeFileSync(path, text);
  const fw = join(base, 'content/framework.yaml');
  writeFileSync(fw, readFileSync(fw, 'utf8').replace(/^expectations: .*$/m, '') + '\nexpectations: restated\n');
  const srv = await serveDir(build(base));
  const page = await browser.newPage();
  await page.goto(srv.url + 'levels/engineer/');
  const kept = page.locator('li.behaviour.change-kept').first();
  assert.equal(await kept.count(), 1);
  assert.equal(await kept.isVisible(), false);
  assert.match(await page.locator('#competency-code-quality .unchanged-note').textContent(), /1 more unchanged from Associate Engineer/);
  assert.equal(await page.locator('#competency-code-quality .dropped-list').isVisible(), true);
  // A link to the hidden behaviour still shows it.
  await page.goto(srv.url + 'levels/engineer/#' + (await kept.getAttribute('id')));
  assert.equal(await kept.isVisible(), true);
  await page.emulateMedia({ media: 'print' });
  await page.goto(srv.url + 'levels/engineer/');
  assert.equal(await kept.isVisible(), true);
  assert.equal(await page.locator('.view-switch').isVisible(), false);
  assert.equal(await page.locator('.dropped-list').first().isVisible(), false);
  await page.close();
  await srv.close();
});

test('change.js links the labelled real-framework comparisons exactly as the build does', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/');
  await page.waitForFunction(() => window.__rungsChange && window.__rungsSearch && window.__rungsSearch.engine);
  const labels = JSON.parse(readFileSync(join(REPO, 'tests/fixtures/alignment/labels.json'), 'utf8'));
  const want = JSON.parse(readFileSync(join(REPO, 'tests/fixtures/alignment/links.json'), 'utf8'));
  const got = await page.evaluate((labels) => {
    const C = window.__rungsChange;
    const item = (t) => ({ sig: C.signature(C.plain(t)) });
    return labels.map((c) => C.align(c.old.map(item), c.new.map(item), true).map((l) => [l.old, l.new]));
  }, labels);
  assert.equal(got.length, 91);
  got.forEach((links, k) => assert.deepEqual(links, want[k], `comparison ${k}`));
  await page.close();
});

test('change.js marks a word as the build does, punctuation around it aside', async () => {
  // src/change/diff.rs punctuation_around_a_word_does_not_make_it_another: "risk," and
  // "risk" are one word, so only what changed around it is marked.
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/');
  await page.waitForFunction(() => window.__rungsChange);
  const got = await page.evaluate(() => window.__rungsChange.diffGroup(
    ['adjust my approach based on the impact and risk, and share that rationale with stakeholders'],
    ['adjust my approach based on the impact and risk in the short and long-term']));
  const marked = (side, mark) => side[0].filter((s) => s[0] === mark).map((s) => s[1]);
  assert.deepEqual(marked(got[0], 'removed'), ['and share that rationale with stakeholders']);
  assert.deepEqual(marked(got[1], 'added'), ['in the short and long-term']);
  await page.close();
});

/** The kinds of the rows of every comparison table under `scope`, counted. */
async function rowKinds(page, scope) {
  return page.locator(`${scope} table.compare-table:not(.off-track) tbody tr`).evaluateAll((rows) => {
    const n = {};
    rows.forEach((r) => { const k = r.className.replace(/^row-/, '').split(' ')[0]; n[k] = (n[k] || 0) + 1; });
    return n;
  });
}

test('the picker reads a pre-rendered pair the other way round as the build compares it', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + 'compare/engineer/senior-engineer/');
  const forward = await rowKinds(page, 'article');
  await page.goto(server.url + 'compare/#senior-engineer/engineer');
  await page.locator('#compare-result table.compare-table').first().waitFor();
  const back = await rowKinds(page, '#compare-result');
  // Rows are the same groups: new and dropped, merged and split trade places.
  assert.equal(back.dropped || 0, forward.new || 0);
  assert.equal(back.new || 0, forward.dropped || 0);
  assert.equal(back.reworded || 0, forward.reworded || 0);
  assert.equal(back.merged || 0, forward.split || 0);
  assert.ok(forward.new > 10 && forward.reworded > 0, JSON.stringify(forward));
  await page.close();
});

test('a link to a behaviour that has since been reworded opens the closest one', async () => {
  const page = await browser.newPage();
  // The anchor an older wording gave ("Uses code reviews as teaching tools").
  await page.goto(server.url + 'levels/senior-engineer/#code-quality-uses-code-reviews-as-teaching-tools');
  await page.locator('.link-note').waitFor();
  assert.match(page.url(), /#code-quality-uses-code-review-as-a-teaching-tool-explaining$/);
  assert.equal(await page.locator(':target .link-note').isVisible(), true);
  await page.close();
});

test('ratings follow a behaviour whose words changed since they were given', async () => {
  const base = copySite();
  let srv = await serveDir(build(base));
  const context = await browser.newContext();
  const page = await context.newPage();
  // Rate the three code-quality behaviours of Engineer, and share a link.
  await page.goto(srv.url + 'assess/engineer/');
  const box = page.locator('.assess-competency[data-competency="code-quality"] .assess-item');
  await box.nth(0).getByLabel('Consistently').check();
  await box.nth(1).getByLabel('Sometimes').check();
  await box.nth(2).getByLabel('Not yet').check();
  await page.click('#assess-share');
  const shared = await page.locator('#assess-share-url').inputValue();
  const anchors = await box.evaluateAll((fs) => fs.map((f) => f.dataset.anchor));
  const port = srv.port;
  await srv.close();

  // The framework moves on: the second behaviour is reworded (its anchor follows its
  // words) and a new one comes first.
  const path = join(base, 'content/competencies/craft/code-quality.md');
  writeFileSync(path, readFileSync(path, 'utf8')
    .replace('Leaves code they touch a little better than they found it', 'Leaves the code they change a little better than they found it')
    .replace('  engineer:\n', '  engineer:\n    - Writes a short design note before a change that touches several modules.\n'));
  // Served at the same origin, so the browser still holds the ratings.
  srv = await serveDir(build(base), port);
  await page.goto(srv.url + 'assess/engineer/');
  const now = page.locator('.assess-competency[data-competency="code-quality"] .assess-item');
  const newAnchors = await now.evaluateAll((fs) => fs.map((f) => f.dataset.anchor));
  assert.ok(!newAnchors.includes(anchors[1]), 'the reworded behaviour has a new anchor');
  assert.equal(await now.nth(0).locator('input:checked').count(), 0, 'the new behaviour is not rated');
  assert.equal(await now.nth(1).getByLabel('Consistently').isChecked(), true);
  assert.equal(await now.nth(2).getByLabel('Sometimes').isChecked(), true);
  assert.equal(await now.nth(3).getByLabel('Not yet').isChecked(), true);
  assert.equal(await now.nth(2).locator('.assess-changed').isVisible(), true);
  assert.match(await page.locator('#assess-status').textContent(), /1 behaviour has changed since rated \(marked below: check them\)/);
  // Rating it again clears the mark, and the rating is kept under the new anchor.
  await now.nth(2).getByLabel('Consistently').check();
  assert.equal(await now.nth(2).locator('.assess-changed').count(), 0);
  await page.reload();
  assert.equal(await now.nth(2).getByLabel('Consistently').isChecked(), true);
  assert.equal(await now.nth(2).locator('.assess-changed').count(), 0);

  // The link shared before the change still opens, in a fresh profile, on the right
  // behaviours. A link carries no words, so the reworded behaviour's rating (its anchor
  // is gone) is not placed by position: it is listed as not placed, never moved.
  const other = await (await browser.newContext()).newPage();
  await other.goto(srv.url + 'assess/engineer/' + new URL(shared).hash);
  const there = other.locator('.assess-competency[data-competency="code-quality"] .assess-item');
  assert.equal(await there.nth(0).locator('input:checked').count(), 0);
  assert.equal(await there.nth(1).getByLabel('Consistently').isChecked(), true);
  assert.equal(await there.nth(2).locator('input:checked').count(), 0);
  assert.equal(await there.nth(3).getByLabel('Not yet').isChecked(), true);
  assert.match(await other.locator('#assess-removed').textContent(), /^Not placed \(1\).*Sometimes: a behaviour of Code quality/);
  assert.equal(await there.nth(1).locator('.assess-changed').count(), 0);
  await other.close();
  await context.close();
  await srv.close();
});
