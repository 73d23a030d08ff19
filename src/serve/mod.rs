//! `rungs serve`: build into a temporary folder, serve it, watch the site, rebuild what
//! changed and tell open browsers.
//!
//! Three parts: [`watch`] turns file events into [`Edits`], the [`Pipeline`] (the
//! same one `rungs build` runs, kept between edits) turns changes into an updated output
//! folder, and [`http`] serves that folder and pushes a [`http::Status`] to browsers over
//! Server-Sent Events. The status is published once a rebuild has written every page,
//! so a reload never lands on a half-written site; the data exports (framework.json,
//! framework.csv) are written after that, and a request for one waits until it is
//! (`http::AppState::pending`). Serve state is a value owned by the rebuild thread.
//!
//! A panic in a rebuild is caught and reported like a broken edit: the last good site
//! stays up, the pipeline forgets what it cached, and watching goes on.

pub mod http;
pub mod watch;

use std::hash::{BuildHasher, Hasher};
use std::io::{self, IsTerminal};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch as channel;

use crate::diagnostics::{self, Diagnostic, Format, Pos};
use crate::pipeline::{Edits, Outcome, Overrides, PagesWritten, Pipeline, Reload};
use http::{AppState, Overlay, Status};

/// How long open connections may take to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(250);

/// The command line of `rungs serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder (`--root`).
    pub root: PathBuf,
    /// The address to listen on (`--bind`); anything but loopback exposes the preview to
    /// the network.
    pub bind: IpAddr,
    /// The port to listen on (`--port`; 0 for any free port).
    pub port: u16,
    /// Whether to open the site in the default browser once it is served (`--open`).
    pub open: bool,
    /// Whether to poll for changes instead of using OS file events (`--poll`; see
    /// [`watch::Watcher::new`]).
    pub poll: bool,
}

/// Runs the server until Ctrl-C. `Err` means it could not run (exit 2): no site folder, a
/// busy port, a watcher that cannot start.
pub fn run(opts: &ServeOptions) -> io::Result<()> {
    let root = site_root(&opts.root)?;
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr()?;

    let tmp = tempfile::Builder::new()
        .prefix("rungs-serve-")
        .tempdir()
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create a temporary folder for the preview: {e}"),
            )
        })?;
    let out = tmp.path().join("site");
    let mut pipeline = Pipeline::serve(&root, &out, Overrides::default());
    // A test hook: hold the exports back after the pages, to check that requests for
    // them wait (`tests/it/serve.rs`).
    if let Some(ms) = std::env::var("RUNGS_TEST_EXPORTS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        pipeline = pipeline.delay_exports(Duration::from_millis(ms));
    }
    let (status_tx, status_rx) = channel::channel(Status {
        server: server_id(),
        ..Status::default()
    });
    let first = pipeline.run(&Edits::everything())?;
    let mut printer = Printer::default();
    printer.report(&first, "initial build");
    publish(&status_tx, &first, false);
    let (pending_tx, pending_rx) = channel::channel(http::Pending::default());
    release_free_memory();

    let base = if first.base_path.is_empty() {
        "/"
    } else {
        first.base_path.as_str()
    };
    let url = browser_url(addr, base);
    eprintln!(
        "Serving {} at {url} (output in {}); press Ctrl-C to stop",
        root.display(),
        out.display()
    );
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: bound to {}, so other machines can reach this preview",
            opts.bind
        );
    }
    let mut watcher = watch::Watcher::new(&root, opts.poll)
        .map_err(|e| io::Error::other(format!("cannot watch {}: {e}", root.display())))?;
    if opts.open {
        open_browser(&url);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let rebuilder = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match watcher.next(Duration::from_millis(50)) {
                    watch::Next::Idle => {}
                    watch::Next::Closed => break,
                    watch::Next::Edits(edits) => {
                        // Browsers are told as soon as the pages are on disk; requests
                        // for the files still being written wait for them.
                        let mut told = false;
                        let mut pages_written = |w: PagesWritten<'_>| {
                            pending_tx.send_replace(Arc::new(w.pending.iter().cloned().collect()));
                            publish_reload(&status_tx, Reload::after(w.written, w.removed));
                            told = true;
                        };
                        let outcome = rebuild(&mut pipeline, &edits, &mut pages_written);
                        pending_tx.send_replace(http::Pending::default());
                        printer.report(&outcome, &edits.describe());
                        publish(&status_tx, &outcome, told);
                        release_free_memory();
                    }
                }
            }
        })
    };

    let (shutdown_tx, shutdown_rx) = channel::channel(false);
    let state = AppState {
        out: Arc::new(out),
        status: status_rx,
        shutdown: shutdown_rx,
        pending: pending_rx,
    };
    let served = serve_until_interrupted(listener, state, shutdown_tx);
    stop.store(true, Ordering::Relaxed);
    // A rebuild of a large site can take seconds; Ctrl-C does not wait for it.
    let deadline = std::time::Instant::now() + SHUTDOWN_GRACE;
    while !rebuilder.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    if rebuilder.is_finished() {
        let _ = rebuilder.join();
    }
    drop(tmp);
    eprintln!("Stopped serving {}", root.display());
    served
}

/// The site folder, made absolute; `Err` when it is not a rungs site.
fn site_root(root: &std::path::Path) -> io::Result<PathBuf> {
    let root = root.canonicalize().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot open the site folder {}: {e}", root.display()),
        )
    })?;
    if !root.join("content").is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} has no content/ folder; is this a rungs site? (`rungs init` makes one)",
                root.display()
            ),
        ));
    }
    Ok(root)
}

/// Serves the output on its own runtime until Ctrl-C (or SIGTERM), then tells open
/// event streams to end and gives open connections a short grace.
fn serve_until_interrupted(
    listener: TcpListener,
    state: AppState,
    shutdown_tx: channel::Sender<bool>,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let (signalled_tx, mut signalled) = channel::channel(false);
        let server =
            axum::serve(listener, http::router(state)).with_graceful_shutdown(async move {
                interrupted().await;
                let _ = signalled_tx.send(true);
                let _ = shutdown_tx.send(true);
            });
        // Graceful shutdown waits for open connections, and a client that never finishes
        // its request would keep the port forever: after the signal, a short grace.
        tokio::select! {
            r = server => r,
            _ = async {
                let _ = signalled.wait_for(|s| *s).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => Ok(()),
        }
    });
    runtime.shutdown_timeout(Duration::from_millis(100));
    served
}

/// One rebuild, whatever happens: an I/O error (content/ vanishing mid-checkout, an
/// unwritable preview) or a panic becomes a failed outcome with the message as its
/// diagnostic, the last good site stays up, and the next change rebuilds from scratch.
fn rebuild(
    pipeline: &mut Pipeline,
    edits: &Edits,
    pages_written: &mut dyn FnMut(PagesWritten<'_>),
) -> Outcome {
    caught(|| pipeline.run_with(edits, Some(pages_written))).unwrap_or_else(|message| {
        pipeline.forget_output();
        Outcome {
            diags: vec![Diagnostic::error("content", Pos::START, message)],
            ..Outcome::default()
        }
    })
}

/// Runs one rebuild; an `Err` or a panic becomes a message saying what happened.
fn caught(run: impl FnOnce() -> io::Result<Outcome>) -> Result<Outcome, String> {
    Err(
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
            Ok(Ok(outcome)) => return Ok(outcome),
            Ok(Err(e)) => format!("cannot rebuild the preview: {e}"),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".into());
                format!("rungs failed while rebuilding (a bug; please report it): {what}")
            }
        },
    )
}

/// Binds before building, so a busy port fails fast with a message naming the flag.
fn bind(ip: IpAddr, port: u16) -> io::Result<TcpListener> {
    let listener = TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => io::Error::new(
            e.kind(),
            format!("port {port} on {ip} is already in use; choose another with --port (for example --port {})", port.wrapping_add(1).max(1024)),
        ),
        io::ErrorKind::AddrNotAvailable => io::Error::new(
            e.kind(),
            format!("cannot bind to {ip}: no such address on this machine; check --bind"),
        ),
        _ => io::Error::new(e.kind(), format!("cannot listen on {ip}:{port}: {e}")),
    })?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Waits for Ctrl-C (or SIGTERM on Unix).
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The URL to open: a wildcard bind is reachable through loopback.
fn browser_url(addr: SocketAddr, base: &str) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v) if v.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v) if v.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        ip => ip,
    };
    format!("http://{}{base}", SocketAddr::new(ip, addr.port()))
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", "", url]
    } else {
        vec!["xdg-open", url]
    };
    if let Err(e) = std::process::Command::new(cmd[0])
        .args(&cmd[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!(
            "warning: cannot open a browser ({}: {e}); open {url} yourself",
            cmd[0]
        );
    }
}

/// A random id for this server process, so pages notice a restart.
fn server_id() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

/// Gives the memory a rebuild freed back to the system, once the browsers are told. glibc
/// keeps freed chunks in its heaps, so a server that lives for hours would otherwise grow
/// edit by edit (35 MiB over 20 behaviour edits at 10,000 pages). Other allocators
/// return memory themselves or offer no such call.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks glibc's own heaps and has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Tells browsers to react to `reload`: the pages of a rebuild are on disk, so the
/// rebuild found no errors, and the overlay of an earlier broken edit goes with the
/// same event.
fn publish_reload(tx: &channel::Sender<Status>, reload: Reload) {
    tx.send_if_modified(|s| {
        let cleared = s.errors.take().is_some();
        bump(s, reload) || cleared
    });
}

/// Counts a change browsers should react to; whether there was one.
fn bump(s: &mut Status, reload: Reload) -> bool {
    if reload == Reload::None {
        return false;
    }
    s.seq += 1;
    if reload == Reload::Full {
        s.full = s.seq;
    }
    true
}

/// Tells browsers about a rebuild, if it changed anything they show (unless they were
/// `told` when its pages were written: what it wrote after them, the data exports, is
/// not shown by any page).
fn publish(tx: &channel::Sender<Status>, outcome: &Outcome, told: bool) {
    let errors = (!outcome.ok).then(|| Overlay {
        summary: diagnostics::summary(&outcome.diags),
        list: outcome
            .diags
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect(),
        text: diagnostics::render(&outcome.diags, &outcome.sources, Format::Human, false),
    });
    let reload = if told { Reload::None } else { outcome.reload() };
    tx.send_if_modified(|s| {
        let before = s.clone();
        bump(s, reload);
        s.errors = errors;
        if outcome.ok {
            s.base.clone_from(&outcome.base_path);
        }
        *s != before
    });
}

/// Prints one line per rebuild, and diagnostics when there are errors or the warnings
/// changed (so an unchanged warning is not repeated on every save).
#[derive(Default)]
struct Printer {
    last_diags: Vec<diagnostics::Diagnostic>,
}

impl Printer {
    fn report(&mut self, o: &Outcome, what: &str) {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        if o.has_errors() || o.diags != self.last_diags {
            eprint!(
                "{}",
                diagnostics::render(&o.diags, &o.sources, Format::Human, color)
            );
        }
        self.last_diags = o.diags.clone();
        let ms = o.elapsed.as_secs_f64() * 1000.0;
        if o.ok {
            eprintln!(
                "{what}: {} of {} pages re-rendered{}, {} files written, {} removed in {ms:.1} ms{}",
                o.rendered,
                o.pages,
                o.pages_written
                    .map(|d| format!(" (browsers told after {:.1} ms)", d.as_secs_f64() * 1000.0))
                    .unwrap_or_default(),
                o.written.len(),
                o.removed.len(),
                if o.diags.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", diagnostics::summary(&o.diags))
                }
            );
        } else {
            eprintln!(
                "{what}: build failed ({}) in {ms:.1} ms; still serving the last good site",
                diagnostics::summary(&o.diags)
            );
        }
        if std::env::var_os("RUNGS_TIMINGS").is_some() {
            eprint!("{}", o.timings.describe());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_rebuild_is_reported_like_a_broken_edit() {
        let message = caught(|| panic!("boom")).unwrap_err();
        assert!(
            message.contains("boom") && message.contains("a bug"),
            "{message}"
        );
        let message = caught(|| Err(io::Error::other("disk full"))).unwrap_err();
        assert!(message.contains("disk full"), "{message}");
    }

    #[test]
    fn serving_goes_on_after_a_failed_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        crate::init::init(&root).unwrap();
        let mut pipeline = Pipeline::serve(&root, &dir.path().join("out"), Overrides::default());
        assert!(pipeline.run(&Edits::everything()).unwrap().ok);
        // content/ vanishes mid-checkout: a failed rebuild, not an exit.
        std::fs::rename(root.join("content"), dir.path().join("away")).unwrap();
        let failed = rebuild(&mut pipeline, &Edits::everything(), &mut |_| {});
        assert!(!failed.ok && failed.diags[0].message.contains("no content/ folder"));
        std::fs::rename(dir.path().join("away"), root.join("content")).unwrap();
        assert!(rebuild(&mut pipeline, &Edits::everything(), &mut |_| {}).ok);
    }
}
