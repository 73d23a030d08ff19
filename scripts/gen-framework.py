#!/usr/bin/env python3
"""Generates a large, valid rungs framework for benchmarks.

Default size matches the foundation benchmark: 30 tracks x 8 levels (240 levels),
40 competencies, ~3.5 KB of behaviour text per competency and level (~33 MB of Markdown).

    python3 scripts/gen-framework.py /tmp/big
    python3 scripts/gen-framework.py /tmp/small --tracks 4 --levels 5 --competencies 10 --kb 1
"""
import argparse
import os
import random
import shutil

WORDS = (
    "designs builds reviews improves leads mentors coaches owns delivers measures simplifies "
    "documents tests deploys monitors debugs explains negotiates plans prioritises aligns "
    "system service team department organisation customer incident roadmap architecture "
    "quality reliability security performance latency cost budget stakeholder product "
    "feedback experiment hypothesis evidence metric outcome risk trade-off decision standard "
    "practice pattern library platform pipeline release review design proposal strategy "
    "clear robust scalable observable maintainable pragmatic thoughtful inclusive "
    "across within beyond with for through by their the a and of to in on"
).split()


def sentence(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    if rng.random() < 0.2:
        text = text.replace(" quality ", " **quality** ", 1)
    if rng.random() < 0.1:
        text = text.replace(" pipeline ", " `pipeline` ", 1)
    return text[0].upper() + text[1:] + "."


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--tracks", type=int, default=30)
    p.add_argument("--levels", type=int, default=8, help="levels per track (= bands)")
    p.add_argument("--competencies", type=int, default=40)
    p.add_argument("--areas", type=int, default=5)
    p.add_argument("--kb", type=float, default=3.5, help="KB of behaviour text per competency and level")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--families", type=int, default=0, help="job families (tracks dealt out among them in turn)")
    p.add_argument(
        "--tracks-per-competency",
        type=int,
        default=0,
        help="each competency applies to this many neighbouring tracks (0: every track); "
        "with --competencies 600 and 2 this is the wide 10k shape of the speed issue",
    )
    a = p.parse_args()
    rng = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    content = os.path.join(a.out, "content")
    os.makedirs(content)
    with open(os.path.join(a.out, "site.toml"), "w") as f:
        f.write('title = "Generated framework"\nbase_url = "/"\n')
    cats = ["technical", "delivery", "leadership", "enterprise"]
    with open(os.path.join(content, "framework.yaml"), "w") as f:
        if a.families:
            f.write("families:\n")
            for fam in range(a.families):
                f.write(f"  - id: f{fam}\n    title: Family {fam}\n")
        f.write("tracks:\n")
        for t in range(a.tracks):
            kind = "manager" if t % 2 else "expert"
            family = f"    family: f{(t // 2) % a.families}\n" if a.families else ""
            f.write(f"  - id: t{t:02d}\n    title: Track {t}\n    kind: {kind}\n{family}    summary: {yaml_str(sentence(rng, 14))}\n")
        f.write("bands:\n")
        for b in range(a.levels):
            f.write(f"  - id: b{b + 1}\n    title: Band {b + 1}\n")
        f.write("areas:\n")
        for ar in range(a.areas):
            f.write(f"  - id: area-{ar}\n    title: Area {ar}\n    category: {cats[ar % len(cats)]}\n    summary: {yaml_str(sentence(rng, 12))}\n")
    level_ids = []
    for t in range(a.tracks):
        d = os.path.join(content, "levels", f"t{t:02d}")
        os.makedirs(d)
        for lv in range(a.levels):
            lid = f"t{t:02d}-l{lv + 1}"
            level_ids.append(lid)
            with open(os.path.join(d, lid + ".md"), "w") as f:
                f.write(f"---\ntitle: Level {lv + 1} of track {t}\nband: b{lv + 1}\nsummary: {yaml_str(sentence(rng, 16))}\n")
                f.write("attributes:\n  Scope: Team\n  Autonomy: High\n  Influence: Department\n---\n")
                for _ in range(3):
                    f.write(sentence(rng, 40) + "\n\n")
    per_behaviour = 700
    n_behaviours = max(1, round(a.kb * 1024 / per_behaviour))
    for c in range(a.competencies):
        area = c % a.areas
        d = os.path.join(content, "competencies", f"area-{area}")
        os.makedirs(d, exist_ok=True)
        own = level_ids
        scope = ""
        if 0 < a.tracks_per_competency < a.tracks:
            first = (c * a.tracks_per_competency) % a.tracks
            tracks = [(first + k) % a.tracks for k in range(a.tracks_per_competency)]
            own = [lid for lid in level_ids if int(lid[1:3]) in tracks]
            scope = "tracks: [" + ", ".join(f"t{t:02d}" for t in tracks) + "]\n"
        with open(os.path.join(d, f"comp-{c:02d}.md"), "w") as f:
            f.write(f"---\ntitle: Competency {c}\nsummary: {yaml_str(sentence(rng, 12))}\n{scope}behaviours:\n")
            for lid in own:
                f.write(f"  {lid}:\n")
                for i in range(n_behaviours):
                    text = sentence(rng, per_behaviour // 8)
                    if i == 0:
                        f.write(f"    - text: {yaml_str(text)}\n      examples:\n        - {yaml_str(sentence(rng, 12))}\n")
                    else:
                        f.write(f"    - {yaml_str(text)}\n")
            f.write("---\n")
            for _ in range(4):
                f.write(sentence(rng, 50) + "\n\n")
    os.makedirs(os.path.join(content, "pages"))
    with open(os.path.join(content, "pages", "about.md"), "w") as f:
        f.write("---\ntitle: About\n---\n" + sentence(rng, 60) + "\n")
    total = 0
    for root, _, files in os.walk(content):
        total += sum(os.path.getsize(os.path.join(root, x)) for x in files)
    print(f"wrote {a.out}: {a.tracks} tracks x {a.levels} levels, {a.competencies} competencies, {total / 1e6:.1f} MB of Markdown/YAML")


if __name__ == "__main__":
    main()
