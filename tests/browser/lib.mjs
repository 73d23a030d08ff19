// Shared harness for the browser tests: builds fixture sites with the rungs binary,
// serves a folder over HTTP on loopback, and launches Debian's Chromium through
// playwright-core (no browser downloads: executablePath is /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, cpSync, readFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve, extname, normalize, sep } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const RUNGS = process.env.RUNGS_BIN || join(REPO, 'target', 'debug', 'rungs');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const made = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder named `prefix…`, removed when the test file's process exits
 *  (a file's tests make dozens of sites; left behind, they filled the machine's /tmp). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Copies a site folder (default: the repository's sample) into a temp dir. */
export function copySite(from = REPO) {
  const dir = tempDir('rungs-site-');
  for (const part of ['site.toml', 'content', 'static', 'templates']) {
    const src = join(from, part);
    if (existsSync(src)) cpSync(src, join(dir, part), { recursive: true });
  }
  return dir;
}

/** Runs `rungs build` and returns the output folder; throws with the diagnostics on failure. */
export function build(root, extraArgs = []) {
  const out = join(root, 'public');
  const r = spawnSync(RUNGS, ['build', '--root', root, '--out', out, ...extraArgs], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`rungs build failed (${r.status}):\n${r.stderr}`);
  return out;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.csv': 'text/csv' };

/** Serves `dir` on 127.0.0.1 with directory -> index.html, like any static host. */
/** Serves `dir` on loopback; pass the `port` of an earlier server to keep its origin (and its storage). */
export async function serveDir(dir, port = 0) {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(dir, path);
    if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(existsSync(join(dir, '404.html')) ? readFileSync(join(dir, '404.html')) : 'not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  // A test that fails before closing it must not keep the test file running.
  server.unref();
  const url = `http://127.0.0.1:${server.address().port}/`;
  // close() waits for every connection to end, and Chromium keeps some open (keep-alive,
  // a preconnect that never sends a request): a test that closed a server while its page
  // was open hung for minutes. Closing drops them.
  const close = () => new Promise((ok) => { server.close(ok); server.closeAllConnections(); });
  return { url, port: server.address().port, close };
}

/** Starts a long-running rungs command (e.g. serve) and resolves once `ready` matches its output. */
export function startRungs(args, ready, opts = {}) {
  const child = spawn(RUNGS, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let output = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => { child.kill(); fail(new Error(`rungs did not become ready:\n${output}`)); }, 30000);
    const onData = (d) => {
      output += d;
      const m = output.match(ready);
      if (m) { clearTimeout(timer); ok({ child, match: m, output: () => output, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGINT'); }) }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`rungs exited ${code}:\n${output}`)); });
  });
}
