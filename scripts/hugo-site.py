#!/usr/bin/env python3
"""Writes a Hugo site holding the same behaviour text as a rungs site, for the speed
comparison in scripts/bench-hugo.

    python3 scripts/hugo-site.py OUT/framework.json HUGO_SITE

Reads the framework.json of a rungs build. One Hugo page per competency at a level (the
behaviours as a Markdown list, with their examples), and the levels, competencies and
tracks as Hugo taxonomies, so Hugo renders a page per cell plus a list page per level,
competency and track: about as many pages as rungs' page-equivalents, with the same text
rendered once. The layouts are minimal (a base page with a header, the content, a list of
links), which favours Hugo.
"""
import json
import os
import shutil
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    fw = json.load(open(src))
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "content", "cells"))
    layouts = os.path.join(out, "layouts", "_default")
    os.makedirs(layouts)
    with open(os.path.join(out, "hugo.toml"), "w") as f:
        f.write('baseURL = "/"\ntitle = "Generated framework"\ndisableKinds = ["RSS"]\n')
        f.write('[taxonomies]\n  level = "levels"\n  competency = "competencies"\n  track = "tracks"\n')
    base = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
"""
    with open(os.path.join(layouts, "baseof.html"), "w") as f:
        f.write(base)
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}'
                '<p>{{ range .GetTerms "levels" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}'
                '{{ range .GetTerms "competencies" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>{{ end }}\n')
    with open(os.path.join(layouts, "list.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
                '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
    titles = {c["id"]: c["title"] for c in fw["competencies"]}
    n = 0
    for level in fw["levels"]:
        for exp in level["expectations"]:
            cid = exp["competency"]
            lines = []
            for b in exp["behaviours"]:
                lines.append("- " + b["text"].replace("\n", " "))
                for e in b.get("examples") or []:
                    lines.append("  - " + e.replace("\n", " "))
            if not lines:
                continue
            name = f"{cid}--{level['id']}"
            with open(os.path.join(out, "content", "cells", name + ".md"), "w") as f:
                f.write("---\n")
                f.write(json.dumps({"title": f"{titles[cid]} at {level['title']}"})[1:-1] + "\n")
                f.write(f"levels: [{json.dumps(level['title'])}]\n")
                f.write(f"competencies: [{json.dumps(titles[cid])}]\n")
                f.write(f"tracks: {json.dumps(level['tracks'])}\n---\n")
                f.write("\n".join(lines) + "\n")
            n += 1
    print(f"wrote {out}: {n} cell pages")


if __name__ == "__main__":
    main()
