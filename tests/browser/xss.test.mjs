// Contributor content must not run script in a reader's browser, through any field or
// page kind. Builds a copy of the sample framework with every payload of
// tests/fixtures/xss/payloads.txt injected into every contributor-controlled field (see
// injectSite), opens every generated page in headless Chromium, pokes at it, and fails
// naming the payload id and the page when a payload runs or leaves a dangerous element
// or attribute. A clean build of the sample is the baseline for what the theme itself
// legitimately contains; the search page, the header box, the compare picker, the
// assessment plan and the calibration view (with a hostile record file) are exercised
// too, and every output file is scanned statically.
// RUNGS_XSS_REPORT=path: where the full findings go as JSON (default: the temp folder);
// RUNGS_XSS_KEEP=1 prints the hostile site's folder; RUNGS_BIN picks the binary (lib.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative, sep, posix } from 'node:path';
import { tmpdir } from 'node:os';
import vm from 'node:vm';
import { launch, copySite, build, serveDir, REPO, tempDir } from './lib.mjs';

const PAYLOAD_FILE = join(REPO, 'tests/fixtures/xss/payloads.txt');
const WORD = 'quokkazz'; // next to every injected payload, so search can find them
const TITLE_MAX = 200; // rungs refuses longer titles (MAX_TITLE_CHARS in src/schema.rs)
const REPORT = process.env.RUNGS_XSS_REPORT || join(tmpdir(), 'rungs-xss-report.json');

// ---------------------------------------------------------------------------------------
// The corpus

function unescapePayload(s) {
  return s.replace(/\\(n|t|u[0-9a-fA-F]{4})/g, (_, e) =>
    e === 'n' ? '\n' : e === 't' ? '\t' : String.fromCharCode(parseInt(e.slice(1), 16)));
}

function loadPayloads() {
  const out = [];
  readFileSync(PAYLOAD_FILE, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const m = /^(P\d{3}) (.+)$/.exec(line);
    if (!m) throw new Error(`${PAYLOAD_FILE}:${i + 1}: not "<id> <payload>": ${line}`);
    out.push({ id: m[1], text: unescapePayload(m[2]), line: i + 1 });
  });
  return out;
}

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', sol: '/', lpar: '(', rpar: ')', period: '.', excl: '!', num: '#', equals: '=', nbsp: '\u00a0' };
function decodeEntities(v) {
  return v.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);?/g, (m, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : '\ufffd';
    }
    const r = NAMED[e.toLowerCase()];
    return r === undefined ? m : r;
  });
}

/** The payload's text in every spelling it could run from: raw, entity-, URL- and base64-decoded. */
function spellings(text) {
  const all = [text, decodeEntities(text)];
  try { all.push(decodeURIComponent(text)); } catch { /* not URL-encoded */ }
  for (const m of text.matchAll(/base64,([A-Za-z0-9+/=]+)/g)) all.push(Buffer.from(m[1], 'base64').toString('utf8'));
  return all;
}

// ---------------------------------------------------------------------------------------
// Injecting the payloads into a copy of the sample

/** Splits a file into its front matter lines and body; fails loudly if the sample changed shape. */
function splitFrontMatter(text, file) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`no front matter in ${file}`);
  return { fm: m[1].split(/\r?\n/), body: m[2] };
}
const joinFrontMatter = ({ fm, body }) => `---\n${fm.join('\n')}\n---\n${body}`;

/** The single-line value of a top-level front matter key, unquoted ('' when absent or a block). */
function getKey(fm, key) {
  const line = fm.find((l) => l.startsWith(key + ':'));
  if (!line) return '';
  const v = line.slice(key.length + 1).trim();
  if (/^[>|]/.test(v)) return '';
  try { return /^["']/.test(v) ? (v[0] === '"' ? JSON.parse(v) : v.slice(1, -1).replace(/''/g, "'")) : v; } catch { return v; }
}

/** Sets a top-level key to a double-quoted string (JSON is valid YAML), replacing any block scalar. */
function setKey(fm, key, value) {
  const i = fm.findIndex((l) => l.startsWith(key + ':'));
  const line = `${key}: ${JSON.stringify(value)}`;
  if (i < 0) { fm.push(line); return; }
  let j = i + 1;
  while (j < fm.length && (/^\s/.test(fm[j]) || fm[j] === '')) j++;
  fm.splice(i, j - i, line);
}

/** Adds entries to a top-level block map (creating it when absent). */
function addEntries(fm, key, entries) {
  const i = fm.findIndex((l) => l.startsWith(key + ':'));
  if (i < 0) {
    fm.push(`${key}:`, ...entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`));
    return;
  }
  if (fm[i].trim() !== `${key}:`) throw new Error(`front matter key ${key} is not a block map: ${fm[i]}`);
  let j = i + 1;
  while (j < fm.length && /^\s/.test(fm[j])) j++;
  const indent = j > i + 1 ? fm[i + 1].match(/^\s*/)[0] : '  ';
  fm.splice(j, 0, ...entries.map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`));
}

const mdFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')).sort() : []);
const subdirs = (dir) => readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort();

/** The ids of the first scale in framework.yaml and of its steps (block or flow style). */
function firstScale(yaml) {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^scales:\s*$/.test(l));
  if (start < 0) return null;
  let scale = null;
  const steps = [];
  for (let i = start + 1; i < lines.length && !/^\S/.test(lines[i]); i++) {
    const m = /^(\s*)-\s*\{?\s*id:\s*([a-z0-9-]+)/.exec(lines[i]);
    if (!m) continue;
    if (!scale) { scale = { id: m[2], indent: m[1].length }; continue; }
    if (m[1].length <= scale.indent) break; // the next scale
    steps.push(m[2]);
  }
  return scale && steps.length ? { id: scale.id, steps } : null;
}

/**
 * Writes the payloads into every contributor-controlled field of the copied sample site.
 * Returns where each payload went: id -> Set of placement kinds.
 */
function injectSite(site, payloads) {
  const placed = new Map(payloads.map((p) => [p.id, new Set()]));
  const put = (p, kind) => placed.get(p.id).add(kind);
  const N = payloads.length;
  let cursor = 0;
  /** The next payload for a plain-text field (titles, summaries, attributes...), round robin. */
  const next = (kind) => { const p = payloads[cursor++ % N]; put(p, kind); return p; };
  const text = (p, prefix = '') => `${prefix ? prefix + ' ' : ''}${WORD} ${p.id} ${p.text}`;
  /** A title: the next payload whose text fits rungs' title limit (MAX_TITLE_CHARS, 200). */
  const titled = (kind, prefix) => {
    for (let k = 0; k < N; k++) {
      const p = payloads[cursor++ % N];
      const t = text(p, prefix);
      if ([...t].length <= TITLE_MAX) { put(p, kind); return t; }
    }
    throw new Error(`no payload fits a title after “${prefix}”`);
  };
  const content = join(site, 'content');

  // Every Markdown body that exists gets a mixed chunk of payloads (filled in at the end).
  const bodies = []; // { file, parts: {fm, body} | null (plain body), chunk: [] }

  // Levels: title, summary, attributes (names and values), narrative; expects the scale competency.
  const levels = [];
  for (const track of subdirs(join(content, 'levels'))) {
    for (const f of mdFiles(join(content, 'levels', track))) levels.push({ id: f.replace(/\.md$/, ''), file: join(content, 'levels', track, f) });
  }
  const areas = subdirs(join(content, 'competencies'));
  const fwFile = join(content, 'framework.yaml');
  const scale = firstScale(readFileSync(fwFile, 'utf8'));
  assert.ok(levels.length >= 2 && areas.length >= 1, 'the sample has levels and areas');

  levels.forEach((l, i) => {
    const parts = splitFrontMatter(readFileSync(l.file, 'utf8'), l.file);
    setKey(parts.fm, 'title', titled('level title', getKey(parts.fm, 'title')));
    setKey(parts.fm, 'summary', text(next('level summary')));
    addEntries(parts.fm, 'attributes', [
      [text(next('level attribute name')), text(next('level attribute value'))],
      [`Scope ${WORD} ${i}`, text(next('level attribute value'))],
    ]);
    if (scale) addEntries(parts.fm, 'expects', [['xss-scale', scale.steps[i % scale.steps.length]]]);
    bodies.push({ file: l.file, parts, kind: 'level narrative' });
  });

  // Existing competencies: title, summary, guidance. Their behaviours are left alone.
  for (const area of areas) {
    for (const f of mdFiles(join(content, 'competencies', area))) {
      const file = join(content, 'competencies', area, f);
      const parts = splitFrontMatter(readFileSync(file, 'utf8'), file);
      setKey(parts.fm, 'title', titled('competency title', getKey(parts.fm, 'title')));
      setKey(parts.fm, 'summary', text(next('competency summary')));
      bodies.push({ file, parts, kind: 'competency guidance' });
    }
  }

  // New competencies, one per area, carrying every payload as a behaviour in both forms
  // (so each is rendered on level, competency, matrix, assess and compare pages).
  const comps = areas.map((area) => ({ area, id: `xss-${area}`, byLevel: new Map() }));
  const add = (comp, level, item) => {
    if (!comp.byLevel.has(level)) comp.byLevel.set(level, []);
    comp.byLevel.get(level).push(item);
  };
  payloads.forEach((p, i) => {
    add(comps[i % comps.length], levels[i % levels.length].id, p.text);
    put(p, 'behaviour (string)');
    add(comps[(i + 2) % comps.length], levels[(i + 5) % levels.length].id, {
      text: `${p.text}\n\n${WORD} ${p.id}`,
      examples: [p.text, `${WORD} ${p.id} example`],
      id: `xss-${p.id.toLowerCase()}`,
    });
    put(p, 'behaviour (object)');
    put(p, 'example');
  });
  for (const c of comps) {
    const fm = [`title: ${JSON.stringify(titled('competency title', `XSS ${c.area}`))}`, `summary: ${JSON.stringify(text(next('competency summary')))}`, 'behaviours:'];
    for (const [level, items] of c.byLevel) {
      fm.push(`  ${level}:`, ...items.map((it) => `    - ${JSON.stringify(it)}`));
    }
    bodies.push({ file: join(content, 'competencies', c.area, `${c.id}.md`), parts: { fm, body: `Guidance for ${WORD}.\n` }, kind: 'competency guidance' });
  }

  // A competency on the sample's scale: every payload as a proficiency descriptor.
  if (scale) {
    const byStep = new Map(scale.steps.map((s) => [s, []]));
    payloads.forEach((p, i) => {
      const step = scale.steps[i % scale.steps.length];
      byStep.get(step).push(i % 7 === 0 ? { text: p.text, examples: [p.text] } : p.text);
      put(p, 'proficiency descriptor');
    });
    const fm = [`title: ${JSON.stringify(titled('competency title', 'XSS scale'))}`, `summary: ${JSON.stringify(text(next('competency summary')))}`, `scale: ${scale.id}`, 'proficiency:'];
    for (const [step, items] of byStep) fm.push(`  ${step}:`, ...items.map((it) => `    - ${JSON.stringify(it)}`));
    bodies.push({ file: join(content, 'competencies', areas[0], 'xss-scale.md'), parts: { fm, body: `Scale guidance for ${WORD}.\n` }, kind: 'competency guidance' });
  }

  // Existing free pages: title, summary, body.
  for (const f of mdFiles(join(content, 'pages'))) {
    const file = join(content, 'pages', f);
    const parts = splitFrontMatter(readFileSync(file, 'utf8'), file);
    setKey(parts.fm, 'title', titled('page title', getKey(parts.fm, 'title')));
    setKey(parts.fm, 'summary', text(next('page summary')));
    bodies.push({ file, parts, kind: 'page body' });
  }

  // The home page: title and introduction.
  const indexFile = join(content, 'index.md');
  if (existsSync(indexFile)) {
    const raw = readFileSync(indexFile, 'utf8');
    const parts = raw.startsWith('---') ? splitFrontMatter(raw, indexFile) : { fm: [], body: raw };
    setKey(parts.fm, 'title', titled('home title', getKey(parts.fm, 'title')));
    bodies.push({ file: indexFile, parts, kind: 'home introduction' });
  }

  // One free page per payload: the payload alone in a Markdown body, so a payload that is
  // only dangerous when nothing else in the text trips the sanitiser gets its chance.
  payloads.forEach((p, i) => {
    const own = text(p, `XSS ${p.id}`);
    const withPayload = i % 10 === 0 && [...own].length <= TITLE_MAX;
    const title = withPayload ? own : `XSS ${p.id} ${WORD}`;
    const fm = [`title: ${JSON.stringify(title)}`, `summary: ${JSON.stringify(text(next('page summary')))}`, `order: ${1000 + i}`];
    if (withPayload) put(p, 'page title');
    writeFileSync(join(content, 'pages', `xss-${p.id.toLowerCase()}.md`), joinFrontMatter({ fm, body: `${WORD} ${p.id}\n\n${p.text}\n` }));
    put(p, 'Markdown body (alone)');
  });

  // Mixed chunks: every payload once more, next to others, in an existing or new body.
  payloads.forEach((p, i) => {
    const b = bodies[i % bodies.length];
    (b.chunk ||= []).push(p);
    put(p, 'Markdown body (mixed)');
  });
  for (const b of bodies) {
    const chunk = (b.chunk || []).map((p) => `${WORD} ${p.id}\n\n${p.text}\n`).join('\n');
    const body = `${b.parts.body.replace(/\s*$/, '\n')}\n## ${WORD} payloads\n\n${chunk}`;
    const out = b.parts.fm.length ? joinFrontMatter({ fm: b.parts.fm, body }) : body;
    writeFileSync(b.file, out);
  }

  // framework.yaml: titles, summaries and categories of tracks, bands, areas, scales and
  // steps, edited line by line (block scalars are replaced), plus the assessment ratings.
  const fwLines = readFileSync(fwFile, 'utf8').split('\n');
  const fwOut = [];
  for (let i = 0; i < fwLines.length; i++) {
    const m = /^(\s*)(- )?(title|summary|category):\s?(.*)$/.exec(fwLines[i]);
    if (!m) { fwOut.push(fwLines[i]); continue; }
    const col = m[1].length + (m[2] ? 2 : 0);
    const original = /^[>|]/.test(m[4]) ? '' : m[4].replace(/^["']|["']$/g, '');
    const value = m[3] === 'title' ? titled('framework title', original) : text(next(`framework ${m[3]}`));
    fwOut.push(`${m[1]}${m[2] || ''}${m[3]}: ${JSON.stringify(value)}`);
    // Skip the replaced value's continuation lines (a folded or literal block scalar).
    const deeper = (l) => l.trim() !== '' && l.match(/^\s*/)[0].length > col;
    for (;;) {
      let j = i + 1;
      while (j < fwLines.length && fwLines[j].trim() === '') j++;
      if (j < fwLines.length && deeper(fwLines[j])) i = j; else break;
    }
  }
  if (!fwLines.some((l) => /^assessment:/.test(l))) {
    fwOut.push('assessment:', '  ratings:');
    for (const id of ['not-yet', 'sometimes', 'consistently']) {
      fwOut.push(`    - ${JSON.stringify({ id, title: titled('rating title', id), summary: text(next('rating summary')) })}`);
    }
    fwOut.push('  outcomes:');
    for (const id of ['maturing', 'performing']) {
      fwOut.push(`    - ${JSON.stringify({ id, title: titled('outcome title', id), summary: text(next('outcome summary')) })}`);
    }
    fwOut.push('  evidence:');
    for (const id of ['own', 'peer']) {
      fwOut.push(`    - ${JSON.stringify({ id, title: titled('evidence title', id), summary: text(next('evidence summary')) })}`);
    }
  }
  writeFileSync(fwFile, fwOut.join('\n'));

  // site.toml: title and description (JSON strings are valid TOML basic strings).
  const tomlFile = join(site, 'site.toml');
  let toml = readFileSync(tomlFile, 'utf8');
  for (const key of ['title', 'description']) {
    const value = JSON.stringify(key === 'title' ? titled('site title', 'Northwind') : text(next('site description')));
    const re = new RegExp(`^${key}\\s*=.*$`, 'm');
    toml = re.test(toml) ? toml.replace(re, () => `${key} = ${value}`) : `${key} = ${value}\n${toml}`;
  }
  writeFileSync(tomlFile, toml);
  return placed;
}

// ---------------------------------------------------------------------------------------
// The checks that run inside the page. Self-contained: Playwright serialises them.

/** Collects dangerous markup (hard rules) and signatures of sensitive markup (for the baseline diff). */
function inspectPage(cfg) {
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'codebase', 'cite', 'lowsrc', 'dynsrc', 'longdesc', 'ping', 'manifest', 'archive', 'classid', 'profile', 'icon', 'srcset', 'imagesrcset', 'to', 'from', 'values', 'by']);
  const BAD_URL = /^(javascript|vbscript|livescript|mocha|data):/;
  const BAD_CSS = /javascript:|vbscript:|expression\s*\(|-moz-binding|behavior\s*:|@import/i;
  const FORBIDDEN = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'fencedframe', 'param']);
  const SENSITIVE_TAGS = new Set(['script', 'style', 'link', 'meta', 'form', 'svg', 'math', 'foreignobject', 'animate', 'set', 'use']);
  const SENSITIVE_ATTRS = new Set(['style', 'autofocus', 'tabindex', 'contenteditable', 'formaction', 'action', 'form', 'srcdoc', 'http-equiv', 'is', 'popover', 'popovertarget', 'accesskey', 'ping']);
  const scriptOk = new RegExp(cfg.scriptPaths);
  const norm = (v) => v.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const idsIn = (s) => [...new Set((s.match(/p\d{3}/gi) || []).map((x) => x.toUpperCase()))];
  const open = (el) => { const h = el.cloneNode(false).outerHTML; const i = h.lastIndexOf('</'); return (i > 0 ? h.slice(0, i) : h).slice(0, 240); };
  function payloadOf(el) {
    const own = idsIn(open(el) + (el.localName === 'script' || el.localName === 'style' ? (el.textContent || '').slice(0, 500) : ''));
    if (own.length) return own.join(',');
    for (let a = el.parentElement; a && a !== document.body && a.localName !== 'main'; a = a.parentElement) {
      const f = idsIn(`${a.id} ${(a.textContent || '').slice(0, 4000)}`);
      if (f.length) return f.slice(0, 3).join(',') + (f.length > 3 ? ',…' : '');
    }
    return '?';
  }
  const hard = [];
  const sigs = {};
  const flag = (el, kind, detail) => hard.push({ kind, detail, payload: payloadOf(el), sample: open(el) });
  // Keyed by signature and payload, so two payloads making the same markup are both named.
  const sig = (el, s) => { const payload = payloadOf(el); const k = `${s}\u0000${payload}`; if (!sigs[k]) sigs[k] = { sig: s, payload, sample: open(el) }; };
  let jsLinks = 0;
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName.toLowerCase();
      const names = el.getAttributeNames().map((n) => n.toLowerCase());
      for (const n of names) {
        const v = el.getAttribute(n) || '';
        if (n.startsWith('on')) flag(el, 'event handler', `${tag}[${n}]`);
        if (URL_ATTRS.has(n) || n.endsWith(':href')) {
          const urls = n === 'srcset' || n === 'imagesrcset' ? v.split(',').map((s) => s.trim().split(/\s+/)[0]) : n === 'values' ? v.split(';') : [v];
          if (urls.some((u) => BAD_URL.test(norm(u)))) flag(el, 'dangerous URL', `${tag}[${n}=${v.slice(0, 60)}]`);
        }
        if (n === 'srcdoc') flag(el, 'srcdoc', tag);
        if (n === 'style' && BAD_CSS.test(v)) flag(el, 'script in CSS', `${tag}[style=${v.slice(0, 60)}]`);
        if (SENSITIVE_ATTRS.has(n) || n.startsWith('data-')) {
          let s = `attr ${tag}[${n}]`;
          if (n === 'style') {
            const value = v.replace(/\d+(\.\d+)?/g, '#').replace(/\s+/g, ' ').trim();
            if ((tag === 'th' || tag === 'td') && /^text-align: ?(left|center|right);?$/.test(value)) continue; // pulldown-cmark table alignment
            s += `=${value}`;
          }
          if (n === 'tabindex') s += `=${v.trim()}`;
          sig(el, s);
        }
      }
      if (FORBIDDEN.has(tag)) flag(el, 'forbidden element', tag);
      if (tag === 'script') {
        const src = el.getAttribute('src');
        if (!src) flag(el, 'inline script', (el.textContent || '').slice(0, 60));
        else {
          const u = new URL(src, location.href);
          if (u.origin !== location.origin || !scriptOk.test(u.pathname)) flag(el, 'foreign script', src);
        }
      }
      if (tag === 'meta' && el.hasAttribute('http-equiv')) flag(el, 'meta http-equiv', el.getAttribute('http-equiv'));
      if (tag === 'link' && (/import/i.test(el.getAttribute('rel') || '') || el.closest('body'))) flag(el, 'link', open(el));
      if (tag === 'style' && BAD_CSS.test(el.textContent || '')) flag(el, 'script in CSS', (el.textContent || '').slice(0, 60));
      if ((tag === 'a' || tag === 'area') && el.protocol === 'javascript:') jsLinks++;
      if (SENSITIVE_TAGS.has(tag)) {
        const p = el.parentElement;
        let s = `element ${tag}[${names.slice().sort().join(',')}].${el.getAttribute('class') || ''} in ${p ? p.localName + '.' + (p.classList[0] || '') : '-'}`;
        if (tag === 'script' && el.getAttribute('src')) s += ` src=${new URL(el.getAttribute('src'), location.href).pathname.replace(/\d+/g, '#')}`;
        if (tag === 'link') s += ` rel=${el.getAttribute('rel')} href=${new URL(el.getAttribute('href') || '', location.href).pathname}`;
        if (tag === 'meta') s += ` ${el.getAttribute('name') || el.getAttribute('http-equiv') || el.getAttribute('charset') || ''}`;
        sig(el, s);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
      if (tag === 'iframe' || tag === 'frame') { try { if (el.contentDocument) walk(el.contentDocument); } catch { /* cross-origin */ } }
    }
  };
  if (cfg.scope) for (const root of document.querySelectorAll(cfg.scope)) walk(root);
  else walk(document);
  return { hard, sigs, jsLinks };
}

/** Fires the events inline handlers listen to on every element, and focuses what can be focused. */
function pokePage(scope) {
  const types = ['focus', 'focusin', 'blur', 'focusout', 'mouseover', 'mouseenter', 'mousemove', 'mouseout', 'mouseleave', 'mousedown', 'mouseup', 'pointerover', 'pointerenter', 'pointerdown', 'pointerup', 'pointermove', 'keydown', 'keyup', 'keypress', 'input', 'change', 'select', 'toggle', 'animationstart', 'animationend', 'transitionend', 'load', 'error', 'scroll', 'wheel', 'copy', 'paste', 'beforeinput', 'contextmenu', 'dblclick', 'begin', 'beginEvent'];
  const els = scope
    ? [...document.querySelectorAll(scope)].flatMap((r) => [r, ...r.querySelectorAll('*')])
    : [document.body, ...document.body.querySelectorAll('*')];
  for (const el of els) {
    for (const t of types) { try { el.dispatchEvent(new Event(t)); } catch { /* ignore */ } }
    if (el.tabIndex >= 0 || el.isContentEditable) { try { el.focus({ preventScroll: true }); } catch { /* ignore */ } }
  }
  if (!scope) for (const el of document.querySelectorAll('[autofocus]')) { try { el.focus({ preventScroll: true }); } catch { /* ignore */ } }
  return els.length;
}

/** Follows the javascript: links a page has (only ever reached when the DOM check already failed). */
function clickScriptLinks() {
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (a.protocol === 'javascript:') { try { a.click(); } catch { /* ignore */ } }
  }
}

// `window.__xss` becomes a setter that reports every assignment (all frames, even after a
// payload replaces the document), so several payloads on one page are all named.
const MARKER_INIT = `(() => {
  if (Object.getOwnPropertyDescriptor(window, '__xssHits')) return;
  const hits = [];
  Object.defineProperty(window, '__xssHits', { value: hits });
  Object.defineProperty(window, '__xss', {
    configurable: false,
    get() { return hits.length ? hits[hits.length - 1] : undefined; },
    set(v) { hits.push(String(v)); try { console.log('__XSS_HIT__ ' + String(v)); } catch (e) {} },
  });
})();`;

// ---------------------------------------------------------------------------------------
// Static scan of the output files

function* htmlTags(html) {
  const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
  const lower = html.toLowerCase();
  const ws = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    if (html.startsWith('<!--', lt)) {
      if (html.startsWith('<!-->', lt)) { i = lt + 5; continue; }
      if (html.startsWith('<!--->', lt)) { i = lt + 6; continue; }
      const a = html.indexOf('-->', lt + 4);
      const b = html.indexOf('--!>', lt + 4);
      i = Math.min(a < 0 ? Infinity : a + 3, b < 0 ? Infinity : b + 4);
      if (i === Infinity) return;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') { const e = html.indexOf('>', lt); if (e < 0) return; i = e + 1; continue; }
    const m = /^<(\/?)([A-Za-z][^\t\n\f\r />]*)/.exec(html.slice(lt, lt + 80));
    if (!m) { i = lt + 1; continue; }
    let j = lt + m[0].length;
    const attrs = [];
    while (j < html.length) {
      while (j < html.length && (ws(html[j]) || html[j] === '/')) j++;
      if (j >= html.length || html[j] === '>') break;
      let k = j + 1;
      while (k < html.length && !ws(html[k]) && !'/>='.includes(html[k])) k++;
      const name = lower.slice(j, k);
      j = k;
      while (j < html.length && ws(html[j])) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < html.length && ws(html[j])) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const e = html.indexOf(q, j + 1);
          value = html.slice(j + 1, e < 0 ? html.length : e);
          j = e < 0 ? html.length : e + 1;
        } else {
          let e = j;
          while (e < html.length && !ws(html[e]) && html[e] !== '>') e++;
          value = html.slice(j, e);
          j = e;
        }
      }
      attrs.push([name, decodeEntities(value)]);
    }
    const tag = m[2].toLowerCase();
    const end = Math.min(j + 1, html.length);
    let raw = '';
    i = end;
    if (!m[1] && RAW.has(tag)) {
      const close = lower.indexOf('</' + tag, i);
      raw = html.slice(i, close < 0 ? html.length : close);
      i = close < 0 ? html.length : close;
    }
    yield { tag, closing: !!m[1], attrs, start: lt, text: html.slice(lt, end), raw };
  }
}

const STATIC_URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'codebase', 'cite', 'lowsrc', 'dynsrc', 'longdesc', 'ping', 'srcset', 'to', 'from', 'values', 'by']);
const STATIC_FORBIDDEN = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'fencedframe']);
const BAD_URL = /^(javascript|vbscript|livescript|mocha|data):/;
const BAD_CSS = /javascript:|vbscript:|expression\s*\(|-moz-binding|behavior\s*:|@import/i;
const normUrl = (v) => v.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();

/** Dangerous markup in real tags of an HTML/XML text (escaped text is never a tag). */
function scanMarkup(html, { dir, scripts }) {
  const found = [];
  for (const t of htmlTags(html)) {
    if (t.closing) continue;
    const hit = (kind, detail) => {
      const own = (t.text + t.raw.slice(0, 500)).match(/P\d{3}/g);
      const before = html.slice(Math.max(0, t.start - 3000), t.start).match(/P\d{3}/g);
      found.push({ kind, detail, payload: own ? [...new Set(own)].join(',') : before ? `${before[before.length - 1]}?` : '?', sample: t.text.slice(0, 240) });
    };
    for (const [n, v] of t.attrs) {
      if (n.startsWith('on')) hit('event handler', `${t.tag}[${n}]`);
      if (STATIC_URL_ATTRS.has(n) || n.endsWith(':href')) {
        const urls = n === 'srcset' ? v.split(',').map((s) => s.trim().split(/\s+/)[0]) : n === 'values' ? v.split(';') : [v];
        if (urls.some((u) => BAD_URL.test(normUrl(u)))) hit('dangerous URL', `${t.tag}[${n}=${v.slice(0, 60)}]`);
      }
      if (n === 'srcdoc') hit('srcdoc', t.tag);
      if (n === 'style' && BAD_CSS.test(v)) hit('script in CSS', `${t.tag}[style]`);
    }
    if (STATIC_FORBIDDEN.has(t.tag)) hit('forbidden element', t.tag);
    if (t.tag === 'meta' && t.attrs.some(([n]) => n === 'http-equiv')) hit('meta http-equiv', t.text);
    if (t.tag === 'link' && t.attrs.some(([n, v]) => n === 'rel' && /import/i.test(v))) hit('link import', t.text);
    if (t.tag === 'style' && BAD_CSS.test(t.raw)) hit('script in CSS', t.raw.slice(0, 60));
    if (t.tag === 'script') {
      const src = t.attrs.find(([n]) => n === 'src')?.[1];
      if (!src) hit('inline script', t.raw.slice(0, 60));
      else if (!scripts.has(sitePath(dir, src))) hit('foreign script', src);
    }
  }
  return found;
}

/** A script src as a path from the output root ('search.js'), or the URL when it leaves the site. */
function sitePath(dir, src) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) return src;
  const p = src.startsWith('/') ? src.slice(1) : posix.join(dir, src);
  return posix.normalize(p).replace(/^\.\//, '');
}

function walkFiles(dir) {
  const out = [];
  const go = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) go(p); else out.push(p);
    }
  };
  go(dir);
  return out.sort();
}
const rel = (out, f) => relative(out, f).split(sep).join('/');

/** The script files the clean build's pages load, as paths from the output root. */
function pageScripts(out) {
  const scripts = new Set();
  for (const f of walkFiles(out).filter((f) => f.endsWith('.html'))) {
    const dir = posix.dirname(rel(out, f));
    for (const t of htmlTags(readFileSync(f, 'utf8'))) {
      const src = t.tag === 'script' && !t.closing && t.attrs.find(([n]) => n === 'src')?.[1];
      if (src) scripts.add(sitePath(dir === '.' ? '' : dir, src));
    }
  }
  return scripts;
}

function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"' && cell === '') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || (c === '\r' && s[i + 1] === '\n')) { if (c === '\r') i++; row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Scans every output file of a build; `clean` is the clean build's folder (for theme files). */
function staticScan(out, { clean, scripts }) {
  const findings = [];
  const add = (file, f) => findings.push({ page: file, ...f });
  for (const f of walkFiles(out)) {
    const file = rel(out, f);
    const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    if (file.endsWith('.html') || file.endsWith('.xml')) {
      for (const x of scanMarkup(readFileSync(f, 'utf8'), { dir, scripts })) add(file, x);
    } else if (file.endsWith('.json')) {
      let data;
      try { data = JSON.parse(readFileSync(f, 'utf8')); } catch (e) { add(file, { kind: 'invalid JSON', detail: e.message, payload: '?' }); continue; }
      const visit = (v, key) => {
        if (typeof v === 'string') { if (/html$/i.test(key)) for (const x of scanMarkup(v, { dir, scripts })) add(file, { ...x, detail: `${key}: ${x.detail}` }); }
        else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
      };
      visit(data, '');
    } else if (file.endsWith('.js')) {
      if (file.startsWith('search/')) {
        // The search index is data wrapped in a call; run it with nothing but that call.
        const calls = [];
        const sandbox = { __rungsSearch: { add: (...a) => calls.push(a) } };
        sandbox.window = sandbox;
        sandbox.self = sandbox;
        try {
          vm.runInNewContext(readFileSync(f, 'utf8'), sandbox, { timeout: 2000, filename: file });
        } catch (e) { add(file, { kind: 'search index is not plain data', detail: e.message, payload: '?' }); }
        if (sandbox.__xss !== undefined) add(file, { kind: 'script ran', detail: 'search index set window.__xss', payload: String(sandbox.__xss) });
        if (!calls.length) add(file, { kind: 'search index is not plain data', detail: 'no __rungsSearch.add call', payload: '?' });
      } else {
        const twin = join(clean, file);
        if (!existsSync(twin) || !readFileSync(twin).equals(readFileSync(f))) add(file, { kind: 'theme script changed', detail: 'differs from the clean build', payload: '?' });
      }
    } else if (file.endsWith('.csv')) {
      parseCsv(readFileSync(f, 'utf8')).forEach((row, r) => row.forEach((cell, c) => {
        if (/^[=+\-@\t\r]/.test(cell)) add(file, { kind: 'CSV formula', detail: `row ${r + 1} column ${c + 1}: ${cell.slice(0, 60)}`, payload: (cell.match(/P\d{3}/) || ['?'])[0] });
      }));
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------
// The crawl

/** Every page of a build as a URL path: index.html files and 404.html. */
function pagePaths(out) {
  return walkFiles(out)
    .map((f) => rel(out, f))
    .filter((f) => f === '404.html' || f === 'index.html' || f.endsWith('/index.html'))
    .map((f) => (f.endsWith('index.html') ? f.slice(0, -'index.html'.length) : f));
}

const SCRIPT_PATHS = '^/(search|assess|compare|change|record|calibrate)\\.js$|^/search/(manifest|[a-z]+/\\d+)\\.js$';

async function openContext(browser, server) {
  const context = await browser.newContext();
  await context.addInitScript(MARKER_INIT);
  // Nothing leaves the local server: external URLs fail fast instead of timing out.
  await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
  const page = await context.newPage();
  const state = { current: null };
  page.on('console', (m) => {
    const t = m.text();
    if (t.startsWith('__XSS_HIT__ ')) { state.current?.hits.add(t.slice(12)); state.current?.log?.push(t.slice(12)); }
  });
  page.on('dialog', (d) => {
    state.current?.dialogs.push(`${d.type()}: ${d.message()}`);
    (d.type() === 'beforeunload' ? d.accept() : d.dismiss()).catch(() => {});
  });
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame() || !state.current) return;
    const u = new URL(f.url());
    u.hash = '';
    if (u.href !== state.current.url) state.current.navs.push(f.url());
  });
  context.on('page', (p) => { if (p !== page) { state.current?.navs.push(`popup ${p.url()}`); p.close().catch(() => {}); } });
  return { context, page, state };
}

/** Collects the hits of every frame (a payload in an iframe sets the iframe's marker). */
async function frameHits(page, into) {
  for (const f of page.frames()) {
    try {
      for (const h of await f.evaluate(() => (window.__xssHits ? [...window.__xssHits] : window.__xss === undefined ? [] : [String(window.__xss)]))) into.add(h);
    } catch { /* detached or cross-origin */ }
  }
}

async function visit(session, url, { poke }) {
  const { page, state } = session;
  const cur = { url, hits: new Set(), dialogs: [], navs: [], harness: [] };
  state.current = cur;
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    if (!resp || resp.status() !== 200) cur.harness.push(`HTTP ${resp?.status()}`);
    await page.waitForTimeout(poke ? 40 : 0); // details toggles, media errors, autofocus
    cur.dom = await page.evaluate(inspectPage, { scriptPaths: SCRIPT_PATHS });
    if (poke) {
      await page.evaluate(pokePage);
      for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
      await page.waitForTimeout(20);
      await frameHits(page, cur.hits);
      if (cur.dom.jsLinks) {
        await page.evaluate(clickScriptLinks).catch(() => {});
        await page.waitForTimeout(100);
      }
    }
  } catch (e) {
    cur.harness.push(e.message.split('\n')[0]);
  }
  state.current = null;
  return cur;
}

// ---------------------------------------------------------------------------------------
// Reporting

/** "P017: kind detail on page, page (+n more)" lines, one per payload and kind. */
function summarise(findings) {
  const groups = new Map();
  for (const f of findings) {
    const key = `${f.payload} | ${f.kind}: ${f.detail}`;
    if (!groups.has(key)) groups.set(key, { pages: new Set(), sample: f.sample });
    groups.get(key).pages.add(f.page === '' ? '/' : f.page);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, g]) => {
      const pages = [...g.pages];
      return `${k}\n      on ${pages.slice(0, 4).join(', ')}${pages.length > 4 ? ` (+${pages.length - 4} more)` : ''}${g.sample ? `\n      ${g.sample.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
    });
}
const fail = (what, findings) => `${what} (${findings.length} findings; full report in ${REPORT}):\n  ${summarise(findings).slice(0, 60).join('\n  ')}`;

// ---------------------------------------------------------------------------------------

const payloads = loadPayloads();
let browser, cleanServer, hostileServer, session;
let cleanOut, hostileOut, placed;
const results = { executions: [], dom: [], static: [], interactions: [], harness: [], baselineHard: [], baselineStatic: [], pages: 0, expectedPages: 0 };
let baseline;

before(async () => {
  // The clean sample: what the theme itself legitimately puts in pages.
  // Both name a repository, so every page carries its edit and feedback links (built
  // from settings and ids only: no payload may reach them).
  const withRepository = (site) => {
    const toml = join(site, 'site.toml');
    writeFileSync(toml, `repository = "https://github.com/acme/careers"\n${readFileSync(toml, 'utf8')}`);
    return site;
  };
  const clean = withRepository(copySite());
  cleanOut = build(clean);
  const hostile = withRepository(copySite());
  placed = injectSite(hostile, payloads);
  hostileOut = build(hostile);
  if (process.env.RUNGS_XSS_KEEP) console.log(`hostile site: ${hostile}`);

  browser = await launch();
  cleanServer = await serveDir(cleanOut);
  hostileServer = await serveDir(hostileOut);

  const c = await openContext(browser, cleanServer);
  baseline = new Set();
  for (const path of pagePaths(cleanOut)) {
    const r = await visit(c, cleanServer.url + path, { poke: false });
    for (const h of r.harness) results.harness.push({ page: `clean build: ${path}`, kind: 'harness', detail: h, payload: '-' });
    for (const info of Object.values(r.dom?.sigs || {})) baseline.add(info.sig);
    for (const h of r.dom?.hard || []) results.baselineHard.push({ page: path, ...h });
  }
  await c.context.close();
  const scripts = pageScripts(cleanOut);
  results.baselineStatic = staticScan(cleanOut, { clean: cleanOut, scripts });

  session = await openContext(browser, hostileServer);
  const paths = pagePaths(hostileOut);
  results.expectedPages = paths.length;
  for (const path of paths) {
    const r = await visit(session, hostileServer.url + path, { poke: true });
    results.pages++;
    for (const h of r.harness) results.harness.push({ page: path, kind: 'harness', detail: h, payload: '-' });
    for (const id of r.hits) results.executions.push({ page: path, kind: 'script ran', detail: `window.__xss = ${id}`, payload: id });
    for (const d of r.dialogs) results.executions.push({ page: path, kind: 'dialog', detail: d, payload: (d.match(/P\d{3}/) || ['?'])[0] });
    for (const n of r.navs) results.executions.push({ page: path, kind: 'navigated away', detail: n, payload: (decodeURIComponent(n).match(/P\d{3}/) || ['?'])[0] });
    for (const h of r.dom?.hard || []) results.dom.push({ page: path, ...h });
    for (const { sig, payload, sample } of Object.values(r.dom?.sigs || {})) {
      if (!baseline.has(sig)) results.dom.push({ page: path, kind: 'not in the clean build', detail: sig, payload, sample });
    }
  }
  results.static = staticScan(hostileOut, { clean: cleanOut, scripts });
});

after(async () => {
  try {
    writeFileSync(REPORT, JSON.stringify({ ...results, placements: Object.fromEntries([...(placed || new Map())].map(([k, v]) => [k, [...v]])) }, null, 1));
  } catch { /* best effort */ }
  await session?.context.close().catch(() => {});
  await browser?.close();
  await cleanServer?.close();
  await hostileServer?.close();
});

test('the payload corpus is well formed', () => {
  assert.ok(payloads.length >= 80 && payloads.length <= 150, `${payloads.length} payloads`);
  const ids = payloads.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'payload ids are unique');
  for (const p of payloads) {
    assert.ok(spellings(p.text).some((s) => s.includes('__xss') && s.includes(p.id)), `${p.id} (line ${p.line}) sets window.__xss to its own id`);
  }
});

test('every payload reaches a Markdown body alone, a mixed body, a behaviour and an example', () => {
  const missing = [];
  for (const [id, kinds] of placed) {
    for (const k of ['Markdown body (alone)', 'Markdown body (mixed)', 'behaviour (string)', 'behaviour (object)', 'example', 'proficiency descriptor']) {
      if (!kinds.has(k)) missing.push(`${id}: ${k}`);
    }
  }
  assert.deepEqual(missing, []);
  const fields = new Set([...placed.values()].flatMap((s) => [...s]));
  for (const f of ['level title', 'level summary', 'level attribute name', 'level attribute value', 'competency title', 'competency summary', 'page title', 'page summary', 'home title', 'framework title', 'framework summary', 'framework category', 'rating title', 'site title', 'site description']) {
    assert.ok(fields.has(f), `some payload is in the ${f}`);
  }
});

test('the checks find nothing in the clean sample (they do not flag the theme)', () => {
  assert.equal(results.baselineHard.length, 0, fail('the clean build has findings', results.baselineHard));
  assert.equal(results.baselineStatic.length, 0, fail('the clean build has static findings', results.baselineStatic));
  assert.ok(baseline.size > 5, `the baseline has ${baseline.size} signatures`);
});

test('the crawl opened every page of the hostile site', () => {
  assert.ok(results.expectedPages > 150, `${results.expectedPages} pages`);
  assert.equal(results.pages, results.expectedPages);
  assert.equal(results.harness.length, 0, fail('pages could not be checked', results.harness));
});

test('no payload runs script, opens a dialog or navigates, on any page', () => {
  assert.equal(results.executions.length, 0, fail('payloads ran', results.executions));
});

test('no page carries a dangerous element or attribute that came from content', () => {
  assert.equal(results.dom.length, 0, fail('dangerous markup in pages', results.dom));
});

test('no output file carries markup or code that would run (static scan)', () => {
  assert.equal(results.static.length, 0, fail('dangerous output', results.static));
});

/**
 * Findings in the part of a page a script built from contributor text (`scope`): hard-rule
 * markup there, and hits logged since `mark` (so payloads the server-rendered page already
 * carries, which the crawl reports, are not counted twice).
 */
async function checkBuilt(cur, label, scope, mark) {
  const { page } = session;
  await page.evaluate(pokePage, scope);
  await page.waitForTimeout(50);
  const dom = await page.evaluate(inspectPage, { scriptPaths: SCRIPT_PATHS, scope });
  const found = [
    ...cur.log.slice(mark).map((id) => ({ page: label, kind: 'script ran', detail: `window.__xss = ${id}`, payload: id })),
    ...cur.dialogs.slice(cur.dialogMark || 0).map((d) => ({ page: label, kind: 'dialog', detail: d, payload: (d.match(/P\d{3}/) || ['?'])[0] })),
    ...dom.hard.map((h) => ({ page: label, ...h })),
  ];
  results.interactions.push(...found);
  return found;
}

/**
 * Lets what the server-rendered page would run anyway (autofocus, load handlers, handlers the
 * poke reaches) happen before an interaction, and returns the mark after which hits count.
 */
async function settle(cur) {
  const { page } = session;
  await page.waitForTimeout(50);
  await page.evaluate(pokePage);
  await page.waitForTimeout(50);
  cur.dialogMark = cur.dialogs.length;
  return cur.log.length;
}

/** Starts logging hits and dialogs on the shared page, for a page opened by hand. */
function watch(url) {
  const cur = { url, hits: new Set(), log: [], dialogs: [], navs: [], harness: [] };
  session.state.current = cur;
  return cur;
}

test('search results, on the search page and in the header box, show hostile text without running it', async () => {
  const { page } = session;
  const found = [];
  const markup = []; // counted, asserted after the named findings
  const RESULTS = '.search-results, [data-search-status]';
  for (const q of [WORD, 'onerror', 'javascript', 'script', 'xss', 'svg img']) {
    const url = `${hostileServer.url}search/?q=${encodeURIComponent(q)}`;
    const cur = watch(url.split('?')[0]);
    await page.goto(url);
    const mark = await settle(cur);
    await page.waitForFunction(() => /result|No results/i.test(document.querySelector('[data-search-status]')?.textContent || ''), null, { timeout: 15000 });
    for (let i = 0; i < 40 && await page.locator('[data-search-more]:not([hidden])').count(); i++) {
      const before = await page.locator('.search-results li').count();
      await page.evaluate(() => document.querySelector('[data-search-more]').click()); // no real click: content could overlay it
      await page.waitForFunction((n) => document.querySelectorAll('.search-results li').length > n, before, { timeout: 5000 }).catch(() => {});
    }
    if (q === WORD) {
      const n = await page.locator('.search-results li').count();
      assert.ok(n >= payloads.length, `“${q}” finds the injected text (${n} results)`);
      assert.ok((await page.locator('.search-results').innerText()).includes('onerror'), 'payload text is shown as text');
    }
    found.push(...await checkBuilt(cur, `search/?q=${q}`, RESULTS, mark));
    markup.push([`results for ${q}`, await page.locator('.search-results :is(img, script, svg, iframe, style, b, i)').count()]);
  }
  // The header box on the home page: the dropdown, then following the first result.
  const home = hostileServer.url;
  const cur = watch(home);
  await page.goto(home);
  const mark = await settle(cur);
  await page.focus('#site-search-q');
  await page.keyboard.type(WORD);
  await page.waitForFunction(() => document.querySelector('#site-search-list [role=option]'), null, { timeout: 15000 });
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  markup.push(['header box', await page.locator('#site-search-list :is(img, script, svg, iframe, style, b, i)').count()]);
  assert.ok((await page.locator('#site-search-list').innerText()).includes(WORD));
  found.push(...await checkBuilt(cur, 'header search box', '.search-popup', mark));
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.href !== home, { timeout: 15000 });
  assert.equal(new URL(page.url()).origin, new URL(home).origin, `the first result stays on the site: ${page.url()}`);
  await page.waitForLoadState('load');
  session.state.current = null;
  assert.equal(found.length, 0, fail('search ran or showed hostile markup', found));
  assert.deepEqual(markup.filter(([, n]) => n > 0), [], 'contributor markup shows as text in search results');
});

test('the compare picker and the assessment plan, built by script from content, run nothing', async () => {
  const { page } = session;
  const found = [];
  // The picker renders, from framework.json, a pair that has no page of its own.
  let cur = watch(`${hostileServer.url}compare/`);
  await page.goto(`${hostileServer.url}compare/`);
  let mark = await settle(cur);
  const pair = await page.evaluate(() => {
    const pairs = document.getElementById('compare-picker').dataset.pairs.split(' ');
    const ids = [...document.querySelectorAll('#compare-a option')].map((o) => o.value);
    for (const a of ids) for (const b of ids) if (a !== b && !pairs.includes(`${a}/${b}`)) return [a, b];
    return null;
  });
  assert.ok(pair, 'a pair without its own page');
  await page.selectOption('#compare-a', pair[0]);
  await page.selectOption('#compare-b', pair[1]);
  await page.evaluate(() => document.getElementById('compare-picker').requestSubmit());
  await page.waitForSelector('#compare-result-heading', { timeout: 15000 });
  assert.ok((await page.locator('#compare-result').innerText()).includes(WORD), 'the comparison shows the injected text');
  found.push(...await checkBuilt(cur, `compare picker ${pair.join(' → ')}`, '#compare-result', mark));
  // The assessment: rate every behaviour with the lowest rating and open the plan.
  const level = pagePaths(hostileOut).find((p) => p.startsWith('assess/') && p !== 'assess/');
  cur = watch(hostileServer.url + level);
  await page.goto(hostileServer.url + level);
  mark = await settle(cur);
  await page.evaluate(() => {
    for (const f of document.querySelectorAll('.assess-item')) {
      const r = f.querySelector('input[type=radio]');
      if (r) { r.checked = true; r.dispatchEvent(new Event('change', { bubbles: true })); }
    }
  });
  await page.evaluate(() => document.querySelector('[data-view=plan]').click());
  await page.waitForFunction(() => document.querySelectorAll('#plan-current .plan-items li').length > 0, null, { timeout: 15000 });
  assert.ok((await page.locator('#plan-current').innerText()).includes(WORD), 'the plan shows the injected text');
  found.push(...await checkBuilt(cur, `${level} (development plan)`, '#plan-current, #assess-status, #assess-progress', mark));
  session.state.current = null;
  assert.equal(found.length, 0, fail('script-built views ran or showed hostile markup', found));
});

test('the calibration view shows a hostile record file and hostile vocabularies as text', async () => {
  const { page } = session;
  const level = pagePaths(hostileOut).find((p) => p.startsWith('assess/') && p !== 'assess/');
  const cur = watch(hostileServer.url + level);
  await page.goto(hostileServer.url + level);
  const mark = await settle(cur);
  // The manager rates, with an evidence source (hostile titles) and exports their record.
  await page.evaluate(() => {
    document.querySelector('input[name="assess-role"][value="manager"]').click();
    for (const f of document.querySelectorAll('.assess-item')) {
      const r = f.querySelectorAll('input[type=radio]');
      r[r.length - 1].checked = true;
      f.querySelector('.assess-evidence').selectedIndex = 1;
    }
    document.querySelector('.assess-item input[type=radio]').dispatchEvent(new Event('change', { bubbles: true }));
    document.querySelector('[data-view=calibrate]').click();
  });
  await Promise.all([page.waitForEvent('download'), page.click('#calibrate-use-mine')]);
  // A hostile self-assessment: every string a payload, sealed so that it is accepted.
  const shape = await page.evaluate(() => ({
    site: document.getElementById('assess').dataset.siteTitle,
    level: document.getElementById('assess').dataset.level,
    ratings: document.getElementById('assess').dataset.ratings.split(' '),
    items: [...document.querySelectorAll('.assess-item')].map((f) => ({ competency: f.closest('.assess-competency').dataset.competency, anchor: f.dataset.anchor })),
  }));
  const say = (k) => `${WORD} ${payloads[k % payloads.length].text}`;
  const sandbox = {};
  vm.runInNewContext(readFileSync(join(REPO, 'themes/default/static/record.js'), 'utf8'), sandbox);
  const R = sandbox.__rungsRecord;
  const behaviours = shape.items.map((it, k) => ({ ...it, hash: 'x', text: say(k), rating: shape.ratings[0], evidence: 'own', note: say(k + 1) }));
  behaviours.push({ competency: shape.items[0].competency, anchor: 'gone', hash: 'x', text: say(7), rating: shape.ratings[0], note: say(8) });
  const notes = Object.fromEntries(shape.items.map((it, k) => [it.competency, say(k + 2)]));
  const file = join(tempDir('rungs-xss-record-'), 'record.json');
  writeFileSync(file, R.seal({ format: R.FORMAT, schema: R.SCHEMA, site: shape.site, level: { id: shape.level, title: say(3) }, role: 'self', person: say(4), date: say(5), behaviours, notes, summary: say(6) }));
  await page.setInputFiles('#calibrate-other', file);
  await page.waitForSelector('.cal-item', { timeout: 15000 });
  // A target level (hostile titles) and an outcome (a hostile vocabulary) re-render the view.
  if (await page.locator('#cal-target option').count() > 1) await page.selectOption('#cal-target', { index: 1 });
  await page.locator('input[name="cal-outcome"]').first().check();
  assert.ok((await page.locator('#calibrate-out').innerText()).includes(WORD), 'the calibration shows the injected text');
  const found = await checkBuilt(cur, `${level} (calibration)`, '#calibrate-out, #calibrate-status, #assess-status, #assess-removed', mark);
  session.state.current = null;
  assert.equal(found.length, 0, fail('the calibration view ran or showed hostile markup', found));
});
