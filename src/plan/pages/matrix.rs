//! `/matrix/<track>/`: the full competency × level grid of a track.

use serde::Serialize;

use crate::model::Level;
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

pub(crate) fn matrix<'f>(cx: &Compared<'_, 'f>, ti: usize) -> MatrixPage<'f> {
    let fw = cx.fw;
    let t = &fw.tracks[ti];
    let levels: Vec<(usize, &Level)> = fw.track_levels(&t.id).collect();
    let areas = by_area(fw, |ci, c| {
        c.tracks.contains(&t.id).then(|| MatrixRow {
            competency: competency_ref(c),
            cells: levels
                .iter()
                .map(|&(li, l)| MatrixCell {
                    level_id: l.id.as_str(),
                    cell: cx.cell_view(ci, li, fw.previous_on(li, &t.id)),
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
