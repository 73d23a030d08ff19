// The assessment record format (themes/default/static/record.js) in Node: a round trip,
// the schema version, the checksum, foreign files and hostile content, and the matching
// of a record to a changed level. The browser flow is in calibrate.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO } from './lib.mjs';

await import(join(REPO, 'themes/default/static/change.js'));
await import(join(REPO, 'themes/default/static/record.js'));
const R = globalThis.__rungsRecord;
const C = globalThis.__rungsChange;

const EXPECT = { site: 'Northwind', level: 'senior', scale: ['not-yet', 'sometimes', 'consistently'], evidence: ['own', 'peer'] };
const ITEMS = [
  { competency: 'code', anchor: 'code-reviews', text: 'Reviews code with care.' },
  { competency: 'code', anchor: 'code-tests', text: 'Writes tests for every change.' },
  { competency: 'people', anchor: 'people-mentors', text: 'Mentors a junior engineer.' },
];
function record(extra = {}) {
  return {
    format: R.FORMAT, schema: R.SCHEMA, site: 'Northwind', framework_version: '1.0.0',
    level: { id: 'senior', title: 'Senior' }, build: R.build(ITEMS), role: 'self', person: 'Ana', date: '2026-12-01',
    scale: EXPECT.scale,
    behaviours: ITEMS.map((i, k) => ({ ...i, hash: R.textHash(i.text), rating: EXPECT.scale[k], evidence: k ? null : 'peer', note: k ? '' : 'RFC-12' })),
    notes: { code: 'Led the checkout work.' }, summary: 'A good year.', ...extra,
  };
}

test('a sealed record reads back the same', () => {
  const text = R.seal(record());
  const back = R.open(text, EXPECT);
  assert.equal(back.role, 'self');
  assert.equal(back.person, 'Ana');
  assert.equal(back.behaviours.length, 3);
  assert.deepEqual(back.behaviours.map((b) => b.rating), EXPECT.scale);
  assert.equal(back.behaviours[0].evidence, 'peer');
  assert.equal(back.behaviours[0].note, 'RFC-12');
  assert.equal(back.notes.code, 'Led the checkout work.');
  assert.equal(back.summary, 'A good year.');
  // Pretty-printing or re-indenting the file keeps it valid: the checksum is over the data.
  assert.equal(R.open(JSON.stringify(JSON.parse(text)), EXPECT).person, 'Ana');
});

test('a damaged, cut or edited file is refused', () => {
  const text = R.seal(record());
  // Cut short, a record is no longer JSON: it is called damaged, not foreign.
  assert.throws(() => R.open(text.slice(0, text.length - 40), EXPECT), (e) => e.kind === 'damaged' && /cut short/.test(e.message));
  assert.throws(() => R.open('{"name": "a spreadsheet export"', EXPECT), (e) => e.kind === 'format');
  const edited = JSON.parse(text);
  edited.behaviours[0].rating = 'consistently';
  assert.throws(() => R.open(JSON.stringify(edited), EXPECT), (e) => e.kind === 'damaged' && /damaged/.test(e.message));
  const unsealed = JSON.parse(text);
  delete unsealed.checksum;
  assert.throws(() => R.open(JSON.stringify(unsealed), EXPECT), (e) => e.kind === 'damaged');
});

test('a foreign file is refused: another format, a newer schema, another site, another level', () => {
  assert.throws(() => R.open('{"format":"something-else"}', EXPECT), (e) => e.kind === 'format');
  assert.throws(() => R.open('not json', EXPECT), (e) => e.kind === 'format');
  assert.throws(() => R.open(R.seal(record({ schema: 2 })), EXPECT), (e) => e.kind === 'version' && /schema 2/.test(e.message));
  assert.throws(() => R.open(R.seal(record({ site: 'Contoso' })), EXPECT), (e) => e.kind === 'site' && /Contoso/.test(e.message));
  assert.throws(() => R.open(R.seal(record({ level: { id: 'staff', title: 'Staff' } })), EXPECT), (e) => e.kind === 'level' && e.level === 'staff');
  assert.throws(() => R.open(R.seal(record({ role: 'boss' })), EXPECT), (e) => e.kind === 'format');
});

test('hostile content is kept as plain strings and ratings off the scale are dropped', () => {
  const r = record({ person: '<img src=x onerror=alert(1)>', notes: { code: { evil: true }, people: '<script>x</script>' } });
  r.behaviours[0].rating = 'legendary';
  r.behaviours[1].evidence = '__proto__';
  r.behaviours.push({ competency: 5, anchor: {} }, null, 'x');
  const back = R.open(R.seal(r), EXPECT);
  assert.equal(back.person, '<img src=x onerror=alert(1)>');
  assert.equal(back.behaviours.length, 3);
  assert.equal(back.behaviours[0].rating, null);
  assert.equal(back.behaviours[1].evidence, null);
  assert.equal(back.dropped, 1);
  assert.deepEqual(Object.keys(back.notes), ['people']);
});

test('matching: same words stay, a reworded behaviour is flagged, a removed one listed, a new one unrated', () => {
  const old = record().behaviours;
  const now = [
    // Reordered: the tests behaviour first.
    { competency: 'code', anchor: 'code-tests', text: 'Writes tests for every change.' },
    // Reworded (its anchor followed its words).
    { competency: 'code', anchor: 'code-reviews-kindly', text: 'Reviews code with care and kindness.' },
    // New.
    { competency: 'people', anchor: 'people-hires', text: 'Interviews candidates.' },
  ];
  const m = R.match(old, now, R.aligner(C));
  assert.equal(m.at[0].entry.anchor, 'code-tests');
  assert.equal(m.at[0].changed, false);
  assert.equal(m.at[1].entry.anchor, 'code-reviews');
  assert.equal(m.at[1].changed, true);
  assert.equal(m.at[2], undefined);
  assert.deepEqual(m.fresh, [2]);
  assert.deepEqual(m.removed.map((e) => e.anchor), ['people-mentors']);
  // A behaviour with a stable id reworded: same anchor, other words: flagged.
  const m2 = R.match(old, [{ competency: 'code', anchor: 'code-reviews', text: 'Reviews every pull request.' }], R.aligner(C));
  assert.equal(m2.at[0].changed, true);
});

test('share links carry a checksum and a cut link is refused', () => {
  const q = R.sealLink('v=3&r.code=ab3cd2&n.code=hello');
  assert.equal(R.openLink(q), 'v=3&r.code=ab3cd2&n.code=hello');
  for (const cut of [q.slice(0, q.length - 1), q.slice(0, 20), q.replace('hello', 'help')]) {
    assert.throws(() => R.openLink(cut), (e) => e.kind === 'truncated' && /incomplete/.test(e.message));
  }
});

test('a share link round-trips ratings and notes, and an old link places nothing by position', () => {
  const scale = EXPECT.scale;
  const state = { entries: [{ anchor: 'code-tests', rating: 'consistently' }, { anchor: 'people-mentors', rating: 'not-yet' }], notes: { code: 'See RFC-12 & more' } };
  const q = R.linkQuery(ITEMS, scale, state);
  assert.match(q, /^v=4&r\.code=[0-9a-z]{5}&r\.people=[0-9a-z]{5}&n\.code=.*&c=[0-9a-f]{10}$/);
  const back = R.readLink('#' + q, ITEMS, scale);
  assert.deepEqual(back.entries.map((e) => [e.anchor, e.rating]), [['code-tests', 'consistently'], ['people-mentors', 'not-yet']]);
  assert.ok(back.entries.every((e) => e.hash === R.textHash(ITEMS.find((i) => i.anchor === e.anchor).text)));
  assert.equal(back.notes.code, 'See RFC-12 & more');
  assert.equal(R.readLink('#', ITEMS, scale), null);
  assert.throws(() => R.readLink('#' + q.slice(0, -3), ITEMS, scale), (e) => e.kind === 'truncated');
  // A v2 link (no checksum) made before the second code behaviour was reworded: a link
  // carries no words, so its rating is not placed by position (a removed behaviour and a
  // new one in its place look the same); it is reported as lost.
  const v2 = 'v=2&r.code=' + R.short('code-reviews') + '2' + R.short('code-tests') + '3';
  const now = [ITEMS[0], { competency: 'code', anchor: 'code-tests-always', text: 'Always writes tests.' }, ITEMS[2]];
  const old = R.readLink('#' + v2, now, scale);
  assert.match(old.warning, /older format without a checksum/);
  assert.equal(old.entries.find((e) => e.anchor === 'code-tests-always'), undefined);
  assert.deepEqual(old.lost, [{ competency: 'code', rating: 'consistently' }]);
  assert.equal(old.entries.find((e) => e.anchor === 'code-reviews').hash, R.textHash(ITEMS[0].text));
});

test('a v3 link after a behaviour was replaced: the removed rating is lost, never put on the new one', () => {
  const scale = EXPECT.scale;
  const q = R.linkQuery(ITEMS, scale, { entries: ITEMS.map((i) => ({ anchor: i.anchor, rating: 'sometimes' })), notes: {} });
  // "Writes tests for every change." removed; a new behaviour takes its place.
  const now = [ITEMS[0], { competency: 'code', anchor: 'code-pairs', text: 'Pairs on hard bugs.' }, ITEMS[2]];
  const back = R.readLink('#' + q, now, scale);
  assert.deepEqual(back.entries.map((e) => e.anchor), ['code-reviews', 'people-mentors']);
  assert.deepEqual(back.lost, [{ competency: 'code', rating: 'sometimes' }]);
  assert.equal(back.warning, '');
});

test('a v4 link flags a rating whose behaviour was reworded under the same anchor; a v3 link warns', () => {
  const scale = EXPECT.scale;
  const q = R.linkQuery(ITEMS, scale, { entries: [{ anchor: 'code-reviews', rating: 'sometimes' }, { anchor: 'code-tests', rating: 'consistently' }], notes: {} });
  // The author gave "code-tests" an id, so rewording it keeps its anchor.
  const now = [ITEMS[0], { competency: 'code', anchor: 'code-tests', text: 'Writes tests first, for every change.' }, ITEMS[2]];
  const back = R.readLink('#' + q, now, scale);
  assert.equal(back.entries.find((e) => e.anchor === 'code-reviews').hash, R.textHash(ITEMS[0].text));
  const moved = back.entries.find((e) => e.anchor === 'code-tests');
  assert.equal(moved.rating, 'consistently');
  assert.equal(moved.hash, '', 'marked as changed');
  const v3 = R.sealLink('v=3&r.code=' + R.short('code-reviews') + '2');
  const old = R.readLink('#' + v3, ITEMS, scale);
  assert.equal(old.entries[0].rating, 'sometimes');
  assert.match(old.warning, /cannot tell whether a behaviour was reworded/);
});

test('a manager\'s link says so, and opens as the manager\'s assessment', () => {
  const q = R.linkQuery(ITEMS, EXPECT.scale, { entries: [{ anchor: 'code-reviews', rating: 'sometimes' }], notes: {} }, 'manager');
  assert.match(q, /^v=4&w=manager&r\.code=/);
  assert.equal(R.readLink('#' + q, ITEMS, EXPECT.scale).role, 'manager');
  assert.equal(R.readLink('#' + R.linkQuery(ITEMS, EXPECT.scale, { entries: [], notes: {} }), ITEMS, EXPECT.scale).role, 'self');
});
