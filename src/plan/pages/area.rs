//! `/areas/<area>/`: the area's competencies, the tracks each applies to and how many
//! levels expect something of it.

use serde::Serialize;

use crate::model::Framework;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct AreaPage<'f> {
    area: AreaRef<'f>,
    competencies: Vec<AreaCompetency<'f>>,
}

#[derive(Serialize)]
struct AreaCompetency<'f> {
    competency: CompetencyRef<'f>,
    tracks: Vec<TrackRef<'f>>,
    levels: usize,
}

pub(crate) fn area(fw: &Framework, ai: usize) -> AreaPage<'_> {
    let competencies = fw
        .competencies
        .iter()
        .filter(|c| c.area == ai)
        .map(|c| AreaCompetency {
            competency: competency_ref(c),
            tracks: fw
                .tracks
                .iter()
                .filter(|t| c.tracks.contains(&t.id))
                .map(track_ref)
                .collect(),
            levels: fw
                .levels
                .iter()
                .filter(|l| fw.applies(c, l) && !fw.cell(c, l).is_empty())
                .count(),
        })
        .collect();
    AreaPage {
        area: area_ref(&fw.areas[ai]),
        competencies,
    }
}
