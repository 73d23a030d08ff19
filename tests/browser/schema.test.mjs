// The editor schemas (issue 14) against a real JSON Schema validator (ajv, draft-07, the
// draft yaml-language-server implements): every file of the sample, the fixtures, the
// corpus and a fresh `rungs init` validates, front matter included; and every defect the
// schemas reject, `rungs check` rejects too. No browser: run it alone with
// `node --test tests/browser/schema.test.mjs` after `cargo build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import * as TOML from 'smol-toml';
import { REPO, RUNGS, tempDir } from './lib.mjs';

const KINDS = ['framework', 'level', 'competency', 'page', 'index', 'site'];

function rungs(args) {
  const r = spawnSync(RUNGS, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.error, undefined, `could not run ${RUNGS} (cargo build first): ${r.error}`);
  return r;
}

// The schemas as this rungs writes them.
const SCHEMA_DIR = tempDir('rungs-schemas-');
{
  const r = rungs(['schema', '--out', SCHEMA_DIR]);
  assert.equal(r.status, 0, r.stderr);
}
// strict: unknown keywords, ignored keywords and ambiguous types are errors in the schema
// itself; union types (`["string", "number"]`) are how the parser's leniency is written.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const SCHEMAS = Object.fromEntries(KINDS.map((k) => {
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${k}.schema.json`), 'utf8'));
  return [k, { schema, validate: ajv.compile(schema) }];
}));

/** The YAML between a first line `---` and the next line `---`, as rungs splits it. */
function frontMatter(text) {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[0].trimEnd() !== '---') return null;
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  assert.ok(end > 0, 'front matter is not closed');
  return { yaml: lines.slice(1, end).join('\n'), body: lines.slice(end + 1).join('\n') };
}

/** Which schema a file under a site follows, by where it sits (as rungs discovers it). */
function kindOf(rel) {
  const p = rel.split(sep).join('/');
  if (p === 'site.toml') return 'site';
  if (p === 'content/framework.yaml') return 'framework';
  if (p === 'content/index.md') return 'index';
  if (/^content\/levels\/[^/]+\/[^/]+\.md$/.test(p)) return 'level';
  if (/^content\/competencies\/[^/]+\/[^/]+\.md$/.test(p)) return 'competency';
  if (/^content\/pages\/[^/]+\.md$/.test(p)) return 'page';
  return null;
}

/** A file's data as the schema sees it: YAML, front matter, or TOML (dates as text). */
function dataOf(kind, text) {
  if (kind === 'site') return JSON.parse(JSON.stringify(TOML.parse(text)));
  if (kind === 'framework') return YAML.parse(text, { version: '1.2', uniqueKeys: true });
  const fm = frontMatter(text);
  if (fm === null) return kind === 'index' ? undefined : null;
  // An empty front matter is an empty mapping to rungs.
  return YAML.parse(fm.yaml, { version: '1.2', uniqueKeys: true }) ?? {};
}

function files(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  if (existsSync(join(root, 'site.toml'))) out.push('site.toml');
  walk(join(root, 'content'));
  return out.filter((rel) => kindOf(rel) !== null);
}

/** Schema errors of every framework file of a site, as `file: path message`. */
function schemaErrors(root) {
  const errors = [];
  let count = 0;
  for (const rel of files(root)) {
    const kind = kindOf(rel);
    const data = dataOf(kind, readFileSync(join(root, rel), 'utf8'));
    if (data === undefined) continue;
    count++;
    const { validate } = SCHEMAS[kind];
    if (!validate(data)) {
      for (const e of validate.errors) errors.push(`${rel}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  return { errors, count };
}

/**
 * Copies a site into `dir` as a git repository tagged `v1.0.0`: the every-key site's
 * `[changes] since` names that tag, and check reads it from git.
 */
function gitCopy(from, dir = tempDir('rungs-git-')) {
  cpSync(from, dir, { recursive: true });
  for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'x'], ['tag', 'v1.0.0']]) {
    const g = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(`git ${args.join(' ')}: ${g.stderr}`);
  }
  return dir;
}

function initSite() {
  const dir = join(tempDir('rungs-init-'), 'site');
  const r = rungs(['init', dir]);
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

const SITES = {
  sample: REPO,
  'fixture every-key': join(REPO, 'tests/fixtures/every-key'),
  'fixture basic': join(REPO, 'tests/fixtures/basic'),
  'fixture competency-first': join(REPO, 'tests/fixtures/competency-first'),
  'fixture families': join(REPO, 'tests/fixtures/families'),
  'fixture one-track': join(REPO, 'tests/fixtures/one-track'),
  'fixture small': join(REPO, 'tests/fixtures/small'),
  'fixture tiny': join(REPO, 'tests/fixtures/tiny'),
  'corpus dropbox': join(REPO, 'tests/corpus/dropbox'),
  'corpus dropbox-families': join(REPO, 'tests/corpus/dropbox-families'),
  'corpus engineeringladders': join(REPO, 'tests/corpus/engineeringladders'),
};

for (const [name, root] of Object.entries(SITES)) {
  test(`every file of ${name} validates against its schema, and check agrees`, () => {
    const { errors, count } = schemaErrors(root);
    assert.ok(count > 0, 'no files found');
    assert.deepEqual(errors.slice(0, 20), [], `${errors.length} schema errors`);
    const site = name === 'fixture every-key' ? gitCopy(root) : root;
    const r = rungs(['check', '--root', site, '--format', 'json']);
    assert.equal(JSON.parse(r.stdout).errors, 0, r.stdout);
  });
}

test('a new site from rungs init validates, and carries the schemas it points to', () => {
  const root = initSite();
  const { errors, count } = schemaErrors(root);
  assert.ok(count >= 10);
  assert.deepEqual(errors, []);
  for (const k of KINDS) {
    assert.equal(readFileSync(join(root, '.rungs/schemas', `${k}.schema.json`), 'utf8'),
      readFileSync(join(SCHEMA_DIR, `${k}.schema.json`), 'utf8'), k);
  }
  const modeline = readFileSync(join(root, 'content/framework.yaml'), 'utf8').split('\n')[0];
  const target = modeline.match(/^# yaml-language-server: \$schema=(\S+)$/)[1];
  assert.ok(existsSync(join(root, 'content', target)), target);
});

// ---- Defects: whatever the schema rejects, check rejects too. ----

const BASE = join(REPO, 'tests/fixtures/every-key');
/** The file of the every-key fixture each kind of probe edits. */
const TARGET = {
  framework: 'content/framework.yaml',
  level: 'content/levels/expert/engineer.md',
  competency: 'content/competencies/craft/design.md',
  page: 'content/pages/guide.md',
  index: 'content/index.md',
  site: 'site.toml',
};

function serialize(kind, data, original) {
  if (kind === 'site') return TOML.stringify(data);
  if (kind === 'framework') return YAML.stringify(data);
  return `---\n${YAML.stringify(data)}---\n${frontMatter(original).body}`;
}

/**
 * Writes `data` as the kind's file into a copy of the every-key site and checks it.
 * Returns the schema's errors and check's errors in that file.
 */
function probe(kind, data) {
  const rel = TARGET[kind];
  const original = readFileSync(join(BASE, rel), 'utf8');
  const { validate } = SCHEMAS[kind];
  const schemaOk = validate(data);
  const schemaWhy = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  const dir = tempDir('rungs-probe-');
  try {
    gitCopy(BASE, dir);
    writeFileSync(join(dir, rel), serialize(kind, data, original));
    const r = rungs(['check', '--root', dir, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const checkWhy = report.diagnostics.filter((d) => d.severity === 'error' && d.file === rel)
      .map((d) => `${d.line}:${d.column} ${d.message}`);
    return { schemaOk, schemaWhy, checkWhy, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function baseData(kind) {
  return dataOf(kind, readFileSync(join(BASE, TARGET[kind]), 'utf8'));
}

test('the every-key site written back unchanged is valid for both (the probe harness is sound)', () => {
  for (const kind of KINDS) {
    const p = probe(kind, baseData(kind));
    assert.ok(p.schemaOk, `${kind}: ${p.schemaWhy}`);
    assert.deepEqual(p.checkWhy, [], kind);
    assert.equal(p.status, 0, kind);
  }
});

// What check says about one file alone (a type, an enum, an id, a title, a blank): the
// schema can say it too. Other errors need other files (an unknown band), which only
// check can see.
const ONE_FILE = /must be .*, found |must not be empty|is not a valid id|characters long; a title|^unknown (status|track kind|`expectations)|is missing the required key|^unknown key/;

// Values of every type at every top-level key of each file: whatever the schema rejects,
// check rejects, and whatever check rejects on the file's own terms, the schema rejects;
// and an unknown key is rejected by both.
const WRONG = [{ probe: 1 }, [[1]], 'Not An Id!', true, 1.5, -3];
for (const kind of KINDS) {
  test(`the ${kind} schema and check agree on a wrong value at every top-level key`, () => {
    const keys = Object.keys(SCHEMAS[kind].schema.properties);
    let rejected = 0;
    for (const key of keys) {
      for (const wrong of WRONG) {
        const data = structuredClone(baseData(kind) ?? {});
        data[key] = wrong;
        const p = probe(kind, data);
        const at = `${kind}.${key} = ${JSON.stringify(wrong)}`;
        if (!p.schemaOk) {
          rejected++;
          assert.ok(p.checkWhy.length > 0, `${at}: the schema rejects it (${p.schemaWhy.join('; ')}) but check accepts it`);
        }
        const local = p.checkWhy.filter((m) => ONE_FILE.test(m.replace(/^\d+:\d+ /, '')));
        assert.ok(p.schemaOk === false || local.length === 0, `${at}: check says ${local.join('; ')} but the schema accepts it`);
      }
    }
    assert.ok(rejected >= keys.length, `only ${rejected} probes for ${keys.length} keys`);
    const data = { ...(baseData(kind) ?? {}), colour: 'red' };
    const p = probe(kind, data);
    assert.ok(!p.schemaOk && p.checkWhy.some((m) => /unknown key `colour`/.test(m)), `${kind}: ${JSON.stringify(p)}`);
  });
}

// Nested defects, one per rule, each of which both must reject.
const title300 = 'T'.repeat(201);
const CASES = [
  ['framework', 'a track kind that is not expert or manager', (d) => { d.tracks[0].kind = 'boss'; }],
  ['framework', 'an unknown key in a track', (d) => { d.tracks[0].colour = 'red'; }],
  ['framework', 'a track without a title', (d) => { delete d.tracks[1].title; }],
  ['framework', 'expectations that are neither cumulative nor restated', (d) => { d.expectations = 'sometimes'; }],
  ['framework', 'a band id with capitals and a space', (d) => { d.bands[0].id = 'Band 1'; }],
  ['framework', 'a family requiring an unknown kind', (d) => { d.families[0].requires = ['expert', 'boss']; }],
  ['framework', 'an area without its category', (d) => { delete d.areas[0].category; }],
  ['framework', 'an area with a blank category', (d) => { d.areas[0].category = '  '; }],
  ['framework', 'a rating title over 200 characters', (d) => { d.assessment.ratings[0].title = title300; }],
  ['framework', 'a scale step that is a string', (d) => { d.scales[0].steps[0] = 'learning'; }],
  ['framework', 'assessment without ratings', (d) => { d.assessment = { scale: [] }; }],
  ['level', 'a status that is not current, draft or legacy', (d) => { d.status = 'archived'; }],
  ['level', 'an attribute whose value is a mapping', (d) => { d.attributes.Scope = { team: 1 }; }],
  ['level', 'an attribute list holding a list', (d) => { d.attributes.Reach = [['a']]; }],
  ['level', 'an order that is not a whole number', (d) => { d.order = 'first'; }],
  ['level', 'tracks as a number', (d) => { d.tracks = 3; }],
  ['level', 'no band', (d) => { delete d.band; }],
  ['competency', 'an unknown key in a behaviour', (d) => { d.behaviours.engineer[1].txt = 'x'; }],
  ['competency', 'a behaviour without text', (d) => { delete d.behaviours.engineer[1].text; }],
  ['competency', 'a behaviour id with capitals', (d) => { d.behaviours.engineer[1].id = 'Writes Tests'; }],
  ['competency', 'from as a single number', (d) => { d.behaviours['senior-engineer'][1].from = 3; }],
  ['competency', 'a level cell that is a number', (d) => { d.behaviours.engineer = 3; }],
  ['competency', 'a cell item that is a list', (d) => { d.behaviours.engineer = [['Writes code.']]; }],
  ['competency', 'an unknown key in a change', (d) => { d.behaviours['senior-data-scientist'].drop = ['x']; }],
  ['competency', 'a change under proficiency', (d) => { d.proficiency.learning = { add: ['Designs.'] }; }],
  ['competency', 'an empty mapping as a cell', (d) => { d.behaviours['senior-data-scientist'] = {}; }],
  ['competency', 'remove as a single id', (d) => { d.behaviours['senior-data-scientist'].remove = 'reviews-designs'; }],
  ['competency', 'a cell with more than 200 behaviours', (d) => { d.behaviours.engineer = Array.from({ length: 201 }, (_, i) => `Does thing ${i}.`); }],
  ['competency', 'examples holding a mapping', (d) => { d.behaviours.engineer[1].examples = [{ a: 1 }]; }],
  ['page', 'an order with a fraction', (d) => { d.order = 1.5; }],
  ['page', 'no title', (d) => { delete d.title; }],
  ['index', 'a summary (the home page takes a title only)', (d) => { d.summary = 'x'; }],
  ['site', 'an accent colour that is a name', (d) => { d.accent_color = 'green'; }],
  ['site', 'allow_raw_html as text', (d) => { d.markdown.allow_raw_html = 'yes'; }],
  ['site', 'an unknown key in [markdown]', (d) => { d.markdown.smart_quotes = true; }],
  ['site', 'a version bump that does not exist', (d) => { d.versioning.behaviour_added = 'huge'; }],
  ['site', 'an unknown kind of change in [versioning]', (d) => { d.versioning.behaviour_added_twice = 'major'; }],
  ['site', 'a logo that is not an image', (d) => { d.logo = 'logo.bmp'; }],
  ['site', 'a theme name that is not an id', (d) => { d.theme = 'My Theme'; }],
  ['site', 'a blank language', (d) => { d.language = ' '; }],
];

for (const [kind, what, edit] of CASES) {
  test(`${kind}: ${what} is rejected by the schema and by check`, () => {
    const data = structuredClone(baseData(kind));
    edit(data);
    const p = probe(kind, data);
    assert.equal(p.schemaOk, false, 'the schema accepts it');
    assert.ok(p.checkWhy.length > 0, `check accepts it; the schema says: ${p.schemaWhy.join('; ')}`);
    assert.equal(p.status, 1);
  });
}

// ---- What reaches the editor for front matter: the VS Code task's problem matcher. ----

test('the rungs check task that init writes puts each problem at its file, line and column', () => {
  const root = initSite();
  const tasks = JSON.parse(readFileSync(join(root, '.vscode/tasks.json'), 'utf8'));
  const task = tasks.tasks.find((t) => t.label === 'rungs check');
  const { pattern } = task.problemMatcher;
  const re = new RegExp(pattern.regexp);
  const level = join(root, 'content/levels/expert/engineer.md');
  writeFileSync(level, readFileSync(level, 'utf8').replace('band: b1', 'band: b1\nsatus: draft'));
  const r = rungs([...task.args, '--root', root]);
  assert.equal(r.status, 1);
  const problems = r.stdout.trim().split('\n').map((line) => {
    const m = line.match(re);
    assert.ok(m, `the matcher misses: ${line}`);
    return { severity: m[pattern.severity], file: m[pattern.file], line: +m[pattern.line], column: +m[pattern.column], message: m[pattern.message] };
  });
  assert.deepEqual(problems.map(({ severity, file, line, column }) => ({ severity, file, line, column })),
    [{ severity: 'error', file: 'content/levels/expert/engineer.md', line: 4, column: 1 }]);
  assert.match(problems[0].message, /unknown key `satus`.*did you mean `status`/);
  assert.ok(existsSync(join(root, problems[0].file)));
});
