//! `/`: the introduction, the dual ladder (a table and a diagram) and the areas with
//! their competencies.

use serde::Serialize;

use crate::model::{Framework, Track};
use crate::plan::charts;
use crate::plan::urls;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct Home<'f> {
    intro_html: &'f str,
    /// Job families (empty without them).
    families: Vec<FamilyRef<'f>>,
    ladder: Ladder<'f>,
    areas: Vec<AreaGroup<'f, CompetencyRef<'f>>>,
    counts: Counts,
    /// The ladder as an inline SVG diagram.
    ladder_chart: String,
    compare_href: &'static str,
}

#[derive(Serialize)]
struct Ladder<'f> {
    tracks: Vec<TrackRef<'f>>,
    rows: Vec<LadderRow<'f, LevelRef<'f>>>,
}

#[derive(Serialize)]
struct Counts {
    levels: usize,
    competencies: usize,
    tracks: usize,
    bands: usize,
}

/// Every area with its competencies, even an area without any (the home page and the
/// competency index show the framework's shape).
fn area_groups(fw: &Framework) -> Vec<AreaGroup<'_, CompetencyRef<'_>>> {
    fw.areas
        .iter()
        .enumerate()
        .map(|(ai, a)| AreaGroup {
            area: area_ref(a),
            competencies: fw
                .competencies
                .iter()
                .filter(|c| c.area == ai)
                .map(|c| competency_ref(c))
                .collect(),
        })
        .collect()
}

/// `/competencies/`: every competency by area, and every track's matrix.
#[derive(Serialize)]
pub(crate) struct CompetencyIndex<'f> {
    areas: Vec<AreaGroup<'f, CompetencyRef<'f>>>,
    matrices: Vec<MatrixLink<'f>>,
}

#[derive(Serialize)]
struct MatrixLink<'f> {
    track: TrackRef<'f>,
    href: String,
}

pub(crate) fn competency_index(fw: &Framework) -> CompetencyIndex<'_> {
    CompetencyIndex {
        areas: area_groups(fw),
        matrices: fw
            .tracks
            .iter()
            .map(|t| MatrixLink {
                track: track_ref(t),
                href: urls::matrix(&t.id),
            })
            .collect(),
    }
}

pub(crate) fn home(fw: &Framework) -> Home<'_> {
    let tracks: Vec<&Track> = fw.tracks.iter().collect();
    let rows = ladder_rows(fw, &tracks, (0..fw.bands.len()).rev(), |l| level_ref(fw, l));
    let areas = area_groups(fw);
    Home {
        intro_html: &fw.intro_html,
        families: family_refs(fw),
        ladder: Ladder {
            tracks: tracks.iter().map(|t| track_ref(t)).collect(),
            rows,
        },
        areas,
        counts: Counts {
            levels: fw.levels.len(),
            competencies: fw.competencies.len(),
            tracks: fw.tracks.len(),
            bands: fw.bands.len(),
        },
        ladder_chart: charts::ladder_chart(fw, "ladder-chart"),
        compare_href: urls::COMPARE_INDEX,
    }
}

/// `/families/<family>/`: the family's tracks and its ladder on the shared bands.
#[derive(Serialize)]
pub(crate) struct FamilyPage<'f> {
    family: FamilyRef<'f>,
    ladder: Ladder<'f>,
}

pub(crate) fn family(fw: &Framework, fi: usize) -> FamilyPage<'_> {
    let tracks: Vec<&Track> = fw.tracks.iter().filter(|t| t.family == Some(fi)).collect();
    let rows = ladder_rows(fw, &tracks, (0..fw.bands.len()).rev(), |l| level_ref(fw, l))
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.entries.is_empty()))
        .collect();
    FamilyPage {
        family: family_refs(fw).swap_remove(fi),
        ladder: Ladder {
            tracks: tracks.iter().map(|t| track_ref(t)).collect(),
            rows,
        },
    }
}
