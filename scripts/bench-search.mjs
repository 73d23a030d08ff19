#!/usr/bin/env node
// Search benchmark: index size (raw and gzip, per file as a web server would send it)
// against the site's text, the bytes a first query loads, and keystroke-to-rendered-results
// time in headless Chromium (median over the keystrokes of ~20 queries typed letter by letter).
//
//   cargo build --release
//   target/release/rungs build --out /tmp/sample-out
//   node scripts/bench-search.mjs /tmp/sample-out [content-dir]
//
// Queries default to a list that suits the sample framework; pass QUERIES="a,b,c" for others.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, serveDir } from '../tests/browser/lib.mjs';

const out = process.argv[2];
const content = process.argv[3];
if (!out) { console.error('usage: bench-search.mjs OUT_DIR [CONTENT_DIR]'); process.exit(2); }
const QUERIES = (process.env.QUERIES || 'mentoring,incident review,stakeholder,design,roadmap,feedback,quality,debugging,architecture,security,coaching,reliability,influence,prioritise,hiring,promotion,on-call,document decisions,budget,strategy').split(',');

function walk(dir, f = []) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, f); else f.push(p);
  }
  return f;
}
const sizes = (files) => files.reduce((a, p) => { const b = readFileSync(p); a.raw += b.length; a.gz += gzipSync(b, { level: 6 }).length; a.n++; return a; }, { raw: 0, gz: 0, n: 0 });
const mb = (b) => (b / 1e6).toFixed(2) + ' MB';
const kb = (b) => (b / 1e3).toFixed(1) + ' KB';

const all = walk(out);
const index = sizes(all.filter((p) => relative(out, p).startsWith('search/') && p.endsWith('.js')));
const html = sizes(all.filter((p) => p.endsWith('.html')));
const js = sizes([join(out, 'search.js')]);
console.log(`index: ${index.n} files, ${mb(index.raw)} raw, ${mb(index.gz)} gzip`);
console.log(`site HTML: ${html.n} pages, ${mb(html.raw)} raw, ${mb(html.gz)} gzip`);
if (content) { const c = sizes(walk(content)); console.log(`content (Markdown/YAML): ${mb(c.raw)}`); }
console.log(`search.js: ${kb(js.raw)} raw, ${kb(js.gz)} gzip`);

const server = await serveDir(out);
const browser = await launch();
const page = await browser.newPage();
await page.goto(server.url);
const loaded = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/search/')));
const bytesOf = (urls) => sizes(urls.map((u) => join(out, new URL(u).pathname)));

async function keystroke(q) {
  return page.evaluate((q) => new Promise((ok) => {
    const input = document.querySelector('#site-search-q');
    const t0 = performance.now();
    document.addEventListener('rungs:search-rendered', (e) => { if (e.detail.query === q) ok(performance.now() - t0); }, { once: false });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), q);
}

await page.focus('#site-search-q');
const first = QUERIES[0];
const t = await keystroke(first);
const firstLoad = bytesOf(await loaded());
console.log(`first query "${first}" (cold, whole query at once): ${t.toFixed(1)} ms, loaded ${firstLoad.n} index files, ${kb(firstLoad.raw)} raw, ${kb(firstLoad.gz)} gzip`);

const times = [], finals = [];
for (const q of QUERIES) {
  for (let i = 2; i <= q.length; i++) {
    const ms = await keystroke(q.slice(0, i));
    times.push(ms);
    if (i === q.length) finals.push(ms);
  }
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length * 0.95)]; };
const total = bytesOf(await loaded());
console.log(`keystroke to rendered results over ${times.length} keystrokes of ${QUERIES.length} queries: median ${med(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (full queries: median ${med(finals).toFixed(1)} ms)`);
console.log(`after all queries: ${total.n} index files loaded, ${kb(total.raw)} raw, ${kb(total.gz)} gzip`);
await browser.close();
await server.close();
