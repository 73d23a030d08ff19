//! A [`Report`] as text for a terminal, Markdown for a pull-request comment, or JSON.

use std::fmt::Write as _;

use super::{BehaviourChange, Report};
use crate::config::Bump;

fn bump_line(r: &Report) -> String {
    match r.bump {
        None => "no new version needed".into(),
        Some(b) => {
            let version = match (&r.old_version, &r.suggested_version) {
                (Some(a), Some(b)) => format!(" ({a} → {b})"),
                _ => String::new(),
            };
            let why = r.reasons.first().map_or(String::new(), |x| {
                format!(": {} ({})", x.rule.replace('_', " "), x.example)
            });
            format!("{}{version}{why}", b.name())
        }
    }
}

/// Escapes text for Markdown (and the HTML GitHub allows in it).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn label(kind: &str) -> &'static str {
    match kind {
        "added" => "Added",
        "removed" => "Removed",
        "reworded" => "Reworded",
        "merged" => "Merged",
        "split" => "Split",
        "edited" => "Edited",
        "moved-in" => "Moved here",
        "moved-out" => "Moved away",
        _ => "Changed",
    }
}

fn md_behaviour(b: &BehaviourChange) -> String {
    let text = if !b.words.is_empty() {
        b.words
            .iter()
            .map(|(mark, t)| match *mark {
                "removed" => format!("~~{}~~", md(t.trim())),
                "added" => format!("**{}**", md(t.trim())),
                _ => md(t),
            })
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    } else if b.kind == "removed" || b.kind == "moved-out" {
        b.old.iter().map(|t| md(t)).collect::<Vec<_>>().join(" / ")
    } else {
        b.new.iter().map(|t| md(t)).collect::<Vec<_>>().join(" / ")
    };
    let elsewhere = match (&b.elsewhere, b.kind) {
        (Some(e), "moved-in") => format!(" (from {})", md(e)),
        (Some(e), _) => format!(" (to {})", md(e)),
        _ => String::new(),
    };
    format!("- **{}**{elsewhere}: {text}", label(b.kind))
}

/// The report as Markdown for a pull-request comment.
pub fn markdown(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "### What this change means for readers\n");
    let _ = writeln!(o, "{}\n", md(&r.summary));
    let line = bump_line(r);
    let (bump, why) = line.split_once(": ").unwrap_or((&line, ""));
    let _ = writeln!(
        o,
        "**Version bump: {}**{}\n",
        md(bump),
        if why.is_empty() {
            String::new()
        } else {
            format!(": {}", md(why))
        }
    );
    if !r.structure.is_empty() {
        let _ = writeln!(o, "#### Tracks, levels and competencies\n");
        for s in &r.structure {
            let _ = match s.change {
                "renamed" if s.old_title.as_deref() == Some(s.title.as_str()) => writeln!(
                    o,
                    "- {} **{}**: id `{}` → `{}` (its pages move)",
                    capital(s.what),
                    md(&s.title),
                    s.old_id.as_deref().unwrap_or(""),
                    s.id
                ),
                "renamed" => writeln!(
                    o,
                    "- {} **{}** renamed **{}**{}",
                    capital(s.what),
                    md(s.old_title.as_deref().unwrap_or("")),
                    md(&s.title),
                    if s.old_id.as_deref() != Some(s.id.as_str()) {
                        format!(" (`{}` → `{}`)", s.old_id.as_deref().unwrap_or(""), s.id)
                    } else {
                        String::new()
                    }
                ),
                c => writeln!(o, "- {} **{}** {c}", capital(s.what), md(&s.title)),
            };
        }
        o.push('\n');
    }
    for l in r.levels.iter().filter(|l| !l.added && !l.removed) {
        let tracks = if l.tracks.is_empty() {
            String::new()
        } else {
            format!(" · {}", md(&l.tracks.join(", ")))
        };
        let _ = writeln!(o, "#### {}{tracks}\n", md(&l.title));
        if l.text_changed {
            let _ = writeln!(o, "- The summary or narrative was edited.");
        }
        for a in &l.attributes {
            let show = |v: &Option<String>| v.as_deref().map_or("(none)".to_string(), md);
            let _ = writeln!(
                o,
                "- **{}**: {} → {}",
                md(&a.name),
                show(&a.old),
                show(&a.new)
            );
        }
        for (i, c) in l.cells.iter().enumerate() {
            let gap = if i > 0 || l.text_changed || !l.attributes.is_empty() {
                "\n"
            } else {
                ""
            };
            let _ = writeln!(o, "{gap}**{}**\n", md(&c.competency_title));
            if let Some((a, b)) = &c.step {
                let _ = writeln!(
                    o,
                    "- **Expected proficiency**: {} → {}",
                    md(a.as_deref().unwrap_or("none")),
                    md(b.as_deref().unwrap_or("none"))
                );
            }
            for b in &c.behaviours {
                let _ = writeln!(o, "{}", md_behaviour(b));
            }
        }
        o.push('\n');
    }
    if !r.competencies.is_empty() {
        let _ = writeln!(o, "#### Competencies\n");
        for c in &r.competencies {
            let mut what = Vec::new();
            if c.guidance_changed {
                what.push("guidance edited");
            }
            if c.descriptors_changed {
                what.push("proficiency descriptors changed");
            }
            if c.tracks_changed {
                what.push("applies to other tracks");
            }
            let _ = writeln!(o, "- **{}**: {}", md(&c.title), what.join("; "));
        }
        o.push('\n');
    }
    if !r.reasons.is_empty() {
        let _ = writeln!(o, "<details><summary>Why this bump</summary>\n");
        let _ = writeln!(
            o,
            "| change | bump | count | for example |\n|---|---|---|---|"
        );
        for x in &r.reasons {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                x.rule.replace('_', " "),
                x.bump.name(),
                x.count,
                md(&x.example)
            );
        }
        let _ = writeln!(
            o,
            "\nThe rule is the `[versioning]` table of site.toml.\n</details>\n"
        );
    }
    let _ = writeln!(
        o,
        "<sub>{} → {}, by `rungs diff`.</sub>",
        md(&r.old_label),
        md(&r.new_label)
    );
    o
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// The report as plain text for a terminal: `[-removed-]{+added+}` marks words, as
/// `git diff --word-diff` does.
pub fn text(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} → {}", r.old_label, r.new_label);
    let _ = writeln!(o, "{}", r.summary);
    let _ = writeln!(o, "Version bump: {}", bump_line(r));
    for s in &r.structure {
        let _ = match s.change {
            "renamed" => writeln!(
                o,
                "  {} renamed: {} → {}",
                s.what,
                s.old_title.as_deref().unwrap_or(""),
                s.title
            ),
            c => writeln!(o, "  {} {c}: {}", s.what, s.title),
        };
    }
    for l in r.levels.iter().filter(|l| !l.added && !l.removed) {
        let _ = writeln!(o, "\n{} ({})", l.title, l.tracks.join(", "));
        if l.text_changed {
            let _ = writeln!(o, "  summary or narrative edited");
        }
        for a in &l.attributes {
            let _ = writeln!(
                o,
                "  {}: {} → {}",
                a.name,
                a.old.as_deref().unwrap_or("(none)"),
                a.new.as_deref().unwrap_or("(none)")
            );
        }
        for c in &l.cells {
            let _ = writeln!(o, "  {}", c.competency_title);
            if let Some((a, b)) = &c.step {
                let _ = writeln!(
                    o,
                    "    ~ expected proficiency: {} → {}",
                    a.as_deref().unwrap_or("none"),
                    b.as_deref().unwrap_or("none")
                );
            }
            for b in &c.behaviours {
                let sign = match b.kind {
                    "added" | "moved-in" => '+',
                    "removed" | "moved-out" => '-',
                    _ => '~',
                };
                let body = if b.words.is_empty() {
                    if sign == '-' {
                        b.old.join(" / ")
                    } else {
                        b.new.join(" / ")
                    }
                } else {
                    b.words
                        .iter()
                        .map(|(m, t)| match *m {
                            "removed" => format!("[-{}-]", t.trim()),
                            "added" => format!("{{+{}+}}", t.trim()),
                            _ => t.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let whence = b.elsewhere.as_deref().map_or(String::new(), |e| {
                    format!(" ({} {e})", if sign == '+' { "from" } else { "to" })
                });
                let _ = writeln!(
                    o,
                    "    {sign} {}{whence}: {body}",
                    label(b.kind).to_lowercase()
                );
            }
        }
    }
    for c in &r.competencies {
        let _ = writeln!(o, "\n{}: guidance, descriptors or tracks changed", c.title);
    }
    o
}

/// The report as JSON.
pub fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

/// Whether the report's bump is at least `at`.
pub fn at_least(r: &Report, at: Bump) -> bool {
    r.bump.is_some_and(|b| b >= at)
}
