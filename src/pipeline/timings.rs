//! How long each stage of a run took, and the process's peak memory after it: one value
//! per run, returned in the [`Outcome`](super::Outcome), printed by the caller when
//! `RUNGS_TIMINGS` is set (the library never reads the variable).

use std::time::{Duration, Instant};

/// The stages of one run, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    last: Option<Instant>,
    /// The process's CPU time when the last stage ended, when known.
    last_cpu: Option<Duration>,
    /// `(stage, time, peak resident memory in KiB so far, when known)`.
    pub laps: Vec<(&'static str, Duration, Option<u64>)>,
    /// The CPU time (all threads, user and system) each lap took, when known; a lap's
    /// CPU over its time is how many cores it kept busy.
    pub cpu: Vec<Option<Duration>>,
    /// Notes a stage left (what the search index re-made, for example).
    pub notes: Vec<String>,
}

impl Timings {
    pub(crate) fn start() -> Timings {
        Timings {
            last: Some(Instant::now()),
            last_cpu: process_cpu(),
            ..Timings::default()
        }
    }

    /// Ends the stage called `stage`.
    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(t) = self.last.replace(now) {
            self.laps.push((stage, now - t, peak_memory_kib()));
            let cpu = process_cpu();
            let was = std::mem::replace(&mut self.last_cpu, cpu);
            self.cpu
                .push(cpu.zip(was).map(|(c, w)| c.saturating_sub(w)));
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
        for (i, (stage, d, peak)) in self.laps.iter().enumerate() {
            let cpu = self.cpu.get(i).copied().flatten();
            out.push_str(&format!(
                "[timing] {stage}: {:.1} ms{}{}\n",
                d.as_secs_f64() * 1e3,
                cpu.map(|c| format!(", cpu {:.0} ms", c.as_secs_f64() * 1e3))
                    .unwrap_or_default(),
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

/// The CPU time of the whole process so far (Linux; ticks of 10 ms, so only long
/// stages read true).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces:
    // utime and stime are the 14th and 15th fields of the line, in clock ticks.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    // The kernel reports in USER_HZ, which is 100 on every Linux the tool runs on.
    Some(Duration::from_millis((user + system) * 10))
}

/// The process's peak resident memory (Linux), to see which stage sets it.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line[6..].trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn laps_read_the_cpu_time_spent() {
        let mut t = Timings::start();
        let begin = Instant::now();
        let mut x = 0u64;
        while begin.elapsed() < Duration::from_millis(150) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        t.lap("spin");
        let cpu = t.cpu[0].expect("CPU time is read from /proc/self/stat");
        assert!(cpu >= Duration::from_millis(10), "{cpu:?}");
        assert!(t.describe().contains("spin: "), "{}", t.describe());
        assert!(t.describe().contains(", cpu "), "{}", t.describe());
    }
}
