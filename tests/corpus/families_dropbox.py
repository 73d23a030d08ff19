#!/usr/bin/env python3
"""Re-expresses the flat Dropbox conversion (dropbox/) with job families and a shared
core, into dropbox-families/: one `engineering` family (8 expert tracks and the manager
track), and, for every competency and band, each behaviour that most levels of the band
on the competency's tracks (at least two, and three in five) list word for word moved
once into the competency's `core:` for that band, with an id; the levels of the band
that do not list it `remove:` it. Nothing else changes, so a build of either must give every level
the same behaviours (tests/it/corpus.rs checks it).

    python3 tests/corpus/families_dropbox.py     # needs PyYAML; rewrites dropbox-families/
"""
import pathlib
import re
import shutil

import yaml

HERE = pathlib.Path(__file__).resolve().parent
SRC, OUT = HERE / "dropbox", HERE / "dropbox-families"


def front(path):
    text = path.read_text()
    m = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    return yaml.safe_load(m.group(1)), m.group(2), text


def text_of(b):
    return b if isinstance(b, str) else b["text"]


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    shutil.copytree(SRC, OUT)
    fw_path = OUT / "content/framework.yaml"
    fw_text = fw_path.read_text()
    fw = yaml.safe_load(fw_text)
    fw_text = fw_text.replace(
        "\ntracks:\n",
        "\nfamilies:\n  - id: engineering\n    title: Engineering\n"
        "    summary: Every engineering discipline at Dropbox, on one set of bands.\n"
        "    requires: [expert, manager]\n\ntracks:\n",
        1,
    )
    fw_text = re.sub(r"(\n    kind: (?:expert|manager)\n)", r"\1    family: engineering\n", fw_text)
    fw_path.write_text("# Job families and a shared core: written by families_dropbox.py from dropbox/.\n" + fw_text)
    all_tracks = [t["id"] for t in fw["tracks"]]
    band_of, tracks_of = {}, {}
    for f in (OUT / "content/levels").rglob("*.md"):
        meta, _, _ = front(f)
        band_of[f.stem] = meta["band"]
        tracks_of[f.stem] = meta.get("tracks") or [f.parent.name]
    moved = 0
    for f in sorted((OUT / "content/competencies").rglob("*.md")):
        meta, body, text = front(f)
        tracks = meta.get("tracks") or all_tracks
        by_level = meta.get("behaviours") or {}
        core, removes = {}, {}
        for band in [b["id"] for b in fw["bands"]]:
            levels = [l for l, b in band_of.items() if b == band and set(tracks_of[l]) & set(tracks)]
            if len(levels) < 2 or not all(l in by_level for l in levels):
                continue
            counts = {}
            for l in levels:
                for t in dict.fromkeys(b for b in by_level.get(l, []) if isinstance(b, str)):
                    counts[t] = counts.get(t, 0) + 1
            need = max(2, -(-3 * len(levels) // 5))
            shared = [t for t, n in counts.items() if n >= need]
            if not shared:
                continue
            items = []
            for t in shared:
                slug = "-".join(re.findall(r"[a-z0-9]+", t.lower())[:6])
                items.append({"text": t, "id": f"core-{band}-{slug}"})
                for l in levels:
                    own = by_level.setdefault(l, [])
                    if t in own:
                        own.remove(t)
                        moved += 1
                    else:
                        removes.setdefault(l, []).append(items[-1]["id"])
            core[band] = items
        if not core:
            continue
        entries = {}
        for l, v in by_level.items():
            if l in removes:
                entries[l] = {"add": v, "remove": removes[l]} if v else {"remove": removes[l]}
            elif v:
                entries[l] = v
        for l, r in removes.items():
            entries.setdefault(l, {"remove": r})
        meta["behaviours"] = entries
        meta["core"] = core
        comments = "".join(line + "\n" for line in text.split("\n")[1:] if line.startswith("#"))
        dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10000)
        f.write_text("---\n" + comments + dumped + "---\n" + body)
    print(f"moved {moved} behaviour lines into core lists")


if __name__ == "__main__":
    main()
