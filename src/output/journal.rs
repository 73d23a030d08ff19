//! What a commit did to the output folder, step by step, so that a commit that fails
//! half-way (a folder it may not write, a full disk) can put back everything it had
//! already changed: the output is then exactly as it was, as after any other failed
//! build. Nothing is deleted while committing (the record of it is kept in memory, so a
//! process killed half-way leaves the output part old, part new, and the old files in
//! the staging folder; the next build puts the output right): a file that is replaced or no longer
//! produced is moved aside into the staging folder (same file system, so a rename),
//! where it stays until the transaction ends.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One change made to the output, and so one to undo.
enum Step {
    /// `target`'s old file and the staged file were exchanged: the old one is at
    /// `staged` now.
    Swapped { staged: PathBuf, target: PathBuf },
    /// What was at `target` (a file or a folder) was moved to `aside`; a new file may
    /// have been put at `target` since.
    MovedAside { aside: PathBuf, target: PathBuf },
    /// A file was put at `target`, where nothing was.
    Added { target: PathBuf },
    /// A folder was made for files to go in.
    MadeFolder { path: PathBuf },
}

/// The steps of one commit, recorded from any thread.
#[derive(Default)]
pub(super) struct Journal {
    steps: Mutex<Vec<Step>>,
    /// Tests: see [`Journal::failing_at`].
    #[cfg(test)]
    fail_after: std::sync::atomic::AtomicUsize,
    /// Tests: take the way of systems that cannot exchange two files.
    #[cfg(test)]
    no_exchange: bool,
}

impl Journal {
    /// Tests: a journal whose change number `n` fails as if the file system refused it
    /// (permissions cannot make a rename fail for root, which the tests may run as).
    #[cfg(test)]
    pub(super) fn failing_at(n: usize, no_exchange: bool) -> Journal {
        Journal {
            steps: Mutex::default(),
            fail_after: std::sync::atomic::AtomicUsize::new(n),
            no_exchange,
        }
    }

    fn record(&self, step: Step) {
        self.steps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(step);
    }

    /// Tests: fails when the countdown of [`Journal::failing_at`] reaches this change.
    #[cfg(test)]
    fn injected_failure(&self) -> io::Result<()> {
        use std::sync::atomic::Ordering;
        let left = self
            .fail_after
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        match left {
            Ok(1) => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "Permission denied (injected)",
            )),
            _ => Ok(()),
        }
    }

    #[cfg(not(test))]
    fn injected_failure(&self) -> io::Result<()> {
        Ok(())
    }

    /// Moves `from` to `target`, where a regular file is, in one step: no reader sees a
    /// missing or half-written file. On Linux the two are exchanged
    /// (`renameat2(RENAME_EXCHANGE)`), so the old file ends up in the staging folder
    /// (kept for an undo, freed with the folder). A plain rename over a large file
    /// costs more: ext4 writes the new file's data out first (its `auto_da_alloc`),
    /// and frees the old one on the spot. Where exchanging is not supported, the old
    /// file is kept at `aside` through a hard link and the new one renamed over it (still
    /// one step for readers); failing that, it is moved to `aside` first.
    pub(super) fn replace_file(
        &self,
        from: &Path,
        target: &Path,
        aside: PathBuf,
    ) -> io::Result<()> {
        self.injected_failure()?;
        #[cfg(test)]
        let exchange = !self.no_exchange;
        #[cfg(not(test))]
        let exchange = true;
        #[cfg(not(target_os = "linux"))]
        let _ = exchange;
        #[cfg(target_os = "linux")]
        if exchange {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            if renameat_with(CWD, from, CWD, target, RenameFlags::EXCHANGE).is_ok() {
                self.record(Step::Swapped {
                    staged: from.to_path_buf(),
                    target: target.to_path_buf(),
                });
                return Ok(());
            }
        }
        if std::fs::hard_link(target, &aside).is_ok() {
            self.record(Step::MovedAside {
                aside,
                target: target.to_path_buf(),
            });
            return std::fs::rename(from, target);
        }
        self.move_aside(target, aside)?;
        std::fs::rename(from, target)
    }

    /// Moves whatever is at `target` (a file, a symlink or a folder) to `aside`.
    pub(super) fn move_aside(&self, target: &Path, aside: PathBuf) -> io::Result<()> {
        self.injected_failure()?;
        std::fs::rename(target, &aside)?;
        self.record(Step::MovedAside {
            aside,
            target: target.to_path_buf(),
        });
        Ok(())
    }

    /// Notes a folder made for the output's files.
    pub(super) fn made_folder(&self, path: &Path) {
        self.record(Step::MadeFolder {
            path: path.to_path_buf(),
        });
    }

    /// Moves `from` to `target`, where nothing is.
    pub(super) fn add(&self, from: &Path, target: &Path) -> io::Result<()> {
        self.injected_failure()?;
        std::fs::rename(from, target)?;
        self.record(Step::Added {
            target: target.to_path_buf(),
        });
        Ok(())
    }

    /// Undoes every recorded step, the last first. Returns how many could not be
    /// undone (each is tried; one failure does not stop the others).
    pub(super) fn roll_back(self) -> usize {
        let steps = self.steps.into_inner().unwrap_or_else(|e| e.into_inner());
        // Folders last (deepest first), once everything put in them is out again: a
        // thread may record a file in a folder before the thread that made the folder
        // records making it.
        let (folders, files): (Vec<Step>, Vec<Step>) = steps
            .into_iter()
            .partition(|s| matches!(s, Step::MadeFolder { .. }));
        let mut folders = folders;
        folders.sort_by_key(|s| match s {
            Step::MadeFolder { path } => std::cmp::Reverse(path.components().count()),
            _ => std::cmp::Reverse(0),
        });
        // A file moved aside where a folder was made since goes back once the folder is
        // gone again.
        let (later, files): (Vec<Step>, Vec<Step>) = files.into_iter().partition(|s| {
            matches!(s, Step::MovedAside { target, .. }
                if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()))
        });
        let mut failed = 0;
        for step in files
            .into_iter()
            .rev()
            .chain(folders)
            .chain(later.into_iter().rev())
        {
            let undone = match step {
                Step::Swapped { staged, target } => swap(&staged, &target),
                Step::MovedAside { aside, target } => remove_file(&target).and_then(|()| {
                    if let Some(parent) = target.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::rename(&aside, &target)
                }),
                Step::Added { target } => remove_file(&target),
                Step::MadeFolder { path } => match std::fs::remove_dir(&path) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                },
            };
            failed += usize::from(undone.is_err());
        }
        failed
    }
}

/// Exchanges two files again (the undo of an exchange).
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(io::Error::other("files are exchanged only on Linux"))
    }
}

/// Removes the file at `path`, if there is one.
fn remove_file(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
