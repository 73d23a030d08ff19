// Every page is valid HTML (issue 13): the Nu Html Checker (vnu-jar from npm, run on
// Java) over every page of the sample, each corpus site and the fixtures that exercise
// families and a competency-first layout. Any error fails; warnings are not errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { copySite, build, REPO, tempDir } from './lib.mjs';

const VNU = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');
const SITES = {
  sample: REPO,
  dropbox: join(REPO, 'tests/corpus/dropbox'),
  'dropbox-families': join(REPO, 'tests/corpus/dropbox-families'),
  engineeringladders: join(REPO, 'tests/corpus/engineeringladders'),
  'fixture families': join(REPO, 'tests/fixtures/families'),
  'fixture competency-first': join(REPO, 'tests/fixtures/competency-first'),
};

/** The checker's errors for every HTML file under `dir`, as `file:line: message`. */
function vnuErrors(dir) {
  const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--skip-non-html', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.error, undefined, `java did not run: ${r.error}`);
  const report = JSON.parse(r.stderr);
  return report.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
    .map((m) => `${relative(dir, decodeURI(new URL(m.url).pathname))}:${m.lastLine}: ${m.message}`);
}

test('the checker reports an invalid page (the harness can fail)', () => {
  const dir = tempDir('rungs-vnu-');
  writeFileSync(join(dir, 'bad.html'), '<!doctype html><html lang="en"><title>x</title><ol><legend>x</legend></ol><p id="a"></p><p id="a"></p>');
  const errors = vnuErrors(dir);
  assert.ok(errors.some((e) => /legend/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /Duplicate ID/.test(e)), errors.join('\n'));
});

for (const [name, root] of Object.entries(SITES)) {
  test(`every page of ${name} is valid HTML`, () => {
    const out = build(copySite(root));
    const errors = vnuErrors(out);
    assert.deepEqual(errors.slice(0, 30), [], `${errors.length} errors`);
  });
}

test('every page of the sample with edit and feedback links is valid HTML', () => {
  const site = copySite();
  const toml = join(site, 'site.toml');
  writeFileSync(toml, `repository = "https://gitlab.com/northwind/careers"\n${readFileSync(toml, 'utf8')}`);
  const out = build(site);
  assert.match(readFileSync(join(out, 'levels/senior-engineer/index.html'), 'utf8'), /class="feedback-link"/);
  const errors = vnuErrors(out);
  assert.deepEqual(errors.slice(0, 30), [], `${errors.length} errors`);
});
