// The schemas in a real editor's language server (issue 14): yaml-language-server, the
// server behind VS Code's YAML extension and the YAML support of Neovim, Helix and Zed,
// driven over stdio as an editor drives it. On a site from `rungs init` it finds the
// schema through framework.yaml's first line (and, without that line, through the
// `yaml.schemas` of init's .vscode/settings.json), reports nothing on the starter, flags
// a typo'd key and a bad enum at their lines, completes keys and shows their docs.
// And Taplo, when installed, finds site.toml's schema through its first line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RUNGS, tempDir } from './lib.mjs';

const SERVER = join(dirname(createRequire(import.meta.url).resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');

/** A minimal LSP client over stdio: requests, notifications, and answers to the server. */
function startServer(root, settings) {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const pending = new Map();
  const listeners = [];
  const send = (msg) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = +buffer.subarray(0, head).toString().match(/Content-Length: (\d+)/i)[1];
      if (buffer.length < head + 4 + length) return;
      const msg = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString());
      buffer = buffer.subarray(head + 4 + length);
      if (msg.id !== undefined && msg.method === undefined) {
        pending.get(msg.id)?.(msg);
        pending.delete(msg.id);
      } else if (msg.id !== undefined) {
        // A request from the server: settings for `workspace/configuration`, else nothing.
        const result = msg.method === 'workspace/configuration'
          ? msg.params.items.map((i) => (i.section === 'yaml' ? settings : i.section ? null : { yaml: settings }))
          : null;
        send({ id: msg.id, result });
      } else {
        listeners.forEach((l) => l(msg));
      }
    }
  });
  const request = (method, params) => new Promise((ok) => {
    const id = nextId++;
    pending.set(id, ok);
    send({ id, method, params });
  });
  const notify = (method, params) => send({ method, params });
  /** Resolves with the first diagnostics for `uri` that satisfy `done`. */
  const diagnostics = (uri, done) => new Promise((ok, fail) => {
    let last = null;
    const timer = setTimeout(() => fail(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(last)}`)), 20000);
    listeners.push((msg) => {
      if (msg.method !== 'textDocument/publishDiagnostics' || msg.params.uri !== uri) return;
      last = msg.params.diagnostics;
      if (done(last)) { clearTimeout(timer); ok(last); }
    });
  });
  const rootUri = pathToFileURL(root).href;
  return {
    async init() {
      await request('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'site' }],
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { hover: { contentFormat: ['plaintext', 'markdown'] }, completion: { completionItem: { snippetSupport: false } } } },
      });
      notify('initialized', {});
      notify('workspace/didChangeConfiguration', { settings: { yaml: settings } });
    },
    open(path, text) {
      const uri = pathToFileURL(path).href;
      notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      return uri;
    },
    change(uri, version, text) {
      notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    diagnostics,
    request,
    stop: async () => { await request('shutdown', null); notify('exit', null); child.kill(); },
  };
}

function initSite() {
  const dir = join(tempDir('rungs-lsp-'), 'site');
  const r = spawnSync(RUNGS, ['init', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

const BASE_SETTINGS = { validate: true, hover: true, completion: true, schemaStore: { enable: false } };

/** The 0-based line of the first line of `text` that contains `needle`. */
const lineOf = (text, needle) => text.split('\n').findIndex((l) => l.includes(needle));

test('yaml-language-server finds the schema through the first line of framework.yaml', async () => {
  const root = initSite();
  const path = join(root, 'content/framework.yaml');
  const good = readFileSync(path, 'utf8');
  const server = startServer(root, BASE_SETTINGS);
  try {
    await server.init();
    const uri = server.open(path, good);
    // The starter is valid: the server settles on no diagnostics.
    await server.diagnostics(uri, (d) => d.length === 0);

    // A typo'd key and a bad enum, each flagged at its line.
    const bad = good.replace('    kind: manager\n', '    kind: boss\n    colour: red\n');
    server.change(uri, 2, bad);
    const diags = await server.diagnostics(uri, (d) => d.length >= 2);
    const at = (needle) => diags.filter((d) => d.range.start.line === lineOf(bad, needle)).map((d) => d.message).join(' | ');
    assert.match(at('colour: red'), /colour.*not allowed/i, JSON.stringify(diags));
    assert.match(at('kind: boss'), /expert.*manager/, JSON.stringify(diags));

    // Completion inside a track offers its keys; hover shows a key's doc.
    const withNewKey = good.replace('    kind: manager\n', '    kind: manager\n    \n');
    server.change(uri, 3, withNewKey);
    const line = lineOf(withNewKey, 'kind: manager') + 1;
    const completion = await server.request('textDocument/completion', { textDocument: { uri }, position: { line, character: 4 } });
    const labels = (completion.result.items ?? completion.result).map((i) => i.label);
    assert.ok(labels.includes('based_on') && labels.includes('family'), labels.join(', '));
    const hoverLine = lineOf(withNewKey, 'kind: manager');
    const hover = await server.request('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine, character: 5 } });
    assert.match(JSON.stringify(hover.result.contents), /building teams/);
  } finally {
    await server.stop();
  }
});

test('without that line, init\'s .vscode/settings.json maps the schema to framework.yaml', async () => {
  const root = initSite();
  const settings = JSON.parse(readFileSync(join(root, '.vscode/settings.json'), 'utf8'));
  const path = join(root, 'content/framework.yaml');
  const text = readFileSync(path, 'utf8').split('\n').slice(1).join('\n');
  const server = startServer(root, { ...BASE_SETTINGS, schemas: settings['yaml.schemas'] });
  try {
    await server.init();
    const uri = server.open(path, text);
    const bad = text.replace('title: Band 1', 'title: Band 1\n    summmary: typo');
    server.change(uri, 2, bad);
    const diags = await server.diagnostics(uri, (d) => d.length >= 1);
    assert.ok(diags.some((d) => d.range.start.line === lineOf(bad, 'summmary') && /summmary.*not allowed/i.test(d.message)), JSON.stringify(diags));
  } finally {
    await server.stop();
  }
});

// site.toml's first line, read by Taplo (the engine of VS Code's Even Better TOML). Taplo
// is a Rust binary, not an npm dependency here: the test runs when `taplo` is on PATH
// (`pip install taplo` installs it) or TAPLO names it.
const TAPLO = process.env.TAPLO || (spawnSync('taplo', ['--version']).status === 0 ? 'taplo' : null);
test('Taplo finds site.toml\'s schema through its first line', { skip: !TAPLO && 'taplo is not installed' }, () => {
  const root = initSite();
  const lint = () => spawnSync(TAPLO, ['lint', 'site.toml'], { cwd: root, encoding: 'utf8', env: { ...process.env, RUST_LOG: 'error' } });
  let r = lint();
  assert.equal(r.status, 0, r.stderr);
  const path = join(root, 'site.toml');
  const [first, ...rest] = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, [first, 'titel = "typo"', 'accent_color = "green"', ...rest].join('\n'));
  r = lint();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /titel/);
  assert.match(r.stderr, /green/);
});
