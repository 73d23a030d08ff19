// Issue 17 in a real browser: a person and their manager rate the same level in two
// isolated browser contexts, blind first; the manager calibrates with both record files;
// the agreed record is exported and reopened; records made before the framework was
// edited (a rewording, a reorder, a removal, a new behaviour) are opened against the
// edited site and nothing lands on the wrong behaviour; a cut share link is refused;
// the whole flow works from the keyboard and the calibration view passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, copySite, build, serveDir } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const LEVEL = 'assess/senior-engineer/';
const B1 = 'Recognises structural problems in the team’s codebase';
const B2 = 'Sets and documents the team’s coding conventions';
const B3 = 'Uses code review as a teaching tool';
const NEW = 'Keeps an eye on build times and flaky tests';

let browser, site, server, edited;
before(async () => {
  site = copySite();
  server = await serveDir(build(site));
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); await edited?.close(); });

const item = (page, n) => page.locator('.assess-item').nth(n);
let saved = 0;
/** Clicks `selector` and keeps the file it downloads (a context's downloads go with it). */
async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(site, `download-${saved++}-${d.suggestedFilename()}`);
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path };
}
/** Rates the first behaviours of the level with `titles` (null leaves one unrated). */
async function rate(page, titles) {
  for (const [n, t] of titles.entries()) if (t) await item(page, n).getByLabel(t, { exact: true }).check();
  await page.waitForTimeout(400);
}

/** The person's and the manager's records of the sample's Senior Engineer. */
async function twoRecords() {
  const person = await browser.newContext();
  const p = await person.newPage();
  await p.goto(server.url + LEVEL);
  await p.fill('#assess-person', 'Ana Lima');
  await rate(p, ['Consistently', 'Not yet', 'Sometimes']);
  await item(p, 0).locator('.assess-evidence').selectOption('artefact');
  await item(p, 0).locator('.assess-bnote').fill('Pricing module, PRs 101-104');
  await p.locator('#assess-summary').fill('Strong on craft.');
  await p.waitForTimeout(400);
  const self = await download(p, '#assess-export-json');
  await person.close();

  const manager = await browser.newContext();
  const m = await manager.newPage();
  await m.goto(server.url + LEVEL);
  await m.getByLabel('Assessing a report').check();
  await m.fill('#assess-person', 'Ana Lima');
  await rate(m, ['Not yet', 'Not yet', 'Consistently', 'Sometimes']);
  await item(m, 2).locator('.assess-evidence').selectOption('peer');
  return { self, manager, m };
}

test('two people rate apart, blind first, calibrate, agree, export and reopen the agreed record', async () => {
  const { self, manager, m } = await twoRecords();
  assert.match(self.name, /^assessment-self-senior-engineer-ana-lima-\d{4}-\d\d-\d\d\.json$/);
  assert.equal(await m.locator('h1').textContent(), 'Assessing Ana Lima: Senior Engineer');
  assert.match(await m.title(), /^Assessing Ana Lima: Senior Engineer · /);
  // Each role keeps its own state: the manager's survives a reload, the self slot is empty.
  await m.waitForTimeout(400);
  await m.reload();
  assert.equal(await m.getByLabel('Assessing a report').isChecked(), true);
  assert.equal(await item(m, 2).getByLabel('Consistently', { exact: true }).isChecked(), true);
  await m.getByLabel('Assessing myself').check();
  assert.equal(await m.locator('.assess-item input:checked').count(), 0);
  await m.getByLabel('Assessing a report').check();
  assert.equal(await item(m, 0).getByLabel('Not yet', { exact: true }).isChecked(), true);

  // Blind first: the self-assessment cannot be opened before the manager's own export.
  await m.setInputFiles('#assess-open', self.path);
  await m.waitForTimeout(200);
  assert.match(await m.locator('#assess-status').textContent(), /Blind first/);
  await m.click('[data-view="calibrate"]');
  assert.equal(await m.locator('#calibrate-other').isDisabled(), true);
  assert.match(await m.locator('#calibrate-blind').textContent(), /Blind first: load your own exported record before theirs/);
  const mine = await download(m, '#calibrate-use-mine');
  assert.match(mine.name, /^assessment-manager-senior-engineer-ana-lima-/);
  assert.equal(await m.locator('#calibrate-other').isDisabled(), false);
  // The person's record in the manager's own slot is refused.
  await m.setInputFiles('#calibrate-other', mine.path);
  await m.waitForTimeout(200);
  assert.match(await m.locator('#calibrate-status').textContent(), /this box wants the person's self-assessment/);
  await m.setInputFiles('#calibrate-other', self.path);
  await m.waitForTimeout(300);

  // Rated by both: 3; different: behaviour 1 (two steps) and 3 (one step).
  assert.match(await m.locator('.cal-differ-count').textContent(), /^2 of 3 behaviours rated by both differ by a step or more \(1 by two or more\)\. 1 of \d+ agreed\.$/);
  const rows = m.locator('.cal-item');
  assert.equal(await rows.nth(0).evaluate((e) => e.classList.contains('cal-differs')), true);
  assert.equal(await rows.nth(1).evaluate((e) => e.classList.contains('cal-differs')), false);
  assert.match(await rows.nth(0).locator('.cal-self').textContent(), /Consistently.*Evidence: An artefact.*Pricing module, PRs 101-104/);
  assert.match(await rows.nth(0).locator('.cal-manager').textContent(), /Not yet/);
  assert.match(await rows.nth(0).locator('.cal-gap').textContent(), /Differs by 2 steps/);
  assert.match(await rows.nth(2).locator('.cal-manager').textContent(), /Consistently.*Evidence: A peer/);
  assert.equal(await rows.nth(1).locator('select').inputValue(), 'not-yet', 'agreed where both agree');

  // A pre-filled agreed rating can be set back to "Not agreed yet", and stays so.
  await rows.nth(1).locator('select').selectOption('');
  assert.equal(await rows.nth(1).locator('select').inputValue(), '');
  assert.match(await m.locator('.cal-plan').textContent(), /Agree the ratings above to build the plan/);
  await rows.nth(1).locator('select').selectOption('not-yet');
  await rows.nth(0).locator('select').selectOption('sometimes');
  await m.locator('.cal-item').nth(2).locator('select').selectOption('consistently');
  await m.getByLabel('Performing', { exact: true }).check();
  await m.fill('#cal-outcome-note', 'Working at the level; craft ahead of delivery.');
  await m.selectOption('#cal-target', 'staff-engineer');
  assert.match(await m.locator('.cal-differ-count').textContent(), /3 of \d+ agreed/);
  assert.ok((await m.locator('.cal-plan').textContent()).includes(B1), 'the plan lists what is agreed below the top rating');
  assert.ok(await m.locator('.cal-plan .plan-counts a[href*="compare/senior-engineer/staff-engineer/#competency-"]').count() > 0);

  const agreed = await download(m, '#cal-export-json');
  const rec = JSON.parse(readFileSync(agreed.path, 'utf8'));
  assert.equal(rec.role, 'agreed');
  assert.equal(rec.person, 'Ana Lima');
  assert.equal(rec.outcome.id, 'performing');
  assert.equal(rec.target, 'staff-engineer');
  assert.equal(rec.behaviours[0].rating, 'sometimes');
  assert.equal(rec.behaviours[0].self.rating, 'consistently');
  assert.equal(rec.behaviours[0].manager.rating, 'not-yet');
  assert.ok(rec.behaviours[0].text.startsWith(B1.replace('’', '’')));

  const md = readFileSync((await download(m, '#cal-export-md')).path, 'utf8');
  assert.ok(md.startsWith('# Calibration: Senior Engineer, Ana Lima'), md.slice(0, 80));
  assert.ok(md.includes('**Outcome:** Performing. Working at the level'));
  assert.ok(md.includes('  - **Agreed: Sometimes**'));
  // A review document carries both sides' summaries (and notes), not only the ratings.
  assert.match(md, /## Summaries\n\n\*\*Self:\*\*\n\n> Strong on craft\./);
  const csv = readFileSync((await download(m, '#cal-export-csv')).path, 'utf8').replace(/^\ufeff/, '').split('\r\n');
  assert.equal(csv[0], 'level,area,competency,behaviour,self,self_evidence,self_note,manager,manager_evidence,manager_note,difference,agreed');
  assert.match(csv[1], /,Consistently,An artefact,Pricing module\, PRs 101-104,Not yet,,,2,Sometimes$|,Consistently,An artefact,"Pricing module, PRs 101-104",Not yet,,,2,Sometimes$/);
  await manager.close();

  // Reopened in another browser: the same calibration.
  const again = await browser.newContext();
  const a = await again.newPage();
  await a.goto(server.url + LEVEL);
  await a.click('[data-view="calibrate"]');
  await a.setInputFiles('#calibrate-agreed', agreed.path);
  await a.waitForTimeout(300);
  assert.match(await a.locator('.cal-differ-count').textContent(), /^2 of 3 .* 3 of \d+ agreed\.$/);
  assert.equal(await a.locator('.cal-item').nth(0).locator('select').inputValue(), 'sometimes');
  assert.equal(await a.getByLabel('Performing', { exact: true }).isChecked(), true);
  // A damaged copy is refused with a message.
  const damaged = join(site, 'damaged.json');
  writeFileSync(damaged, readFileSync(agreed.path, 'utf8').replace('"sometimes"', '"consistently"'));
  await a.setInputFiles('#calibrate-agreed', damaged);
  await a.waitForTimeout(200);
  assert.match(await a.locator('#calibrate-status').textContent(), /damaged: its checksum does not match/);
  await again.close();
});

test('records opened after a rewording, a reorder, a removal and a new behaviour: nothing lands on the wrong behaviour', async () => {
  const { self, manager, m } = await twoRecords();
  const mine = await download(m, '#assess-export-json');
  await m.click('#assess-share');
  const link = await m.locator('#assess-share-url').inputValue();
  await manager.close();

  // The framework is edited the way a pull request would, and the site rebuilt.
  const edit = copySite(site);
  const file = join(edit, 'content/competencies/craft/code-quality.md');
  const text = readFileSync(file, 'utf8');
  const before = `    - text: Recognises structural problems in the team's codebase and improves them incrementally alongside feature work.
      examples:
        - Extracts a tangle of pricing rules duplicated across three handlers into a single tested module over a few pull requests, without a feature freeze.
    - Sets and documents the team's coding conventions and automates them where possible, so reviews can focus on design rather than style.
    - Uses code review as a teaching tool, explaining the principle behind a suggestion so the author can apply it next time.
`;
  assert.ok(text.includes(before), 'the sample changed');
  writeFileSync(file, text.replace(before, `    - Uses code review as a teaching tool, explaining the principle behind a suggestion so the author can apply it next time.
    - Recognises structural problems in the team's codebase and fixes them step by step alongside feature work.
    - Keeps an eye on build times and flaky tests, and asks for help early.
`));
  edited = await serveDir(build(edit));

  const person = await browser.newContext();
  const p = await person.newPage();
  await p.goto(edited.url + LEVEL);
  assert.ok((await item(p, 0).textContent()).includes(B3));
  await p.setInputFiles('#assess-open', self.path);
  await p.waitForTimeout(300);
  // Reordered: still Sometimes, not flagged.
  assert.equal(await item(p, 0).getByLabel('Sometimes', { exact: true }).isChecked(), true);
  assert.equal(await item(p, 0).locator('.assess-changed').count(), 0);
  // Reworded: still Consistently, flagged with the words it was rated for, evidence kept.
  assert.ok((await item(p, 1).textContent()).includes('fixes them step by step'));
  assert.equal(await item(p, 1).getByLabel('Consistently', { exact: true }).isChecked(), true);
  assert.match(await item(p, 1).locator('.assess-changed').textContent(), /Changed since you rated it/);
  assert.match(await item(p, 1).locator('.assess-was').textContent(), /When rated it read: .*improves them incrementally/);
  assert.equal(await item(p, 1).locator('.assess-was del').count() > 0, true);
  assert.equal(await item(p, 1).locator('.assess-evidence').inputValue(), 'artefact');
  // New: unrated.
  assert.ok((await item(p, 2).textContent()).includes(NEW));
  assert.equal(await item(p, 2).locator('input:checked').count(), 0);
  // Removed: listed, not moved.
  assert.match(await p.locator('#assess-removed').textContent(), new RegExp(`No longer in the framework \\(1\\).*Not yet: ${B2}`));
  assert.match(await p.locator('#assess-status').textContent(), /1 behaviour has changed since rated.*1 rated behaviour is no longer in the framework/);

  // Calibrating the two old records on the new site shows the same.
  await p.click('[data-view="calibrate"]');
  await p.setInputFiles('#calibrate-own', self.path);
  await p.setInputFiles('#calibrate-other', mine.path);
  await p.waitForTimeout(300);
  const rows = p.locator('.cal-item');
  assert.match(await rows.nth(0).locator('.cal-self').textContent(), /^SelfSometimes/i);
  assert.match(await rows.nth(1).locator('.cal-self').textContent(), /Consistently.*Changed since rated/);
  assert.match(await rows.nth(1).locator('.cal-manager').textContent(), /Not yet.*Changed since rated/);
  assert.match(await rows.nth(2).textContent(), /New since these records: not rated/);
  assert.match(await p.locator('.cal-removed').textContent(), new RegExp(`Self: rated but no longer in the framework \\(1\\)Not yet: ${B2}`));

  // The Markdown for the review document says which ratings were given to other words.
  await p.locator('.cal-item').nth(0).locator('select').selectOption('sometimes');
  const md = readFileSync((await download(p, '#cal-export-md')).path, 'utf8');
  assert.match(md, /Self: Consistently.*changed since rated; rated when it read: "Recognises structural problems/);
  assert.match(md, /## Rated but no longer in the framework\n\n- Sets and documents/);
  // The agreed record keeps them too, with their rating.
  const kept = JSON.parse(readFileSync((await download(p, '#cal-export-json')).path, 'utf8'));
  assert.equal(kept.no_longer_listed.self.length, 1);
  assert.match(kept.no_longer_listed.self[0].text, /^Sets and documents/);
  assert.equal(kept.no_longer_listed.self[0].rating, 'not-yet');

  // What changed since the last check-in: the old self record as the earlier one.
  await p.setInputFiles('#calibrate-earlier', self.path);
  await p.waitForTimeout(300);
  assert.match(await p.locator('.cal-counts').textContent(), /Since the last check-in \(\d{4}-\d\d-\d\d\)/);
  assert.equal(await rows.nth(0).locator('.cal-earlier').count(), 1);
  await person.close();

  // The manager's old share link (B1, B2 Not yet, B3 Consistently): B3 keeps its rating;
  // B1 was reworded after its first words, so its anchor is the same: it keeps its
  // rating and is marked as changed (the link carries a hash of the words). B2 (removed)
  // matches nothing and is listed as not placed, never put on the new behaviour.
  const viaLink = await browser.newContext();
  const l = await viaLink.newPage();
  await l.goto(edited.url + LEVEL + link.slice(link.indexOf('#')));
  // It is the manager's link: it opens as the manager's assessment, not the person's own.
  assert.equal(await l.getByLabel('Assessing a report').isChecked(), true);
  assert.match(await l.locator('#assess-status').textContent(), /replacing the assessment of a report of this level/);
  assert.equal(await item(l, 0).getByLabel('Consistently', { exact: true }).isChecked(), true);
  assert.equal(await item(l, 0).locator('.assess-changed').count(), 0);
  assert.equal(await item(l, 1).getByLabel('Not yet', { exact: true }).isChecked(), true);
  assert.match(await item(l, 1).locator('.assess-changed').textContent(), /Changed since you rated it/);
  assert.equal(await item(l, 2).locator('input:checked').count(), 0);
  assert.match(await l.locator('#assess-status').textContent(), /1 behaviour has changed since rated.*1 rating could not be placed/);
  assert.match(await l.locator('#assess-removed').textContent(), /^Not placed \(1\).*Not yet: a behaviour of Code quality/);
  // Switching role is not an edit: the link's ratings are not saved over the kept ones.
  await l.getByLabel('Assessing myself').check();
  await l.getByLabel('Assessing a report').check();
  assert.equal(await l.locator('.assess-item input:checked').count(), 0);
  assert.ok(!l.url().includes('#'));
  await viaLink.close();
});

test('calibration works offline from file://', async () => {
  const { self, manager, m } = await twoRecords();
  const mine = await download(m, '#assess-export-json');
  await manager.close();
  const ctx = await browser.newContext({ offline: true });
  const p = await ctx.newPage();
  const failed = [];
  p.on('requestfailed', (r) => failed.push(r.url()));
  await p.goto('file://' + join(site, 'public', LEVEL, 'index.html'));
  await p.click('[data-view="calibrate"]');
  await p.setInputFiles('#calibrate-own', self.path);
  await p.setInputFiles('#calibrate-other', mine.path);
  await p.waitForTimeout(300);
  assert.match(await p.locator('.cal-differ-count').textContent(), /^2 of 3 behaviours rated by both differ/);
  await p.getByLabel('Maturing', { exact: true }).check();
  const agreed = await download(p, '#cal-export-json');
  assert.equal(JSON.parse(readFileSync(agreed.path, 'utf8')).outcome.id, 'maturing');
  assert.deepEqual(failed, []);
  await ctx.close();
});

test('a share link cut short is refused with a message, a whole one opens', async () => {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(server.url + LEVEL);
  await rate(p, ['Consistently', 'Sometimes']);
  await p.click('#assess-share');
  const url = await p.locator('#assess-share-url').inputValue();
  assert.match(url, /#v=4&.*&c=[0-9a-f]{10}$/);
  assert.ok(!url.split('#')[0].includes('?'), 'nothing in the query string');
  await ctx.close();

  for (const [link, ok] of [[url, true], [url.slice(0, -4), false], [url.slice(0, url.indexOf('&c=')), false]]) {
    const fresh = await browser.newContext();
    const o = await fresh.newPage();
    await o.goto(link);
    const status = await o.locator('#assess-status').textContent();
    if (ok) {
      assert.equal(await item(o, 0).getByLabel('Consistently', { exact: true }).isChecked(), true);
    } else {
      assert.match(status, /This link is incomplete: it was probably cut short/);
      assert.equal(await o.locator('.assess-item input:checked').count(), 0);
    }
    await fresh.close();
  }

  // A refused link loads nothing, yet shows what this browser keeps, so the first change
  // does not replace the kept assessment with an empty one.
  const keep = await browser.newContext();
  const k = await keep.newPage();
  await k.goto(server.url + LEVEL);
  await rate(k, ['Consistently', 'Sometimes']);
  await k.goto('about:blank');
  await k.goto(url.slice(0, -4));
  assert.match(await k.locator('#assess-status').textContent(), /This link is incomplete/);
  assert.equal(await item(k, 0).getByLabel('Consistently', { exact: true }).isChecked(), true);
  await rate(k, [null, null, 'Not yet']);
  await k.goto('about:blank');
  await k.goto(server.url + LEVEL);
  assert.equal(await item(k, 1).getByLabel('Sometimes', { exact: true }).isChecked(), true);
  await keep.close();
});

test('keyboard only: role, ratings, evidence, export and calibration', async () => {
  const { self, manager, m } = await twoRecords();
  await manager.close();
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(server.url + LEVEL);
  // The role: focus the checked radio, arrow to the other.
  await p.getByLabel('Assessing myself').focus();
  await p.keyboard.press('ArrowRight');
  assert.equal(await p.getByLabel('Assessing a report').isChecked(), true);
  await p.keyboard.press('Tab');
  await p.keyboard.type('Ana Lima');
  // Rating: Tab into the first behaviour's radios, arrows choose.
  await item(p, 0).getByLabel('Not yet', { exact: true }).focus();
  await p.keyboard.press('Space');
  await p.keyboard.press('ArrowRight');
  assert.equal(await item(p, 0).getByLabel('Sometimes', { exact: true }).isChecked(), true);
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.activeElement.className), 'assess-evidence');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Tab');
  await p.keyboard.type('Seen in the design review');
  await p.waitForTimeout(400);
  // Calibrate with Enter on the buttons.
  await p.locator('[data-view="calibrate"]').focus();
  await p.keyboard.press('Enter');
  await p.locator('#calibrate-use-mine').focus();
  const [d] = await Promise.all([p.waitForEvent('download'), p.keyboard.press('Enter')]);
  assert.match(d.suggestedFilename(), /^assessment-manager-/);
  await p.setInputFiles('#calibrate-other', self.path);
  await p.waitForTimeout(300);
  const first = p.locator('.cal-item').nth(0).locator('select');
  await first.focus();
  await p.keyboard.press('ArrowDown');
  await p.waitForTimeout(100);
  assert.notEqual(await p.locator('.cal-item').nth(0).locator('select').inputValue(), '');
  assert.equal(await p.evaluate(() => document.activeElement.id), 'agreed-0', 'focus stays on the agreed rating after the view updates');
  await ctx.close();
});

test('the calibration view and the roles pass axe in both schemes, fit a phone and print', async () => {
  const { self, manager, m } = await twoRecords();
  await m.click('[data-view="calibrate"]');
  await download(m, '#calibrate-use-mine');
  await m.setInputFiles('#calibrate-other', self.path);
  await m.waitForTimeout(300);
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    await m.emulateMedia({ colorScheme: scheme });
    await m.addScriptTag({ path: AXE });
    const result = await m.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) problems.push(`${scheme}: ${v.id} ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
  // No sideways scrolling on a phone, and the view prints without its controls.
  await m.setViewportSize({ width: 390, height: 844 });
  const wide = await m.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) problems.push(`390 px: the page is ${wide} px wide`);
  await m.emulateMedia({ media: 'print', colorScheme: 'light' });
  assert.equal(await m.locator('.calibrate-load').isVisible(), false);
  assert.equal(await m.locator('#assess-checklist').isVisible(), false);
  assert.equal(await m.locator('.cal-item').first().isVisible(), true);
  await manager.close();
  assert.deepEqual(problems, []);
});
