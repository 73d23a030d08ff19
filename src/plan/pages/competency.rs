//! `/competencies/<competency>/`: guidance, and the competency's progression across
//! every level of every track it applies to, side by side; its scale, if it has one.

use serde::Serialize;

use crate::model::Track;
use crate::plan::urls;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct CompetencyPage<'f> {
    competency: CompetencyView<'f>,
    progression: Progression<'f>,
}

#[derive(Serialize)]
struct CompetencyView<'f> {
    id: &'f str,
    title: &'f str,
    href: String,
    summary: &'f str,
    body_html: &'f str,
    area: AreaRef<'f>,
    tracks: Vec<TrackRef<'f>>,
    scale: Option<ScaleView<'f>>,
}

#[derive(Serialize)]
struct ScaleView<'f> {
    id: &'f str,
    title: &'f str,
    steps: Vec<ScaleStep<'f>>,
}

#[derive(Serialize)]
struct ScaleStep<'f> {
    step: StepView<'f>,
    behaviours: Vec<BehaviourView<'f>>,
}

#[derive(Serialize)]
struct Progression<'f> {
    tracks: Vec<TrackRef<'f>>,
    rows: Vec<LadderRow<'f, ProgressionEntry<'f>>>,
}

#[derive(Serialize)]
struct ProgressionEntry<'f> {
    level: LevelRef<'f>,
    cell: CellView<'f>,
}

pub(crate) fn competency<'f>(cx: &Compared<'_, 'f>, ci: usize) -> CompetencyPage<'f> {
    let fw = cx.fw;
    let c = &fw.competencies[ci];
    let tracks: Vec<&Track> = fw
        .tracks
        .iter()
        .filter(|t| c.tracks.contains(&t.id))
        .collect();
    let rows = ladder_rows(fw, &tracks, 0..fw.bands.len(), |l| {
        let li = fw.level_index(l.id.as_str()).unwrap_or(0);
        ProgressionEntry {
            level: level_ref(fw, l),
            cell: cx.cell_view(ci, li, fw.previous_index(li)),
        }
    });
    let rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.entries.is_empty()))
        .collect();
    let scale = c.scale.map(|si| {
        let s = &fw.scales[si];
        ScaleView {
            id: s.id.as_str(),
            title: &s.title,
            steps: s
                .steps
                .iter()
                .map(|st| ScaleStep {
                    step: step_view(st),
                    behaviours: behaviour_views(
                        fw,
                        c.proficiency.get(&st.id).map_or(&[][..], Vec::as_slice),
                        cx.feedback
                            .then_some((ci, crate::plan::source::At::Step(st.id.as_str()))),
                    ),
                })
                .collect(),
        }
    });
    let track_refs = || tracks.iter().map(|t| track_ref(t)).collect::<Vec<_>>();
    CompetencyPage {
        competency: CompetencyView {
            id: c.id.as_str(),
            title: &c.title,
            href: urls::competency(&c.id),
            summary: &c.summary,
            body_html: &c.body_html,
            area: area_ref(&fw.areas[c.area]),
            tracks: track_refs(),
            scale,
        },
        progression: Progression {
            tracks: track_refs(),
            rows,
        },
    }
}
