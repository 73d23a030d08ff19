//! The neutral table made into a rungs site: ids from titles, bands inferred or read,
//! areas and their order, scales from a `proficiency` column, a shared core and
//! `based_on` tracks from rungs' own `origin` column, every guess written down.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::table::{Kind, Place, Table};
use super::text::{self, Ids};
use crate::diagnostics::Diagnostic;
use crate::parse::competency_text_slug as text_slug;
use crate::parse::schema::{MAX_TITLE_CHARS, check_slug};

/// A list of pairs written as a YAML mapping, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<V> Ordered<V> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A behaviour as written in a competency file: a string, or `{text, examples, id}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum BehaviourOut {
    Text(String),
    Full {
        text: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        examples: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
    },
}

impl BehaviourOut {
    fn new(text: String, examples: Vec<String>, id: Option<String>) -> Self {
        if examples.is_empty() && id.is_none() {
            BehaviourOut::Text(text)
        } else {
            BehaviourOut::Full { text, examples, id }
        }
    }
}

/// A level's entry under a competency's `behaviours`: a list, or changes to what it
/// inherits.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum EntryOut {
    List(Vec<BehaviourOut>),
    Changes {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        add: Vec<BehaviourOut>,
        #[serde(skip_serializing_if = "Ordered::is_empty")]
        replace: Ordered<BehaviourOut>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        remove: Vec<String>,
    },
}

#[derive(Debug, Serialize)]
pub(crate) struct FamilyOut {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct TrackOut {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct BandOut {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct AreaOut {
    pub id: String,
    pub title: String,
    pub category: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct StepOut {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ScaleOut {
    pub id: String,
    pub title: String,
    pub steps: Vec<StepOut>,
}

/// A level file's front matter.
#[derive(Debug, Serialize)]
pub(crate) struct LevelFront {
    pub title: String,
    pub band: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    pub attributes: Ordered<String>,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    pub expects: Ordered<String>,
}

#[derive(Debug)]
pub(crate) struct LevelOut {
    pub id: String,
    /// The track folder it is written in.
    pub track: String,
    pub front: LevelFront,
    pub body: String,
}

/// A competency file's front matter.
#[derive(Debug, Serialize)]
pub(crate) struct CompetencyFront {
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracks: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    pub proficiency: Ordered<Vec<BehaviourOut>>,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    pub core: Ordered<Vec<BehaviourOut>>,
    #[serde(skip_serializing_if = "Ordered::is_empty")]
    pub behaviours: Ordered<EntryOut>,
}

#[derive(Debug)]
pub(crate) struct CompetencyOut {
    pub id: String,
    pub area: String,
    pub front: CompetencyFront,
}

#[derive(Debug)]
pub(crate) struct PageOut {
    pub slug: String,
    pub title: String,
    pub body: String,
}

/// The site to write.
#[derive(Debug, Default)]
pub(crate) struct Site {
    pub title: String,
    pub intro: Option<String>,
    pub families: Vec<FamilyOut>,
    pub tracks: Vec<TrackOut>,
    pub bands: Vec<BandOut>,
    /// How the bands were found, for the comment above them.
    pub bands_note: String,
    pub areas: Vec<AreaOut>,
    pub scales: Vec<ScaleOut>,
    pub levels: Vec<LevelOut>,
    pub competencies: Vec<CompetencyOut>,
    pub pages: Vec<PageOut>,
    /// Everything guessed, in the order it was decided.
    pub guesses: Vec<String>,
    pub behaviours: usize,
}

/// A level of the site while it is worked out.
struct LevelX {
    id: String,
    title: String,
    /// Tracks, by index into `table.tracks`, the first one being its folder.
    tracks: Vec<usize>,
    /// `(track, index in the track's levels)` it was read as.
    read_as: Vec<(usize, usize)>,
    band: usize,
    place: Place,
}

/// One behaviour of a cell, as read, with what the export said about it.
#[derive(Debug, Clone)]
struct B {
    text: String,
    examples: Vec<String>,
    anchor: Option<String>,
    id: Option<String>,
    origin: Option<String>,
    place: Place,
}

impl B {
    fn out(&self) -> BehaviourOut {
        BehaviourOut::new(self.text.clone(), self.examples.clone(), self.id.clone())
    }
}

/// Merges several orders of the same items into one that respects each (a topological
/// order, ties by first appearance). `false` when they contradict each other (then the
/// first appearance order is used).
fn merge_orders<K: Clone + Ord>(seqs: &[Vec<K>]) -> (Vec<K>, bool) {
    merge_orders_by(seqs, |_| ())
}

/// [`merge_orders`], ties broken by `key` first (then by first appearance).
fn merge_orders_by<K: Clone + Ord, P: Ord>(
    seqs: &[Vec<K>],
    key: impl Fn(&K) -> P,
) -> (Vec<K>, bool) {
    let mut first: BTreeMap<K, usize> = BTreeMap::new();
    let mut n = 0;
    for s in seqs {
        for k in s {
            first.entry(k.clone()).or_insert_with(|| {
                n += 1;
                n
            });
        }
    }
    let mut after: BTreeMap<K, BTreeSet<K>> = BTreeMap::new();
    let mut indegree: BTreeMap<K, usize> = first.keys().map(|k| (k.clone(), 0)).collect();
    for s in seqs {
        for w in s.windows(2) {
            if w[0] != w[1] && after.entry(w[0].clone()).or_default().insert(w[1].clone()) {
                *indegree.entry(w[1].clone()).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    let mut ready: BTreeSet<(P, usize, K)> = indegree
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(k, _)| (key(k), first[k], k.clone()))
        .collect();
    while let Some((_, _, k)) = ready.pop_first() {
        out.push(k.clone());
        for next in after.get(&k).into_iter().flatten() {
            let d = indegree.get_mut(next).expect("known");
            *d -= 1;
            if *d == 0 {
                ready.insert((key(next), first[next], next.clone()));
            }
        }
    }
    if out.len() == first.len() {
        (out, true)
    } else {
        let mut by_first: Vec<(P, usize, K)> =
            first.into_iter().map(|(k, i)| (key(&k), i, k)).collect();
        by_first.sort();
        (by_first.into_iter().map(|(_, _, k)| k).collect(), false)
    }
}

/// Whether `anchor` is `expected`, or `expected` with the `-2`, `-3` … rungs adds when
/// two behaviours open with the same words.
fn anchor_is(anchor: &str, expected: &str) -> bool {
    anchor == expected
        || anchor
            .strip_prefix(expected)
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Everything decided about a table.
pub(crate) fn build(table: Table, file_title: &str, diags: &mut Vec<Diagnostic>) -> Site {
    let mut site = Site {
        guesses: table.notes.clone(),
        behaviours: table.rows.len(),
        ..Site::default()
    };
    let markdown = table.markdown;
    // Spreadsheet cells are plain text; Markdown that shows them as written.
    let md = |s: &str| {
        if markdown {
            s.to_string()
        } else {
            text::markdown_for_plain(s)
        }
    };
    check_titles(&table, diags);

    // Families and tracks.
    let mut family_ids = Ids::default();
    let mut families: Vec<(String, String)> = Vec::new();
    let any_family = table.tracks.iter().any(|t| t.family.is_some());
    let mut track_ids = Ids::default();
    let mut track_id = Vec::new();
    for t in &table.tracks {
        let id = track_ids.unique(&[&track_slug(&t.title)], "track");
        let kind = match &t.kind {
            Some((k, why)) => {
                site.guesses.push(format!(
                    "track \"{}\": kind {} ({why})",
                    t.title,
                    kind_name(*k)
                ));
                *k
            }
            None => {
                let levels = &t.levels;
                let managing = levels
                    .iter()
                    .filter(|l| text::sounds_like_management(&l.title))
                    .count();
                if text::sounds_like_management(&t.title) {
                    site.guesses.push(format!(
                        "track \"{}\": kind manager (its title names management)",
                        t.title
                    ));
                    Kind::Manager
                } else if managing * 2 > levels.len() {
                    site.guesses.push(format!(
                        "track \"{}\": kind manager ({managing} of its {} levels are named like managers)",
                        t.title,
                        levels.len()
                    ));
                    Kind::Manager
                } else {
                    site.guesses.push(format!(
                        "track \"{}\": kind expert (nothing in it names management)",
                        t.title
                    ));
                    Kind::Expert
                }
            }
        };
        let family = if any_family {
            let title = t.family.clone().unwrap_or_else(|| {
                site.guesses.push(format!(
                    "track \"{}\" names no job family: put in a family of its own",
                    t.title
                ));
                t.title.clone()
            });
            let id = match families.iter().find(|(_, ft)| *ft == title) {
                Some((id, _)) => id.clone(),
                None => {
                    let id = family_ids.unique(&[&text::slug(&title)], "family");
                    families.push((id.clone(), title));
                    id
                }
            };
            Some(id)
        } else {
            None
        };
        site.tracks.push(TrackOut {
            id: id.clone(),
            title: t.title.clone(),
            kind: kind_name(kind),
            family,
            based_on: None,
            summary: t.summary.clone(),
        });
        track_id.push(id);
    }
    site.families = families
        .into_iter()
        .map(|(id, title)| FamilyOut { id, title })
        .collect();

    // Levels: one per (track, level) read, except that an id read on several tracks is
    // one level on all of them (a shared trunk).
    let mut levels: Vec<LevelX> = Vec::new();
    let mut level_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut level_ids = Ids::default();
    let mut by_given_id: HashMap<String, usize> = HashMap::new();
    for (t, tr) in table.tracks.iter().enumerate() {
        for (li, l) in tr.levels.iter().enumerate() {
            if let Some((id, place)) = &l.id {
                if let Err(why) = check_slug(id) {
                    diags.push(
                        place
                            .error(format!("level id \"{id}\" is not a valid id: {why}"))
                            .with_help(crate::parse::schema::SLUG_HELP),
                    );
                    continue;
                }
                if let Some(&x) = by_given_id.get(id) {
                    if levels[x].title != l.title {
                        diags.push(place.error(format!(
                            "level id `{id}` is also used by level \"{}\" ({}), with another title",
                            levels[x].title,
                            levels[x].place.short()
                        )).with_help("a level on several tracks has one title; give the two levels different ids"));
                        continue;
                    }
                    levels[x].tracks.push(t);
                    levels[x].read_as.push((t, li));
                    level_of.insert((t, li), x);
                    continue;
                }
                level_ids.claim(id);
                by_given_id.insert(id.clone(), levels.len());
                level_of.insert((t, li), levels.len());
                levels.push(LevelX {
                    id: id.clone(),
                    title: l.title.clone(),
                    tracks: vec![t],
                    read_as: vec![(t, li)],
                    band: 0,
                    place: l.place.clone(),
                });
            }
        }
    }
    for (t, tr) in table.tracks.iter().enumerate() {
        for (li, l) in tr.levels.iter().enumerate() {
            if l.id.is_some() {
                continue;
            }
            let base = text::slug(&l.title);
            let prefixed = if base.is_empty() {
                String::new()
            } else {
                format!("{}-{base}", track_id[t])
            };
            let id = level_ids.unique(&[&base, &prefixed], &format!("{}-level", track_id[t]));
            level_of.insert((t, li), levels.len());
            levels.push(LevelX {
                id,
                title: l.title.clone(),
                tracks: vec![t],
                read_as: vec![(t, li)],
                band: 0,
                place: l.place.clone(),
            });
        }
    }
    // Ladder order of each track, as level indices.
    let ladders: Vec<Vec<usize>> = table
        .tracks
        .iter()
        .enumerate()
        .map(|(t, tr)| {
            (0..tr.levels.len())
                .filter_map(|li| level_of.get(&(t, li)).copied())
                .collect()
        })
        .collect();

    bands(&table, &mut levels, &ladders, &level_of, &mut site, diags);

    // Rows by level and competency.
    let mut comp_key_of_row: Vec<Option<usize>> = Vec::with_capacity(table.rows.len());
    struct CompX {
        title: String,
        area: Option<String>,
        given_id: Option<String>,
        summary: String,
        place: Place,
    }
    let mut comps: Vec<CompX> = Vec::new();
    let mut comp_by_key: HashMap<String, usize> = HashMap::new();
    for r in &table.rows {
        let key = match &r.competency_id {
            Some((id, _)) => format!("id:{id}"),
            None => format!(
                "t:{}\u{0}{}",
                r.area.as_deref().unwrap_or_default(),
                r.competency
            ),
        };
        let c = match comp_by_key.get(&key) {
            Some(&c) => {
                if comps[c].title != r.competency {
                    diags.push(r.place.error(format!(
                        "competency id `{}` is also used by competency \"{}\" ({}), with another title",
                        comps[c].given_id.as_deref().unwrap_or_default(),
                        comps[c].title,
                        comps[c].place.short()
                    )));
                    comp_key_of_row.push(None);
                    continue;
                }
                c
            }
            None => {
                if let Some((id, place)) = &r.competency_id
                    && let Err(why) = check_slug(id)
                {
                    diags.push(
                        place
                            .error(format!("competency id \"{id}\" is not a valid id: {why}"))
                            .with_help(crate::parse::schema::SLUG_HELP),
                    );
                    comp_key_of_row.push(None);
                    continue;
                }
                comps.push(CompX {
                    title: r.competency.clone(),
                    area: r.area.clone(),
                    given_id: r.competency_id.as_ref().map(|(id, _)| id.clone()),
                    summary: r.competency_summary.clone().unwrap_or_default(),
                    place: r.place.clone(),
                });
                comp_by_key.insert(key, comps.len() - 1);
                comps.len() - 1
            }
        };
        if comps[c].summary.is_empty()
            && let Some(s) = &r.competency_summary
        {
            comps[c].summary = s.clone();
        }
        comp_key_of_row.push(Some(c));
    }

    // Areas: as read, or (without any) one per competency, named like it.
    let flat = table.rows.iter().all(|r| r.area.is_none());
    if flat && !comps.is_empty() {
        site.guesses.push(
            "the source names no areas: each competency is an area of its own, with the same title"
                .into(),
        );
    }
    let area_title = |c: &CompX| c.area.clone().unwrap_or_else(|| c.title.clone());
    // Orders, as each level lists them.
    let mut area_seqs: Vec<Vec<String>> = Vec::new();
    let mut comp_seqs: BTreeMap<String, Vec<Vec<usize>>> = BTreeMap::new();
    {
        let mut by_level: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (r, c) in table.rows.iter().zip(&comp_key_of_row) {
            if let Some(c) = c {
                let seq = by_level.entry((r.track, r.level)).or_default();
                if seq.last() != Some(c) {
                    seq.push(*c);
                }
            }
        }
        for seq in by_level.values() {
            let mut areas: Vec<String> = seq.iter().map(|&c| area_title(&comps[c])).collect();
            areas.dedup();
            area_seqs.push(areas);
            let mut per_area: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for &c in seq {
                per_area.entry(area_title(&comps[c])).or_default().push(c);
            }
            for (a, s) in per_area {
                comp_seqs.entry(a).or_default().push(s);
            }
        }
    }
    // Ties (and contradictions) go by where each area first appears in the source.
    let mut area_first: HashMap<String, usize> = HashMap::new();
    for (i, c) in comp_key_of_row.iter().enumerate() {
        if let Some(c) = c {
            area_first.entry(area_title(&comps[*c])).or_insert(i);
        }
    }
    let (area_order, consistent) = merge_orders_by(&area_seqs, |a| area_first.get(a).copied());
    if !consistent {
        site.guesses.push(
            "levels list the areas in different orders: areas are in the order the source first names them"
                .into(),
        );
    }
    let mut area_ids = Ids::default();
    let mut area_id_of: HashMap<String, String> = HashMap::new();
    for a in &area_order {
        let id = area_ids.unique(&[&text::slug(a)], "area");
        let category = text::guess_category(a);
        site.guesses.push(format!(
            "area \"{a}\": category {category} (from its title)"
        ));
        area_id_of.insert(a.clone(), id.clone());
        site.areas.push(AreaOut {
            id,
            title: a.clone(),
            category,
        });
    }
    // Competency ids (given ones first) and order within areas.
    let mut comp_ids = Ids::default();
    let mut comp_id: Vec<String> = vec![String::new(); comps.len()];
    for (c, x) in comps.iter().enumerate() {
        if let Some(id) = &x.given_id {
            comp_ids.claim(id);
            comp_id[c] = id.clone();
        }
    }
    for (c, x) in comps.iter().enumerate() {
        if x.given_id.is_none() {
            let base = text::slug(&x.title);
            let area_prefixed = format!("{}-{base}", area_id_of[&area_title(x)]);
            comp_id[c] = comp_ids.unique(&[&base, &area_prefixed], "competency");
        }
    }
    let mut comp_order: Vec<Option<i64>> = vec![None; comps.len()];
    let mut comp_sorted: Vec<usize> = Vec::new();
    for a in &area_order {
        // Where levels do not say, the order rungs gives by default (by title), so that
        // `order:` is only written where the source's order differs from it.
        let (order, _) = merge_orders_by(comp_seqs.get(a).map_or(&[][..], Vec::as_slice), |&c| {
            (comps[c].title.clone(), comp_id[c].clone())
        });
        let mut by_title = order.clone();
        by_title
            .sort_by(|&x, &y| (&comps[x].title, &comp_id[x]).cmp(&(&comps[y].title, &comp_id[y])));
        if by_title != order {
            for (k, &c) in order.iter().enumerate() {
                comp_order[c] = Some(k as i64 + 1);
            }
        }
        comp_sorted.extend(order);
    }

    // Cells: behaviours of each (competency, level), from the first track the level was
    // read on; another track's copy of a shared level must say the same.
    // (competency, level) -> its behaviours, each with the step its row names.
    type Cells = BTreeMap<(usize, usize), Vec<(B, Option<String>)>>;
    let mut cells: Cells = BTreeMap::new();
    let mut copies: BTreeMap<(usize, usize, usize), Vec<String>> = BTreeMap::new();
    // Each cell's behaviours by their text, to find a repeated row in one lookup.
    let mut seen: HashMap<(usize, usize), HashMap<String, usize>> = HashMap::new();
    for (r, c) in table.rows.iter().zip(&comp_key_of_row) {
        let Some(c) = *c else { continue };
        let Some(&l) = level_of.get(&(r.track, r.level)) else {
            continue;
        };
        let b = B {
            text: md(&r.text),
            examples: r.examples.iter().map(|e| md(e)).collect(),
            anchor: r.anchor.clone(),
            id: None,
            origin: r.origin.clone(),
            place: r.place.clone(),
        };
        if levels[l].read_as[0] == (r.track, r.level) {
            let cell = cells.entry((c, l)).or_default();
            // A row copied twice (a spreadsheet's usual accident) is imported once:
            // the site's check refuses the same behaviour twice in a cell (the same
            // text up to spacing; "C++" and "C#" are different behaviours).
            let firsts = seen.entry((c, l)).or_default();
            let key = crate::parse::repeat_key(&b.text);
            if let Some(first) = firsts.get(&key).map(|&i| &cell[i].0) {
                diags.push(b.place.warning(format!(
                    "this behaviour of \"{}\" at \"{}\" repeats the one at {}; it is imported once",
                    comps[c].title,
                    levels[l].title,
                    first.place.short()
                )).with_help("delete one of the two rows, or reword the one that means something else"));
                site.behaviours -= 1;
                continue;
            }
            firsts.insert(key, cell.len());
            cell.push((b, r.proficiency.clone()));
        } else {
            copies.entry((c, l, r.track)).or_default().push(b.text);
        }
    }
    for ((c, l, t), texts) in &copies {
        let first: Vec<&String> = cells
            .get(&(*c, *l))
            .map(|v| v.iter().map(|(b, _)| &b.text).collect())
            .unwrap_or_default();
        if first.len() != texts.len() || first.iter().zip(texts).any(|(a, b)| *a != b) {
            let place = table
                .rows
                .iter()
                .find(|r| r.track == *t && level_of.get(&(r.track, r.level)) == Some(l))
                .map(|r| r.place.clone())
                .unwrap_or_else(|| levels[*l].place.clone());
            diags.push(place.error(format!(
                "level `{}` is on tracks \"{}\" and \"{}\", but its behaviours of competency \"{}\" differ between them",
                levels[*l].id, table.tracks[levels[*l].tracks[0]].title, table.tracks[*t].title, comps[*c].title
            )).with_help("a level shared by tracks has one set of behaviours; give the level another level_id on one of the tracks"));
        }
    }
    for ((c, l), list) in &cells {
        if list.len() > crate::parse::MAX_BEHAVIOURS_PER_CELL {
            diags.push(list[crate::parse::MAX_BEHAVIOURS_PER_CELL].0.place.error(format!(
                "level \"{}\" has {} behaviours of competency \"{}\"; rungs holds at most {} per level and competency",
                levels[*l].title,
                list.len(),
                comps[*c].title,
                crate::parse::MAX_BEHAVIOURS_PER_CELL
            )).with_help("split the competency, or move detail into examples"));
        }
    }

    // Behaviour ids and descriptors, from the export's anchors.
    let mut plain_cells: BTreeMap<(usize, usize), Vec<B>> = BTreeMap::new();
    let mut descriptors: BTreeMap<(usize, usize), Vec<B>> = BTreeMap::new();
    let mut steps_of: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for ((c, l), list) in cells {
        let cid = &comp_id[c];
        let step = list.iter().find_map(|(_, p)| p.clone());
        if let Some(s) = &step {
            steps_of.insert((c, l), s.clone());
        }
        let step_slug = step.as_deref().map(text::slug);
        let mut in_descriptors = false;
        for (mut b, _) in list {
            let slug = text_slug(&crate::markdown::plain_text(&b.text));
            let own = format!("{cid}-{slug}");
            if let (Some(anchor), Some(step_slug)) = (&b.anchor, &step_slug) {
                let step_prefix = format!("{cid}-{step_slug}-");
                if in_descriptors || anchor.starts_with(&step_prefix) && !anchor_is(anchor, &own) {
                    in_descriptors = true;
                    let rest = &anchor[step_prefix.len().min(anchor.len())..];
                    if !anchor_is(rest, &slug)
                        && check_slug(rest).is_ok()
                        && anchor.starts_with(&step_prefix)
                    {
                        b.id = Some(rest.to_string());
                    }
                    descriptors.entry((c, l)).or_default().push(b);
                    continue;
                }
            }
            if let Some(anchor) = &b.anchor
                && !anchor_is(anchor, &own)
                && let Some(rest) = anchor.strip_prefix(&format!("{cid}-"))
                && check_slug(rest).is_ok()
            {
                b.id = Some(rest.to_string());
            }
            plain_cells.entry((c, l)).or_default().push(b);
        }
    }

    let scales = scales(
        &comps.iter().map(|c| c.title.clone()).collect::<Vec<_>>(),
        &comp_sorted,
        &steps_of,
        &ladders,
        &mut site,
    );

    // Inheritance, from the export's origins.
    let level_index: HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    // A competency applies to the tracks it has behaviours on: those of its levels on one
    // track, then, for a level shared by tracks none of which is in yet, the first.
    let comp_tracks: Vec<BTreeSet<usize>> = (0..comps.len())
        .map(|c| {
            let with_rows: BTreeSet<usize> = plain_cells
                .keys()
                .chain(descriptors.keys())
                .chain(steps_of.keys())
                .filter(|(cc, _)| *cc == c)
                .map(|(_, l)| *l)
                .collect();
            let mut tracks: BTreeSet<usize> = with_rows
                .iter()
                .filter(|&&l| levels[l].tracks.len() == 1)
                .map(|&l| levels[l].tracks[0])
                .collect();
            for &l in &with_rows {
                if !levels[l].tracks.iter().any(|t| tracks.contains(t)) {
                    tracks.insert(levels[l].tracks[0]);
                }
            }
            tracks
        })
        .collect();
    let inherit = Inheritance::plan(
        &table,
        &levels,
        &ladders,
        &level_index,
        &plain_cells,
        &comp_tracks,
        &mut site,
    );

    // Competencies out.
    let all_tracks = table.tracks.len();
    for &c in &comp_sorted {
        let x = &comps[c];
        let tracks = (comp_tracks[c].len() < all_tracks && !comp_tracks[c].is_empty()).then(|| {
            comp_tracks[c]
                .iter()
                .map(|&t| track_id[t].clone())
                .collect::<Vec<_>>()
        });
        let mut behaviours = Ordered::default();
        let mut core = Ordered::default();
        for (&(cc, band), list) in &inherit.core {
            if cc == c {
                core.0.push((
                    site.bands[band].id.clone(),
                    list.iter().map(B::out).collect(),
                ));
            }
        }
        // Level order: the ladder order of each track, levels once.
        let mut seen = BTreeSet::new();
        for &l in ladders.iter().flatten() {
            if !seen.insert(l) {
                continue;
            }
            if let Some(entry) = inherit.entries.get(&(c, l)) {
                behaviours.0.push((levels[l].id.clone(), entry.clone()));
            }
        }
        let (scale, proficiency) = match scales.of_comp.get(&c) {
            Some(&s) => {
                let mut prof = Ordered::default();
                for step in &scales.scales[s].steps {
                    // The descriptors of a step, from the first level that expects it.
                    let found = seen.iter().find_map(|&l| {
                        (steps_of.get(&(c, l)).map(|t| text::slug(t)) == Some(step.id.clone()))
                            .then(|| descriptors.get(&(c, l)))
                            .flatten()
                    });
                    if let Some(list) = found {
                        prof.0
                            .push((step.id.clone(), list.iter().map(B::out).collect()));
                    }
                }
                (Some(scales.scales[s].id.clone()), prof)
            }
            None => (None, Ordered::default()),
        };
        site.competencies.push(CompetencyOut {
            id: comp_id[c].clone(),
            area: area_id_of[&area_title(x)].clone(),
            front: CompetencyFront {
                title: x.title.clone(),
                summary: x.summary.clone(),
                tracks,
                order: comp_order[c],
                scale,
                proficiency,
                core,
                behaviours,
            },
        });
    }
    for (t, based) in inherit.based_on.iter().enumerate() {
        site.tracks[t].based_on = based.map(|b| track_id[b].clone());
    }

    // Levels out, in ladder order.
    let mut written = BTreeSet::new();
    for &l in ladders.iter().flatten() {
        if !written.insert(l) {
            continue;
        }
        let x = &levels[l];
        let (t0, li0) = x.read_as[0];
        let read = &table.tracks[t0].levels[li0];
        let mut expects = Ordered::default();
        for &c in &comp_sorted {
            if let (Some(step), Some(&s)) = (steps_of.get(&(c, l)), scales.of_comp.get(&c)) {
                let id = scales.scales[s]
                    .steps
                    .iter()
                    .find(|st| st.title == *step)
                    .map(|st| st.id.clone())
                    .unwrap_or_else(|| text::slug(step));
                expects.0.push((comp_id[c].clone(), id));
            }
        }
        let order = {
            let same_band: Vec<usize> = ladders[x.tracks[0]]
                .iter()
                .copied()
                .filter(|&o| levels[o].band == x.band)
                .collect();
            (same_band.len() > 1)
                .then(|| same_band.iter().position(|&o| o == l).unwrap_or(0) as i64 + 1)
        };
        site.levels.push(LevelOut {
            id: x.id.clone(),
            track: track_id[x.tracks[0]].clone(),
            front: LevelFront {
                title: x.title.clone(),
                band: site.bands[x.band].id.clone(),
                tracks: if x.tracks.len() > 1 {
                    x.tracks.iter().map(|&t| track_id[t].clone()).collect()
                } else {
                    Vec::new()
                },
                order,
                summary: read.summary.clone(),
                attributes: Ordered(read.attributes.clone()),
                expects,
            },
            body: read.body.clone(),
        });
    }
    site.scales = scales.scales;

    // Pages and the home page.
    let mut page_ids = Ids::default();
    for r in crate::assemble::RESERVED_SLUGS {
        page_ids.claim(r);
    }
    for p in &table.pages {
        let slug = page_ids.unique(&[&text::slug(&p.title)], "page");
        site.pages.push(PageOut {
            slug,
            title: p.title.clone(),
            body: p.body.clone(),
        });
    }
    site.title = table
        .title
        .clone()
        .unwrap_or_else(|| file_title.to_string());
    if !table.intro.is_empty() {
        // Links to a level's heading (`[Senior](#senior-engineer)`, a table of contents)
        // go to its page.
        let mut intro = table.intro.join("\n\n");
        let mut read: Vec<(&(usize, usize), &usize)> = level_of.iter().collect();
        read.sort();
        for (&(t, li), &l) in read {
            if let Some(anchor) = &table.tracks[t].levels[li].anchor
                && !anchor.is_empty()
            {
                intro = intro.replace(
                    &format!("](#{anchor})"),
                    &format!("](levels/{}/)", levels[l].id),
                );
            }
        }
        site.intro = Some(intro);
    }
    site
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Expert => "expert",
        Kind::Manager => "manager",
    }
}

/// A track's id: an abbreviation it ends with (`Software Engineer (SWE)` → `swe`), or
/// its title without a closing `track`/`ladder` (`Expert track` → `expert`).
fn track_slug(title: &str) -> String {
    if let Some(open) = title.rfind('(')
        && let Some(abbr) = title[open + 1..].strip_suffix(')')
        && (2..=6).contains(&abbr.len())
        && abbr
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return abbr.to_ascii_lowercase();
    }
    let mut words: Vec<&str> = title.split_whitespace().collect();
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| matches!(w.to_lowercase().as_str(), "track" | "ladder" | "path"))
    {
        words.pop();
    }
    text::slug(&words.join(" "))
}

/// A band's id: `Band 3` → `b3`, `Level 1` → `l1` (a word and a number, shortened the
/// way ladders write them); otherwise the slug of its title.
fn band_slug(title: &str) -> String {
    let words: Vec<&str> = title.split_whitespace().collect();
    if let [word, number] = words.as_slice()
        && word.chars().all(char::is_alphabetic)
        && number.chars().all(|c| c.is_ascii_digit())
        && let Some(first) = word.chars().next().filter(char::is_ascii_alphabetic)
    {
        return format!("{}{number}", first.to_ascii_lowercase());
    }
    text::slug(title)
}

/// Titles over rungs' limit are errors where they were read.
fn check_titles(table: &Table, diags: &mut Vec<Diagnostic>) {
    let mut check = |title: &str, what: &str, place: &Place| {
        let n = title.chars().count();
        if n > MAX_TITLE_CHARS {
            diags.push(
                place
                    .error(format!("this {what}'s title is {n} characters long; rungs takes titles of at most {MAX_TITLE_CHARS}"))
                    .with_help("shorten it in the source; the detail belongs in a behaviour or a summary"),
            );
        }
    };
    for t in &table.tracks {
        check(&t.title, "track", &t.place);
        for l in &t.levels {
            check(&l.title, "level", &l.place);
            if let Some((b, p)) = &l.band {
                check(b, "band", p);
            }
        }
    }
    let mut seen = BTreeSet::new();
    for r in &table.rows {
        if seen.insert((r.area.clone(), r.competency.clone())) {
            check(&r.competency, "competency", &r.place);
            if let Some(a) = &r.area {
                check(a, "area", &r.place);
            }
        }
    }
}

/// Bands: read from the source, or inferred from the levels' numbers or positions.
fn bands(
    table: &Table,
    levels: &mut [LevelX],
    ladders: &[Vec<usize>],
    level_of: &HashMap<(usize, usize), usize>,
    site: &mut Site,
    diags: &mut Vec<Diagnostic>,
) {
    let read = |l: &LevelX| {
        let (t, li) = l.read_as[0];
        &table.tracks[t].levels[li]
    };
    let named = levels.iter().filter(|l| read(l).band.is_some()).count();
    let mut ids = Ids::default();
    if named > 0 {
        for l in levels.iter().filter(|l| read(l).band.is_none()) {
            diags.push(
                l.place
                    .error(format!(
                        "level \"{}\" has no band, while other levels name theirs",
                        l.title
                    ))
                    .with_help(
                        "name the band of every level, or of none (the importer then infers them)",
                    ),
            );
        }
        let seqs: Vec<Vec<String>> = ladders
            .iter()
            .map(|ladder| {
                let mut s: Vec<String> = ladder
                    .iter()
                    .filter_map(|&l| read(&levels[l]).band.as_ref().map(|(b, _)| b.clone()))
                    .collect();
                s.dedup();
                s
            })
            .collect();
        let (order, consistent) = merge_orders(&seqs);
        if !consistent {
            site.guesses.push("tracks climb the bands in different orders: bands are in the order they first appear".into());
        }
        for title in &order {
            site.bands.push(BandOut {
                id: ids.unique(&[&band_slug(title)], "band"),
                title: title.clone(),
            });
        }
        for l in levels.iter_mut() {
            if let Some((b, _)) = &read(l).band {
                l.band = order.iter().position(|o| o == b).unwrap_or(0);
            }
        }
        site.bands_note = "Bands as the source names them, lowest first.".into();
        return;
    }
    let _ = level_of;
    // Numbers, when every level of every track has one and they climb.
    let numbers: Option<Vec<Vec<u32>>> = ladders
        .iter()
        .map(|ladder| {
            let ns: Option<Vec<u32>> = ladder.iter().map(|&l| read(&levels[l]).number).collect();
            ns.filter(|ns| ns.windows(2).all(|w| w[0] < w[1]))
        })
        .collect();
    let by_number = numbers.filter(|n| !n.is_empty() && n.iter().any(|v| !v.is_empty()));
    let mut band_of_level: BTreeMap<usize, u32> = BTreeMap::new();
    match &by_number {
        Some(numbers) => {
            for (ladder, ns) in ladders.iter().zip(numbers) {
                for (&l, &n) in ladder.iter().zip(ns) {
                    band_of_level.entry(l).or_insert(n);
                }
            }
            site.bands_note = "Inferred: levels with the same number in their titles share a band. Correct them here and in each level's `band:`.".into();
        }
        None => {
            for ladder in ladders {
                for (k, &l) in ladder.iter().enumerate() {
                    band_of_level.entry(l).or_insert(k as u32 + 1);
                }
            }
            site.bands_note = "Inferred: the first level of every track is in band 1, the second in band 2, and so on. Move levels to the bands that are equivalent in your organisation (each level's `band:`), and rename the bands.".into();
        }
    }
    let numbers: BTreeSet<u32> = band_of_level.values().copied().collect();
    let numbers: Vec<u32> = numbers.into_iter().collect();
    for n in &numbers {
        let title = format!("Band {n}");
        site.bands.push(BandOut {
            id: ids.unique(&[&format!("b{n}")], "band"),
            title,
        });
    }
    for (l, n) in &band_of_level {
        levels[*l].band = numbers.iter().position(|x| x == n).unwrap_or(0);
    }
    let how = if by_number.is_some() {
        "the numbers in their titles"
    } else {
        "their positions on their tracks"
    };
    for (bi, band) in site.bands.iter().enumerate() {
        let members: Vec<String> = ladders
            .iter()
            .enumerate()
            .flat_map(|(t, ladder)| {
                let levels = &*levels;
                ladder
                    .iter()
                    .filter(move |&&l| levels[l].band == bi)
                    .map(move |&l| format!("{} ({})", levels[l].title, table.tracks[t].title))
            })
            .collect();
        site.guesses.push(format!(
            "{} (from {how}): {}",
            band.title,
            members.join(", ")
        ));
    }
}

/// The scales read from a `proficiency` column.
struct Scales {
    scales: Vec<ScaleOut>,
    of_comp: HashMap<usize, usize>,
}

/// Steps that competencies share are one scale; steps are ordered as the levels of each
/// track climb them.
fn scales(
    comp_titles: &[String],
    comp_sorted: &[usize],
    steps_of: &BTreeMap<(usize, usize), String>,
    ladders: &[Vec<usize>],
    site: &mut Site,
) -> Scales {
    let mut out = Scales {
        scales: Vec::new(),
        of_comp: HashMap::new(),
    };
    if steps_of.is_empty() {
        return out;
    }
    // Union competencies that share a step title.
    let mut parent: Vec<usize> = (0..comp_titles.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut x = x;
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (&(c, _), step) in steps_of {
        match owner.get(step.as_str()) {
            Some(&o) => {
                let (a, b) = (find(&mut parent, o), find(&mut parent, c));
                parent[a] = b;
            }
            None => {
                owner.insert(step, c);
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for &c in comp_sorted {
        if !steps_of.keys().any(|(cc, _)| *cc == c) {
            continue;
        }
        let root = find(&mut parent, c);
        match groups.iter_mut().find(|(r, _)| *r == root) {
            Some((_, v)) => v.push(c),
            None => groups.push((root, vec![c])),
        }
    }
    let mut scale_ids = Ids::default();
    let single = groups.len() == 1;
    for (_, members) in &groups {
        let mut seqs = Vec::new();
        for &c in members {
            for ladder in ladders {
                let mut s: Vec<String> = ladder
                    .iter()
                    .filter_map(|&l| steps_of.get(&(c, l)).cloned())
                    .collect();
                s.dedup();
                seqs.push(s);
            }
        }
        let (steps, consistent) = merge_orders(&seqs);
        let title = if single {
            "Proficiency".to_string()
        } else {
            comp_titles[members[0]].clone()
        };
        let id = scale_ids.unique(&[&text::slug(&title)], "scale");
        let mut step_ids = Ids::default();
        let steps: Vec<StepOut> = steps
            .into_iter()
            .map(|s| StepOut {
                id: step_ids.unique(&[&text::slug(&s)], "step"),
                title: s,
            })
            .collect();
        site.guesses.push(format!(
            "scale \"{title}\" from the proficiency column: steps {}{}",
            steps
                .iter()
                .map(|s| format!("\"{}\"", s.title))
                .collect::<Vec<_>>()
                .join(", "),
            if consistent {
                " (in the order levels reach them)"
            } else {
                " (levels reach them in different orders: in the order they first appear)"
            }
        ));
        let s = out.scales.len();
        for &c in members {
            out.of_comp.insert(c, s);
        }
        out.scales.push(ScaleOut { id, title, steps });
    }
    out
}

/// A shared core and `based_on` tracks, worked out from the export's `origin` column,
/// and every level's entry under every competency.
struct Inheritance {
    based_on: Vec<Option<usize>>,
    core: BTreeMap<(usize, usize), Vec<B>>,
    entries: BTreeMap<(usize, usize), EntryOut>,
}

impl Inheritance {
    fn plan(
        table: &Table,
        levels: &[LevelX],
        ladders: &[Vec<usize>],
        level_index: &HashMap<&str, usize>,
        cells: &BTreeMap<(usize, usize), Vec<B>>,
        comp_tracks: &[BTreeSet<usize>],
        site: &mut Site,
    ) -> Inheritance {
        let tracks = table.tracks.len();
        let mut based_on: Vec<Option<usize>> = vec![None; tracks];
        // A track whose levels inherit from levels of one other track is based on it.
        let mut bases: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); tracks];
        for (&(_, l), list) in cells {
            let t = levels[l].tracks[0];
            for b in list {
                if let Some(from) = b.origin.as_deref().and_then(|o| o.strip_prefix("level:")) {
                    bases[t].insert(
                        level_index
                            .get(from)
                            .map_or(usize::MAX, |&x| levels[x].tracks[0]),
                    );
                }
            }
        }
        for (t, bases) in bases.into_iter().enumerate() {
            if bases.len() == 1 && !bases.contains(&usize::MAX) && !bases.contains(&t) {
                based_on[t] = bases.into_iter().next();
            } else if !bases.is_empty() {
                site.guesses.push(format!(
                    "track \"{}\" inherits from levels of several tracks: its levels list everything they inherit as their own",
                    table.tracks[t].title
                ));
            }
        }
        // Core candidates: for each competency and band, the longest list of core rows of a
        // level that takes the core (its track is not based on another).
        let mut core: BTreeMap<(usize, usize), Vec<B>> = BTreeMap::new();
        for (&(c, l), list) in cells {
            let core_rows: Vec<B> = list
                .iter()
                .filter(|b| b.origin.as_deref().is_some_and(|o| o.starts_with("core:")))
                .cloned()
                .collect();
            if core_rows.is_empty() || based_on[levels[l].tracks[0]].is_some() {
                continue;
            }
            let e = core.entry((c, levels[l].band)).or_default();
            if core_rows.len() > e.len() {
                *e = core_rows;
            }
        }
        let mut plan = Inheritance {
            based_on,
            core,
            entries: BTreeMap::new(),
        };
        // Try the plan; give up the part that cannot say what a level holds, and again.
        for _ in 0..=(tracks + plan.core.len()) {
            match plan.entries_for(levels, ladders, cells, comp_tracks) {
                Ok(entries) => {
                    plan.entries = entries;
                    break;
                }
                Err(Failure::Track(t)) => {
                    site.guesses.push(format!(
                        "track \"{}\" could not be written as based on \"{}\" (an inherited behaviour changed without an id): its levels list everything they inherit as their own",
                        table.tracks[t].title,
                        plan.based_on[t].map_or("", |b| table.tracks[b].title.as_str())
                    ));
                    plan.based_on[t] = None;
                }
                Err(Failure::Core(key)) => {
                    plan.core.remove(&key);
                }
            }
        }
        let cores = plan.core.len();
        if cores > 0 {
            site.guesses.push(format!(
                "{cores} shared core list(s) (competency and band) rebuilt from the origin column"
            ));
        }
        plan
    }

    /// What `l` inherits of competency `c` under this plan.
    fn inherited(
        &self,
        c: usize,
        l: usize,
        levels: &[LevelX],
        ladders: &[Vec<usize>],
        cells: &BTreeMap<(usize, usize), Vec<B>>,
        comp_tracks: &[BTreeSet<usize>],
    ) -> (Vec<B>, Failure) {
        let x = &levels[l];
        let applies = |o: usize| levels[o].tracks.iter().any(|t| comp_tracks[c].contains(t));
        for &t in &x.tracks {
            if let Some(bt) = self.based_on[t]
                && let Some(&bl) = ladders[bt]
                    .iter()
                    .find(|&&o| o != l && levels[o].band == x.band)
            {
                if applies(bl) {
                    return (
                        cells.get(&(c, bl)).cloned().unwrap_or_default(),
                        Failure::Track(t),
                    );
                }
                break;
            }
        }
        let key = (c, x.band);
        (
            self.core.get(&key).cloned().unwrap_or_default(),
            Failure::Core(key),
        )
    }

    fn entries_for(
        &self,
        levels: &[LevelX],
        ladders: &[Vec<usize>],
        cells: &BTreeMap<(usize, usize), Vec<B>>,
        comp_tracks: &[BTreeSet<usize>],
    ) -> Result<BTreeMap<(usize, usize), EntryOut>, Failure> {
        let mut entries = BTreeMap::new();
        let empty = Vec::new();
        let comps: BTreeSet<usize> = cells.keys().map(|(c, _)| *c).collect();
        for &c in &comps {
            for l in 0..levels.len() {
                let applies = levels[l].tracks.iter().any(|t| comp_tracks[c].contains(t));
                if !applies {
                    continue;
                }
                let rows = cells.get(&(c, l)).unwrap_or(&empty);
                let (inherited, source) = self.inherited(c, l, levels, ladders, cells, comp_tracks);
                if inherited.is_empty() {
                    if !rows.is_empty() {
                        entries.insert((c, l), EntryOut::List(rows.iter().map(B::out).collect()));
                    }
                    continue;
                }
                let fail = || source;
                let same = |a: &B, b: &B| match (&a.anchor, &b.anchor) {
                    (Some(x), Some(y)) => x == y,
                    _ => a.text == b.text,
                };
                let (mut i, mut j) = (0, 0);
                let mut remove = Vec::new();
                let mut replace = Ordered::default();
                while i < inherited.len() {
                    let want = &inherited[i];
                    match rows.get(j) {
                        Some(r) if same(r, want) => {
                            if r.origin.is_none() {
                                // Replaced in place, keeping its id and anchor.
                                let Some(id) = &want.id else {
                                    return Err(fail());
                                };
                                replace.0.push((
                                    id.clone(),
                                    BehaviourOut::new(r.text.clone(), r.examples.clone(), None),
                                ));
                            } else if r.text != want.text {
                                return Err(fail());
                            }
                            j += 1;
                        }
                        _ => {
                            let Some(id) = &want.id else {
                                return Err(fail());
                            };
                            remove.push(id.clone());
                        }
                    }
                    i += 1;
                }
                let add: Vec<BehaviourOut> = rows[j..].iter().map(B::out).collect();
                if rows[j..].iter().any(|r| r.origin.is_some()) {
                    return Err(fail());
                }
                let entry = if remove.is_empty() && replace.0.is_empty() {
                    if add.is_empty() {
                        continue;
                    }
                    EntryOut::List(add)
                } else {
                    EntryOut::Changes {
                        add,
                        replace,
                        remove,
                    }
                };
                entries.insert((c, l), entry);
            }
        }
        Ok(entries)
    }
}

#[derive(Debug, Clone, Copy)]
enum Failure {
    Track(usize),
    Core((usize, usize)),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_merge_and_contradictions_fall_back() {
        let (o, ok) = merge_orders(&[vec!["b", "c"], vec!["a", "b"], vec!["c", "d"]]);
        assert!(ok);
        assert_eq!(o, ["a", "b", "c", "d"]);
        let (o, ok) = merge_orders(&[vec!["a", "b"], vec!["b", "a"]]);
        assert!(!ok);
        assert_eq!(o, ["a", "b"]);
    }

    #[test]
    fn anchors_with_numbers() {
        assert!(anchor_is("c-foo-2", "c-foo"));
        assert!(anchor_is("c-foo", "c-foo"));
        assert!(!anchor_is("c-foo-bar", "c-foo"));
    }

    #[test]
    fn track_ids() {
        assert_eq!(track_slug("Software Engineer (SWE)"), "swe");
        assert_eq!(track_slug("Expert track"), "expert");
        assert_eq!(track_slug("Data science track"), "data-science");
        assert_eq!(track_slug("Track"), "track");
        assert_eq!(band_slug("Band 3"), "b3");
        assert_eq!(band_slug("Level 1"), "l1");
        assert_eq!(band_slug("L1"), "l1");
        assert_eq!(band_slug("Senior band"), "senior-band");
    }
}
