//! `/matrix/<track>/`: the full competency × level grid of a track.

use serde::Serialize;

use crate::model::{Framework, Level};
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct MatrixPage<'f> {
    track: TrackRef<'f>,
    levels: Vec<LevelRef<'f>>,
    areas: Vec<AreaGroup<'f, MatrixRow<'f>>>,
}

#[derive(Serialize)]
struct MatrixRow<'f> {
    competency: CompetencyRef<'f>,
    cells: Vec<MatrixCell<'f>>,
}

#[derive(Serialize)]
struct MatrixCell<'f> {
    level_id: &'f str,
    cell: CellView<'f>,
}

pub(crate) fn matrix(fw: &Framework, ti: usize) -> MatrixPage<'_> {
    let t = &fw.tracks[ti];
    let levels: Vec<(usize, &Level)> = fw.track_levels(&t.id).collect();
    let areas = by_area(fw, |c| {
        c.tracks.contains(&t.id).then(|| MatrixRow {
            competency: competency_ref(c),
            cells: levels
                .iter()
                .map(|&(li, l)| {
                    let prev = fw.previous_on(li, &t.id).map(|i| &fw.levels[i]);
                    MatrixCell {
                        level_id: l.id.as_str(),
                        cell: cell_view(fw, c, l, prev),
                    }
                })
                .collect(),
        })
    });
    MatrixPage {
        track: track_ref(t),
        levels: levels.iter().map(|(_, l)| level_ref(fw, l)).collect(),
        areas,
    }
}
