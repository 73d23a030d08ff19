// The search engine of themes/default/static/search.js, run in Node against real index
// files built by `rungs build`: stemming parity with the Rust side, and ranking.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { REPO, build, copySite } from './lib.mjs';

/** Loads search.js in a sandbox whose loader reads the built index files from `out`. */
function engineFor(out) {
  const ctx = {};
  ctx.globalThis = ctx;
  vm.createContext(ctx);
  vm.runInContext(readFileSync(join(REPO, 'themes/default/static/search.js'), 'utf8'), ctx);
  const R = ctx.__rungsSearch;
  R.load = (id, path) => {
    vm.runInContext(readFileSync(join(out, 'search', path), 'utf8'), ctx);
    return Promise.resolve(R.engine.store[id]);
  };
  vm.runInContext(readFileSync(join(out, 'search', 'manifest.js'), 'utf8'), ctx);
  return { R, engine: new R.engine.Engine(R.engine.store.m) };
}

const ALL = { track: -1, area: -1 };
/** Values from the sandbox's realm, as plain values of this one. */
const plain = (x) => JSON.parse(JSON.stringify(x));
let basic, sample;
before(() => {
  basic = engineFor(build(copySite(join(REPO, 'tests/fixtures/basic'))));
  sample = engineFor(build(copySite()));
});

async function titles(e, q, filters = ALL, limit = 5) {
  const res = await e.engine.search(q, filters, limit);
  return plain(res.results.map((r) => `${r.kind}: ${r.title || r.fields[0]}`));
}

test('the client stemmer agrees with the Rust one on the golden list', () => {
  const { stem } = basic.R.engine;
  const lines = readFileSync(join(REPO, 'tests/fixtures/search/stems.txt'), 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 500);
  const wrong = lines.map((l) => l.split(' ')).filter(([w, s]) => stem(w) !== s);
  assert.deepEqual(wrong, []);
});

test('words are lowercased runs of letters and digits', () => {
  const { words } = basic.R.engine;
  assert.deepEqual(plain(words("Leads cross-team P1 café").map((w) => w.lower)), ['leads', 'cross', 'team', 'p1', 'café']);
});

test('a title match ranks above behaviours that mention the word', async () => {
  const got = await titles(basic, 'mentoring');
  assert.equal(got[0], 'competency: Mentoring');
  assert.ok(got.includes('behaviour: Mentors senior engineers.'), got.join('\n'));
});

test('stemming finds other forms of a word', async () => {
  const got = await titles(basic, 'mentored');
  assert.equal(got[0], 'competency: Mentoring');
  const debug = await titles(basic, 'debugging ');
  assert.ok(debug.some((t) => t.startsWith('behaviour: Debugs issues')), debug.join('\n'));
});

test('documents with all the words rank above those with some', async () => {
  const got = await titles(basic, 'incident reviews');
  assert.match(got[0], /^behaviour: Leads cross-team incident reviews/);
});

test('the last word matches as a prefix while typing', async () => {
  const got = await titles(basic, 'troublesh');
  assert.equal(got[0], 'competency: Troubleshooting');
  const none = await titles(basic, 'troublesh ');
  assert.deepEqual(none, [], 'a finished word is not a prefix');
});

test('a whole-word match ranks above a prefix match', async () => {
  const res = await basic.engine.search('design', ALL, 10);
  const kinds = res.results.map((r) => `${r.kind}: ${r.title || r.fields[0]}`);
  assert.equal(kinds[0], 'competency: System design');
});

test('a small typo in a long word still finds it', async () => {
  assert.equal((await titles(basic, 'mentorng '))[0], 'competency: Mentoring');
  assert.equal((await titles(basic, 'troubelshooting '))[0], 'competency: Troubleshooting');
  assert.deepEqual(await titles(basic, 'xyzzyq '), []);
});

test('filters by track and area narrow the results', async () => {
  const m = basic.engine.m;
  const manager = m.tracks.findIndex((t) => t[0] === 'manager');
  const craft = m.areas.findIndex((a) => a[0] === 'craft');
  const all = await basic.engine.search('debug', ALL, 50);
  const onManager = await basic.engine.search('debug', { track: manager, area: -1 }, 50);
  assert.ok(all.total > 0);
  assert.equal(onManager.total, 0, 'troubleshooting is expert-only');
  const mentoringManager = await basic.engine.search('one-to-ones', { track: manager, area: -1 }, 50);
  assert.equal(mentoringManager.results[0].where[1], 'Engineering Manager');
  const inCraft = await basic.engine.search('engineers', { track: -1, area: craft }, 50);
  assert.ok(inCraft.results.every((r) => r.where[0] !== 'Mentoring'), JSON.stringify(inCraft.results));
});

test('a behaviour result deep-links to its anchor on its level page', async () => {
  const res = await basic.engine.search('workshop', ALL, 5);
  assert.equal(res.results[0].kind, 'behaviour');
  assert.match(res.results[0].url, /^levels\/staff-engineer\/#.*leads-incidents/);
  assert.deepEqual(plain(res.results[0].where), ['Troubleshooting', 'Staff Engineer', 'Expert track']);
});

test('proficiency descriptors are found once and link to the competency scale', async () => {
  const res = await basic.engine.search('design direction', ALL, 5);
  const d = res.results[0];
  assert.equal(d.kind, 'descriptor');
  assert.match(d.url, /^competencies\/design\/#/);
  assert.ok(d.where.some((w) => w.includes('Staff Engineer')), d.where.join(' · '));
});

test('the sample framework answers its obvious questions', async () => {
  for (const [q, want] of [['stakeholder', /stakeholder/i], ['incidents', /incident/i], ['promotion', /promotion/i]]) {
    const res = await sample.engine.search(q, ALL, 3);
    const first = res.results[0];
    assert.ok(first && want.test([first.title, ...first.fields].join(' ')), `${q}: ${JSON.stringify(first)}`);
  }
});

test('highlighting marks the matched words and trims long text around them', () => {
  const { highlight } = basic.R.engine;
  const res = { tokens: [{ lower: 'ment', prefix: true }], terms: new Set(['review']) };
  const h = highlight('Reviews designs and mentors people.', res);
  assert.deepEqual(plain(h.parts.filter((p) => p.mark).map((p) => p.text)), ['Reviews', 'mentors']);
  const long = 'word '.repeat(100) + 'reviews ' + 'word '.repeat(100);
  const t = highlight(long, res, 80).parts.map((p) => p.text).join('');
  assert.ok(t.startsWith('… ') && t.endsWith(' …') && t.includes('reviews') && t.length < 140, t);
});
