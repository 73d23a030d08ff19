//! How long each stage of a run took, and the process's peak memory after it: one value
//! per run, returned in the [`Outcome`](super::Outcome), printed by the caller when
//! `RUNGS_TIMINGS` is set (the library never reads the variable).

use std::time::{Duration, Instant};

/// The stages of one run, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    last: Option<Instant>,
    /// `(stage, time, peak resident memory in KiB so far, when known)`.
    pub laps: Vec<(&'static str, Duration, Option<u64>)>,
    /// Notes a stage left (what the search index re-made, for example).
    pub notes: Vec<String>,
}

impl Timings {
    pub(crate) fn start() -> Timings {
        Timings {
            last: Some(Instant::now()),
            ..Timings::default()
        }
    }

    /// Ends the stage called `stage`.
    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(t) = self.last.replace(now) {
            self.laps.push((stage, now - t, peak_memory_kib()));
        }
    }

    /// Milliseconds spent in `stage` (0 when it did not run).
    pub fn millis(&self, stage: &str) -> f64 {
        self.laps
            .iter()
            .filter(|(s, _, _)| *s == stage)
            .map(|(_, d, _)| d.as_secs_f64() * 1e3)
            .sum()
    }

    /// One line per stage, for a terminal.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for (stage, d, peak) in &self.laps {
            out.push_str(&format!(
                "[timing] {stage}: {:.1} ms{}\n",
                d.as_secs_f64() * 1e3,
                peak.map(|k| format!(" (peak memory {k} kB)"))
                    .unwrap_or_default()
            ));
        }
        for n in &self.notes {
            out.push_str(&format!("[timing] {n}\n"));
        }
        out
    }
}

/// The process's peak resident memory (Linux), to see which stage sets it.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line[6..].trim().trim_end_matches("kB").trim().parse().ok()
}
