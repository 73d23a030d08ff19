#!/usr/bin/env python3
"""What scripts/lint-workflows checks beyond actionlint and the JSON Schemas.

actionlint lints workflows but not action metadata, and it cannot open an action that
lives in another repository, so nothing else would notice that an example passes
`build-dir:` to an action whose input is `output-dir`. This checks:

- action.yml: a composite action whose `run` steps name their shell and take inputs
  through `env` (no `${{ }}` inside a script: that is how script injection happens);
  every `inputs.X` it uses is declared and every declared input is used; every
  `steps.X` it reads is a step id; every script under `$GITHUB_ACTION_PATH` exists.
- the workflows: a step that uses the rungs action passes only inputs action.yml
  declares, and reads only outputs it declares.
- shellcheck over the `run` scripts of action.yml (and of the workflows with
  --shellcheck-workflows, for when actionlint cannot run shellcheck itself) and over
  the `script` lines of GitLab CI files.

Problems print as `file:line:col: message`; the exit status is 1 when there are any.
Reads YAML with ruamel.yaml (YAML 1.2, so `on:` stays a string), which comes with
check-jsonschema in the lint environment.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
INPUT_REF = re.compile(r"\binputs\.([A-Za-z0-9_-]+)")
STEP_REF = re.compile(r"\bsteps\.([A-Za-z0-9_-]+)")
ACTION_PATH_SCRIPT = re.compile(r"\$\{?GITHUB_ACTION_PATH\}?/([A-Za-z0-9_./-]+)")
# The ones actionlint leaves out for `run` scripts, for the same reasons: sourced files
# are not there to follow, and `${{ }}` placeholders make constant comparisons.
SHELLCHECK_EXCLUDE = "SC1091,SC2050,SC2154,SC2157,SC2194"

problems: list[str] = []


def report(path: str, line: int, col: int, message: str) -> None:
    problems.append(f"{path}:{line}:{col}: {message}")


def load(path: str):
    yaml = YAML(typ="rt")
    with open(path, encoding="utf-8") as f:
        return yaml.load(f)


def pos(node, key) -> tuple[int, int]:
    """1-based line and column of `key`'s value in a ruamel mapping."""
    try:
        line, col = node.lc.value(key)
        return line + 1, col + 1
    except (AttributeError, KeyError, TypeError):
        try:
            return node.lc.line + 1, node.lc.col + 1
        except AttributeError:
            return 0, 0


def script_start(node, key) -> int:
    """The file line of a script's first line (block scalars start below the `|`)."""
    line, _ = pos(node, key)
    value = node[key]
    if isinstance(value, (LiteralScalarString, FoldedScalarString)):
        return line + 1
    return line


def walk_strings(node, at=None):
    """Every string in a YAML tree, with the mapping and key it sits under."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str):
                yield v, node, k
            else:
                yield from walk_strings(v, (node, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, str):
                yield v, node, i
            else:
                yield from walk_strings(v, (node, i))


def shellcheck(bin_: str, path: str, first_line: int, script: str, shell: str) -> None:
    # Expressions become a word of the same shape, as actionlint does.
    text = EXPR.sub(lambda m: "_" * len(m.group(0)), script)
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
        f.write(text)
        tmp = f.name
    try:
        out = subprocess.run(
            [bin_, "--norc", f"--shell={shell}", "-e", SHELLCHECK_EXCLUDE, "-f", "gcc", tmp],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(tmp)
    for line in out.stdout.splitlines():
        m = re.match(r"^.*?:(\d+):(\d+): (.*)$", line)
        if m:
            report(path, first_line + int(m.group(1)) - 1, int(m.group(2)), f"shellcheck: {m.group(3)}")
    if out.returncode not in (0, 1):
        report(path, first_line, 1, f"shellcheck could not run: {out.stderr.strip()}")


def check_action(path: str, root: Path, sc: str | None) -> dict:
    doc = load(path)
    if not isinstance(doc, dict):
        report(path, 1, 1, "action metadata must be a mapping")
        return {}
    inputs = doc.get("inputs") or {}
    outputs = doc.get("outputs") or {}
    runs = doc.get("runs") or {}
    if runs.get("using") != "composite":
        report(path, *pos(runs, "using"), "runs.using must be `composite`: the action is shell steps")
    steps = runs.get("steps") or []
    ids = [s.get("id") for s in steps if isinstance(s, dict) and s.get("id")]
    for dup in {i for i in ids if ids.count(i) > 1}:
        report(path, 1, 1, f"step id `{dup}` is used twice")

    used_inputs: set[str] = set()
    for text, node, key in walk_strings(doc):
        # `if:` is an expression with or without `${{ }}`.
        exprs = EXPR.findall(text) or ([text] if key == "if" else [])
        for expr in exprs:
            for name in INPUT_REF.findall(expr):
                used_inputs.add(name)
                if name not in inputs:
                    report(path, *pos(node, key), f"`inputs.{name}` is not a declared input")
            for sid in STEP_REF.findall(expr):
                if sid not in ids:
                    report(path, *pos(node, key), f"`steps.{sid}` is not a step id")
    for name in inputs:
        if name not in used_inputs:
            report(path, *pos(inputs, name), f"input `{name}` is declared but never used")

    for step in steps:
        if not isinstance(step, dict):
            continue
        if ("run" in step) == ("uses" in step):
            report(path, *pos(step, next(iter(step))), "a step needs exactly one of `run` and `uses`")
        if "run" not in step:
            continue
        run = step["run"]
        if "shell" not in step:
            report(path, *pos(step, "run"), "a composite action's `run` step must name its `shell`")
        if "${{" in run:
            report(path, *pos(step, "run"), "pass inputs to a script through `env`, not `${{ }}` inside it (script injection)")
        for rel in ACTION_PATH_SCRIPT.findall(run):
            if not (root / rel).is_file():
                report(path, *pos(step, "run"), f"`{rel}` does not exist")
        if sc and step.get("shell") in ("bash", "sh"):
            shellcheck(sc, path, script_start(step, "run"), run, step["shell"])
    return {"inputs": set(inputs), "outputs": set(outputs)}


def is_rungs_action(uses: str) -> bool:
    ref = uses.split("@", 1)[0].rstrip("/")
    return ref in (".", "./") or ref.endswith("/rungs")


def check_workflow(path: str, action: dict, sc: str | None) -> None:
    doc = load(path)
    jobs = (doc or {}).get("jobs") or {}
    for job in jobs.values():
        if not isinstance(job, dict):
            continue
        steps = job.get("steps") or []
        rungs_ids = {
            s["id"] for s in steps if isinstance(s, dict) and s.get("id") and is_rungs_action(str(s.get("uses", "")))
        }
        for step in steps:
            if not isinstance(step, dict):
                continue
            uses = str(step.get("uses", ""))
            if action and uses and is_rungs_action(uses):
                for name in step.get("with") or {}:
                    if name not in action["inputs"]:
                        report(path, *pos(step["with"], name), f"the rungs action has no input `{name}` (action.yml)")
            for text, node, key in walk_strings(step):
                for expr in EXPR.findall(text) or ([text] if key == "if" else []):
                    for sid, out in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expr):
                        if sid in rungs_ids and out not in action.get("outputs", ()):
                            report(path, *pos(node, key), f"the rungs action has no output `{out}` (action.yml)")
            if sc and "run" in step and step.get("shell", "bash") in ("bash", "sh"):
                shellcheck(sc, path, script_start(step, "run"), step["run"], step.get("shell", "bash"))


def check_gitlab(path: str, sc: str | None) -> None:
    doc = load(path) or {}
    for job in doc.values():
        if not isinstance(job, dict):
            continue
        for key in ("before_script", "script", "after_script"):
            lines = job.get(key)
            if not isinstance(lines, list):
                continue
            for i, line in enumerate(lines):
                if sc and isinstance(line, str):
                    try:
                        start = lines.lc.item(i)[0] + 1
                    except (AttributeError, KeyError):
                        start = 0
                    if isinstance(line, (LiteralScalarString, FoldedScalarString)):
                        start += 1
                    shellcheck(sc, path, start, line, "sh")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--action", help="the action metadata (action.yml)")
    ap.add_argument("--workflows", nargs="*", default=[])
    ap.add_argument("--gitlab", nargs="*", default=[])
    ap.add_argument("--shellcheck", help="the shellcheck binary; without it no script is shellchecked")
    ap.add_argument("--shellcheck-workflows", action="store_true", help="shellcheck the workflows' run scripts too")
    args = ap.parse_args()

    root = Path.cwd()
    action = check_action(args.action, root, args.shellcheck) if args.action else {}
    for wf in args.workflows:
        check_workflow(wf, action, args.shellcheck if args.shellcheck_workflows else None)
    for gl in args.gitlab:
        check_gitlab(gl, args.shellcheck)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
