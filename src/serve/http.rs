//! The dev server's HTTP side: the output folder through tower-http's `ServeDir` (which
//! refuses `..`, percent-encoded traversal and absolute paths, and handles MIME types and
//! HEAD), the base path and every redirect (`under_base`), the theme's 404 page, the live-reload client injected into HTML
//! responses, and Server-Sent Events at [`EVENTS`].
//!
//! The output folder only ever holds files rungs wrote (never symlinks), so serving it
//! cannot lead outside it.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::watch;
use tower_http::services::ServeDir;

use crate::diagnostics::Diagnostic;

/// Where browsers listen for rebuilds.
pub const EVENTS: &str = "/__rungs/events";
/// The injected client.
pub const CLIENT: &str = "/__rungs/livereload.js";
const CLIENT_JS: &str = include_str!("livereload.js");

/// Largest HTML page the injector buffers (bigger pages are served without the client).
const MAX_HTML: usize = 64 << 20;

/// What browsers are told after each rebuild.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Status {
    /// Identifies this server process, so a page can tell that the server restarted.
    pub server: String,
    /// Bumped whenever the output changed.
    pub seq: u64,
    /// The `seq` of the last change that was more than stylesheets.
    pub full: u64,
    /// The diagnostics of a failed rebuild (the last good output is still served).
    pub errors: Option<Overlay>,
    /// The path the site is served under, from `base_url` (`/`, or `/careers/`), so the
    /// preview has the URLs the published site will have.
    #[serde(skip)]
    pub base: String,
}

/// The error overlay's content: the same diagnostics the terminal shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Overlay {
    /// The counts, such as `2 errors, 1 warning`.
    pub summary: String,
    /// The errors (warnings are left out).
    pub list: Vec<Diagnostic>,
    /// The terminal's rendering, without colour. Shown as text, never parsed as HTML.
    pub text: String,
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The output folder served.
    pub out: Arc<PathBuf>,
    /// The latest status, published after each rebuild has written everything.
    pub status: watch::Receiver<Status>,
    /// Becomes `true` when the server shuts down, which ends open event streams.
    pub shutdown: watch::Receiver<bool>,
    /// Output paths a rebuild is still writing after it told browsers to reload (the
    /// data exports): a request for one waits until it is written.
    pub pending: watch::Receiver<Pending>,
}

/// See [`AppState::pending`].
pub type Pending = Arc<std::collections::BTreeSet<String>>;

/// The longest a request waits for a pending file (a rebuild that takes longer is
/// answered with the previous version rather than held open).
const PENDING_WAIT: Duration = Duration::from_secs(30);

/// The router serving the output folder.
pub fn router(state: AppState) -> Router {
    let not_found = any(not_found).with_state(state.clone());
    let files = ServeDir::new(state.out.as_path())
        .append_index_html_on_directories(true)
        .not_found_service(not_found);
    Router::new()
        .route(EVENTS, get(events))
        .route(CLIENT, get(client))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), under_base))
        .layer(middleware::from_fn_with_state(state.clone(), inject))
        .with_state(state)
}

/// Serves the site under its base path: `/careers/x/` is the output's `x/`; `/` (and
/// the base path without its slash) redirect to the base path; anything else outside it
/// is the 404 page.
///
/// Every redirect is made here, to a path that starts with the base path (so with a
/// single `/`: never protocol-relative, never off this origin), percent-encoded. A
/// request for a folder without its trailing slash is redirected here too, rather than
/// by `ServeDir`, which knows nothing of the base path. Paths with an empty segment
/// (`//x`) or a backslash are never the site's: they are the 404 page.
async fn under_base(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let base = state.status.borrow().base.clone();
    let base = if base.is_empty() {
        "/".to_string()
    } else {
        base
    };
    let raw = req.uri().path();
    if raw.starts_with("/__rungs/") {
        return next.run(req).await;
    }
    let path = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let base_decoded = percent_encoding::percent_decode_str(&base)
        .decode_utf8_lossy()
        .into_owned();
    if path.contains("//") || path.contains('\\') {
        return not_found(State(state)).await;
    }
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    if base.len() > 1 && (path == "/" || path == base_decoded.trim_end_matches('/')) {
        return redirect(&format!("{base}{query}"));
    }
    let Some(rest) = path.strip_prefix(base_decoded.as_str()) else {
        return not_found(State(state)).await;
    };
    if rest.split('/').any(|seg| seg == "..") {
        return not_found(State(state)).await;
    }
    if state.pending.borrow().contains(rest) {
        let mut pending = state.pending.clone();
        let _ = tokio::time::timeout(PENDING_WAIT, pending.wait_for(|p| !p.contains(rest))).await;
    }
    let rest_encoded = crate::config::encode_path(rest);
    if !rest.is_empty() && !rest.ends_with('/') && state.out.join(rest).is_dir() {
        return redirect(&format!("{base}{rest_encoded}/{query}"));
    }
    match format!("/{rest_encoded}{query}").parse() {
        Ok(uri) => {
            *req.uri_mut() = uri;
            next.run(req).await
        }
        Err(_) => not_found(State(state)).await,
    }
}

/// A temporary redirect to `location`, a path on this origin (starting with one `/`).
fn redirect(location: &str) -> Response {
    debug_assert!(location.starts_with('/') && !location.starts_with("//"));
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The theme's 404 page; before the first successful build there is none, so a stand-in
/// page carries the client (and with it the error overlay).
async fn not_found(State(state): State<AppState>) -> Response {
    let body = match tokio::fs::read(state.out.join("404.html")).await {
        Ok(b) => b,
        Err(_) => NO_SITE_YET.as_bytes().to_vec(),
    };
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

const NO_SITE_YET: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>rungs has no successful build to show yet; fix the errors it reports and this page reloads.</p></body></html>\n";

async fn client() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        CLIENT_JS,
    )
}

/// Adds the live-reload client to HTML pages (the 404 page included) and keeps browsers
/// from caching anything, so a reload always shows the new output.
async fn inject(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let head = req.method() == Method::HEAD;
    // Every answer is the whole file: a range of an HTML page would count bytes of a
    // page without the client, and a preview has no use for ranges.
    req.headers_mut().remove(header::RANGE);
    req.headers_mut().remove(header::IF_RANGE);
    let (server, seq) = {
        let s = state.status.borrow();
        (s.server.clone(), s.seq)
    };
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().remove(header::ACCEPT_RANGES);
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || !matches!(res.status(), StatusCode::OK | StatusCode::NOT_FOUND) {
        return res;
    }
    let tag = format!(
        r#"<script src="{CLIENT}" data-server="{server}" data-seq="{seq}" defer></script>"#
    );
    let (mut parts, body) = res.into_parts();
    parts.headers.remove(header::LAST_MODIFIED);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::ACCEPT_RANGES);
    let len = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if head {
        if let Some(n) = len {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, (n + tag.len()).into());
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(body, MAX_HTML).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(with_client(&bytes, &tag)))
}

/// `html` with `tag` before its last `</body>`, or at the end if there is none.
pub fn with_client(html: &[u8], tag: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn message(s: &Status) -> Event {
    Event::default().data(serde_json::to_string(s).unwrap_or_else(|_| "{}".into()))
}

/// One SSE stream per open page: the current status at once, then every change, until
/// the server shuts down (which must end the stream, or graceful shutdown would wait on it).
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let init = (state.status, state.shutdown, true);
    let stream = futures_util::stream::unfold(init, |(mut rx, mut stop, first)| async move {
        if first {
            let ev = message(&rx.borrow_and_update()).retry(Duration::from_millis(500));
            return Some((Ok(ev), (rx, stop, false)));
        }
        let stopped = tokio::select! {
            r = rx.changed() => r.is_err(),
            _ = stop.wait_for(|s| *s) => true,
        };
        if stopped {
            return None;
        }
        let ev = message(&rx.borrow_and_update());
        Some((Ok(ev), (rx, stop, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_the_client_before_the_closing_body_tag() {
        let out = with_client(b"<html><body><p>x</p></BODY></html>", "<s>");
        assert_eq!(out, b"<html><body><p>x</p><s></BODY></html>");
        assert_eq!(with_client(b"<p>bare</p>", "<s>"), b"<p>bare</p><s>");
    }
}
