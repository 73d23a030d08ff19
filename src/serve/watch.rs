//! Watching the site for `serve`: which folders are watched, which file events count as
//! edits, and coalescing bursts into one rebuild.
//!
//! `notify-debouncer-full` stitches an editor's rename-over save (write a temporary file,
//! rename it over the original) and vim's backup dance into one batch. Even so it splits a
//! long burst (a `git checkout` of 300 files) into several batches, so [`Watcher::next`]
//! keeps draining until the events have been quiet for a moment.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::discover::is_ignored_name;
use crate::pipeline::Edits;

/// The folders under the site root that are watched recursively.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// How long a path must be quiet before the debouncer reports it. An editor's save
/// (write a temporary file, rename it over the original; vim's backup dance) takes well
/// under a millisecond, so a short window is enough, and it is most of the latency
/// between a save and the reload.
const DEBOUNCE: Duration = Duration::from_millis(5);
/// How often the debouncer emits the paths that have gone quiet.
const TICK: Duration = Duration::from_millis(2);
/// After a batch, keep collecting while batches keep arriving this close together:
/// during a burst a batch arrives every tick, so this spans three ticks. (The windows
/// were 10, 3 and 10 ms; at 5, 2 and 6 a 300-file burst still arrives as one batch in
/// `a_burst_of_writes_is_one_batch`, and a save reaches the rebuild ~10 ms sooner.)
const QUIET: Duration = Duration::from_millis(6);
/// How often `--poll` scans the site.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Is this file name one that editors and tools leave behind while saving? Adds the
/// names `discover` does not see (they are not `.md`) but that still fire events.
pub fn is_ignored(name: &str) -> bool {
    is_ignored_name(name)
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap")
        || name.ends_with(".rungs-tmp")
}

/// Turns a batch of file events into the edits a rebuild must consider. `root` must be
/// the path the watches were set up with (events carry paths below it).
pub fn classify<'a>(root: &Path, events: impl IntoIterator<Item = &'a notify::Event>) -> Edits {
    let mut edits = Edits::default();
    for event in events {
        if event.need_rescan() {
            edits.all = true;
            edits.theme = true;
            continue;
        }
        // Reads and closes change nothing; every other kind (create, modify, rename,
        // remove, and the unknown `Any`/`Other`) may.
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            let Some((rel, affects_theme)) = relevant(root, path) else {
                continue;
            };
            edits.theme |= affects_theme;
            edits.paths.insert(rel);
        }
    }
    edits
}

/// The site-relative path of a relevant change, and whether it affects the theme.
fn relevant(root: &Path, path: &Path) -> Option<(String, bool)> {
    let below = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in below.components() {
        match c {
            Component::Normal(s) => {
                let s = s.to_string_lossy();
                if is_ignored(&s) {
                    return None;
                }
                parts.push(s.into_owned());
            }
            _ => return None,
        }
    }
    let affects_theme = match parts.first().map(String::as_str) {
        Some("site.toml") if parts.len() == 1 => true,
        Some("content") => false,
        Some("templates" | "themes" | "static") => true,
        _ => return None,
    };
    Some((parts.join("/"), affects_theme))
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        }
    }
}

/// The site's watcher: the root (for `site.toml` and folders appearing) and each of
/// [`WATCHED_DIRS`] that exists.
pub struct Watcher {
    root: PathBuf,
    inner: Inner,
    rx: Receiver<DebounceEventResult>,
    watched: BTreeSet<&'static str>,
}

/// What [`Watcher::next`] returns.
pub enum Next {
    /// Something changed: what, for the next run.
    Edits(Edits),
    /// Nothing happened within the timeout.
    Idle,
    /// The watcher stopped.
    Closed,
}

impl Watcher {
    /// Watches `root` (which should be canonical, so event paths match it). `poll` uses
    /// notify's `PollWatcher`, for file systems where inotify sees nothing (WSL, Docker
    /// bind mounts, network shares).
    pub fn new(root: &Path, poll: bool) -> notify::Result<Watcher> {
        let (tx, rx) = channel();
        let handler = move |r: DebounceEventResult| {
            let _ = tx.send(r);
        };
        let inner = if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            Inner::Poll(new_debouncer_opt::<_, PollWatcher, NoCache>(
                DEBOUNCE,
                Some(TICK),
                handler,
                NoCache,
                config,
            )?)
        } else {
            Inner::Native(new_debouncer(DEBOUNCE, Some(TICK), handler)?)
        };
        let mut w = Watcher {
            root: root.to_path_buf(),
            inner,
            rx,
            watched: BTreeSet::new(),
        };
        w.inner.watch(root, RecursiveMode::NonRecursive)?;
        w.refresh(&Edits::default())?;
        Ok(w)
    }

    /// Adds watches for folders that appeared, drops those that vanished, and renews the
    /// watch of a folder that was replaced (its old watch died with it).
    fn refresh(&mut self, edits: &Edits) -> notify::Result<()> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            let was = self.watched.contains(dir);
            let replaced = edits.all || edits.paths.contains(dir);
            if was && (!exists || replaced) {
                let _ = self.inner.unwatch(&path);
                self.watched.remove(dir);
            }
            if exists && !self.watched.contains(dir) {
                self.inner.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(dir);
            }
        }
        Ok(())
    }

    /// Waits up to `timeout` for edits, then drains until quiet. Errors from the
    /// watcher (an inotify overflow) mean "rescan everything".
    pub fn next(&mut self, timeout: Duration) -> Next {
        let mut events = Vec::new();
        let mut all = false;
        let mut take = |r: DebounceEventResult, all: &mut bool| match r {
            Ok(batch) => events.extend(batch.into_iter().map(|e| e.event)),
            Err(_) => *all = true,
        };
        match self.rx.recv_timeout(timeout) {
            Ok(r) => take(r, &mut all),
            Err(RecvTimeoutError::Timeout) => return Next::Idle,
            Err(RecvTimeoutError::Disconnected) => return Next::Closed,
        }
        // Drain until quiet: a long burst arrives as several debounced batches.
        while let Ok(r) = self.rx.recv_timeout(QUIET) {
            take(r, &mut all);
        }
        let mut edits = classify(&self.root, &events);
        if all {
            edits.all = true;
            edits.theme = true;
        }
        // A failure to re-watch shows up as a missing rebuild; report it as a rescan.
        if self.refresh(&edits).is_err() {
            edits.all = true;
        }
        if edits.is_empty() {
            Next::Idle
        } else {
            Next::Edits(edits)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::Event;
    use notify::event::{
        AccessKind, AccessMode, CreateKind, DataChange, Flag, ModifyKind, RemoveKind, RenameMode,
    };

    fn root() -> PathBuf {
        PathBuf::from("/site")
    }

    fn ev(kind: EventKind, paths: &[&str]) -> Event {
        paths
            .iter()
            .fold(Event::new(kind), |e, p| e.add_path(root().join(p)))
    }

    fn paths(c: &Edits) -> Vec<&str> {
        c.paths.iter().map(String::as_str).collect()
    }

    /// A `git checkout` writes hundreds of files back to back: they reach the rebuild
    /// as one batch (at most two when the machine is busy enough to pause the writer
    /// longer than the quiet window), and none is lost.
    #[test]
    fn a_burst_of_writes_is_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/competencies")).unwrap();
        let mut w = Watcher::new(&root, false).unwrap();
        let names: Vec<String> = (0..300)
            .map(|i| format!("content/competencies/c{i:03}.md"))
            .collect();
        for (i, n) in names.iter().enumerate() {
            if i % 10 == 0 {
                // An editor's rename-over save among the plain writes.
                let tmp = root.join(format!("{n}.tmp"));
                std::fs::write(&tmp, "x").unwrap();
                std::fs::rename(&tmp, root.join(n)).unwrap();
            } else {
                std::fs::write(root.join(n), "x").unwrap();
            }
        }
        let mut seen = BTreeSet::new();
        let mut batches = 0;
        while seen.len() < names.len() && batches < 10 {
            match w.next(Duration::from_secs(5)) {
                Next::Edits(e) => {
                    batches += 1;
                    seen.extend(e.paths.iter().filter(|p| p.ends_with(".md")).cloned());
                }
                Next::Idle | Next::Closed => break,
            }
        }
        assert_eq!(seen.len(), names.len(), "every file reported");
        assert!(batches <= 2, "{batches} batches for one burst");
    }

    #[test]
    fn a_rename_over_save_counts_as_a_change_of_the_target() {
        // VS Code / JetBrains style: write a temporary file, rename it over the original.
        let events = [
            ev(
                EventKind::Create(CreateKind::File),
                &["content/levels/expert/senior.md___jb_tmp___"],
            ),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[
                    "content/levels/expert/senior.md___jb_tmp___",
                    "content/levels/expert/senior.md",
                ],
            ),
        ];
        let c = classify(&root(), &events);
        assert_eq!(paths(&c), ["content/levels/expert/senior.md"]);
        assert!(!c.theme && !c.all);
    }

    #[test]
    fn vims_backup_dance_leaves_only_the_file_itself() {
        let events = [
            ev(EventKind::Create(CreateKind::File), &["content/4913"]),
            ev(EventKind::Remove(RemoveKind::File), &["content/4913"]),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["content/index.md", "content/index.md~"],
            ),
            ev(EventKind::Create(CreateKind::File), &["content/index.md"]),
            ev(EventKind::Remove(RemoveKind::File), &["content/index.md~"]),
            ev(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["content/.index.md.swp"],
            ),
        ];
        assert_eq!(paths(&classify(&root(), &events)), ["content/index.md"]);
    }

    #[test]
    fn swap_backup_and_lock_files_are_ignored() {
        let events = [ev(
            EventKind::Modify(ModifyKind::Any),
            &[
                "content/levels/expert/.senior.md.swp",
                "content/levels/expert/senior.md~",
                "content/levels/expert/#senior.md#",
                "content/levels/expert/.#senior.md",
                "content/levels/expert/senior.md___jb_old___",
                "templates/.level.html.swx",
                "content/.git/index",
            ],
        )];
        assert!(classify(&root(), &events).is_empty());
    }

    #[test]
    fn reads_and_paths_outside_the_site_folders_are_ignored() {
        let events = [
            ev(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &["content/index.md"],
            ),
            ev(EventKind::Modify(ModifyKind::Any), &["public/index.html"]),
            ev(EventKind::Modify(ModifyKind::Any), &["README.md"]),
            Event::new(EventKind::Modify(ModifyKind::Any)).add_path("/elsewhere/site.toml".into()),
        ];
        assert!(classify(&root(), &events).is_empty());
    }

    #[test]
    fn templates_static_themes_and_settings_reload_the_theme() {
        for p in [
            "site.toml",
            "templates/level.html",
            "static/custom.css",
            "themes/mine/templates/base.html",
        ] {
            let c = classify(&root(), &[ev(EventKind::Modify(ModifyKind::Any), &[p])]);
            assert_eq!(paths(&c), [p]);
            assert!(c.theme, "{p}");
        }
        let c = classify(
            &root(),
            &[ev(
                EventKind::Remove(RemoveKind::Folder),
                &["content/levels/manager"],
            )],
        );
        assert_eq!(paths(&c), ["content/levels/manager"]);
        assert!(!c.theme);
    }

    #[test]
    fn a_rescan_means_everything() {
        let e = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        let c = classify(&root(), &[e]);
        assert!(c.all && c.theme && !c.is_empty());
    }
}
