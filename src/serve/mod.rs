//! `pol serve PACKAGE`: the package over HTTP, and a caseworker's page.
//!
//! The package is checked once at start (and again on a change with
//! `--reload`, keeping the last good version while the new one has
//! errors). Every request is answered from that checked package: no request
//! names a file the server reads. Bodies are limited in size, evaluations
//! run on the blocking pool under a time limit and a bound on how many run
//! at once, and every bad request gets a JSON error with a 4xx status.

pub mod api;

use crate::check::Checked;
use crate::i18n::tr;
use crate::package::{self, Failure};
use api::{ApiError, Query};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value as Json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The largest body of a case or a what-if.
pub const CASE_BYTES: usize = 1 << 20;
/// The largest body of a batch.
pub const BATCH_BYTES: usize = 64 << 20;
/// How long one evaluation may take before its request is answered 503.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// A checked package and what is served from it unchanged.
pub struct Loaded {
    pub checked: Checked,
    spec: Json,
    examples: Json,
}

impl Loaded {
    fn new(checked: Checked, path: &Path) -> Loaded {
        let spec = api::spec(&checked);
        let examples = Json::Array(examples(&checked, path));
        Loaded {
            checked,
            spec,
            examples,
        }
    }
}

/// The example cases of a package (the `.json` files of its `cases/`
/// directory, read at start), each with its name, where they read as cases.
fn examples(checked: &Checked, path: &Path) -> Vec<Json> {
    let dir = path.join("cases");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| {
            let text = crate::files::read_text(f, crate::files::MAX_TEXT_BYTES).ok()?;
            crate::eval::case::from_json_text(checked.program(), &text).ok()?;
            let case: Json = serde_json::from_str(&text).ok()?;
            let name = f.file_stem()?.to_string_lossy().into_owned();
            Some(serde_json::json!({"name": name, "case": case}))
        })
        .collect()
}

/// The server's state: the package being served, and the permits of
/// evaluations that may run at once.
pub struct Server {
    path: PathBuf,
    current: RwLock<Arc<Loaded>>,
    permits: tokio::sync::Semaphore,
}

impl Server {
    pub fn new(path: &Path, checked: Checked) -> Server {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        Server {
            path: path.to_path_buf(),
            current: RwLock::new(Arc::new(Loaded::new(checked, path))),
            permits: tokio::sync::Semaphore::new(workers * 4),
        }
    }

    fn loaded(&self) -> Arc<Loaded> {
        match self.current.read() {
            Ok(l) => l.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, loaded: Loaded) {
        let mut slot = match self.current.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(loaded);
    }
}

fn error_response(e: &ApiError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(e.json())).into_response()
}

/// A body that could not be read: 413 beyond the limit, else 400.
fn body_error(r: BytesRejection, limit: usize) -> ApiError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            413,
            "pol::serve::too_large",
            tr!("serve-text-1", limit = (limit >> 10).to_string()),
        )
    } else {
        ApiError::new(
            400,
            "pol::serve::body",
            tr!("serve-text-2", body_text = (r.body_text()).to_string()),
        )
    }
}

fn query_of(raw: Option<String>) -> Result<Query, ApiError> {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded_pairs(&raw)?;
    Query::parse(&pairs)
}

/// `a=1&b=two%20words` as pairs.
fn serde_urlencoded_pairs(raw: &str) -> Result<Vec<(String, String)>, ApiError> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{raw}")
            .parse()
            .map_err(|_| ApiError::new(400, "pol::serve::query", tr!("serve-text-3")))?,
    )
    .map(|q| q.0)
    .map_err(|e| {
        ApiError::new(
            400,
            "pol::serve::query",
            tr!("serve-text-4", e = e.to_string()),
        )
    })
}

/// Runs `work` on the blocking pool, under the time limit and a permit.
async fn evaluate_with(
    server: Arc<Server>,
    work: impl FnOnce(&Loaded) -> Result<Json, ApiError> + Send + 'static,
) -> Response {
    let Ok(_permit) = server.permits.acquire().await else {
        return error_response(&ApiError::new(503, "pol::serve::busy", tr!("serve-text-5")));
    };
    let loaded = server.loaded();
    let job = tokio::task::spawn_blocking(move || work(&loaded));
    match tokio::time::timeout(TIME_LIMIT, job).await {
        Err(_) => error_response(&ApiError::new(
            503,
            "pol::serve::time_limit",
            tr!("serve-text-6", as_secs = (TIME_LIMIT.as_secs()).to_string()),
        )),
        Ok(Err(e)) => error_response(&ApiError::new(
            500,
            "pol::serve::internal",
            tr!("serve-text-7", e = e.to_string()),
        )),
        Ok(Ok(Err(e))) => error_response(&e),
        Ok(Ok(Ok(json))) => axum::Json(json).into_response(),
    }
}

/// The body and the query of a request, or what is wrong with them. `no_explain`
/// says why `?explain` is refused, for endpoints without explanations.
fn parts(
    body: Result<Bytes, BytesRejection>,
    raw: Option<String>,
    limit: usize,
    no_explain: Option<&str>,
) -> Result<(Bytes, Query), ApiError> {
    let body = body.map_err(|r| body_error(r, limit))?;
    let query = query_of(raw)?;
    if let Some(why) = no_explain
        && query.explain
    {
        return Err(ApiError::new(400, "pol::serve::query", why));
    }
    Ok((body, query))
}

async fn evaluate(
    State(server): State<Arc<Server>>,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match parts(body, raw, CASE_BYTES, None) {
        Ok((body, query)) => {
            evaluate_with(server, move |l| api::evaluate(&l.checked, &body, &query)).await
        }
        Err(e) => error_response(&e),
    }
}

async fn whatif(
    State(server): State<Arc<Server>>,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let why = tr!("serve-text-8");
    match parts(body, raw, CASE_BYTES, Some(&why)) {
        Ok((body, query)) => {
            evaluate_with(server, move |l| api::whatif(&l.checked, &body, &query)).await
        }
        Err(e) => error_response(&e),
    }
}

/// `POST /api/batch`: JSONL cases in, one JSONL row of results per case
/// out, in order, as `pol eval --cases FILE.jsonl` writes them; the rows
/// are sent as they are evaluated.
async fn batch(
    State(server): State<Arc<Server>>,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let why = tr!("serve-text-9");
    let (body, query) = match parts(body, raw, BATCH_BYTES, Some(&why)) {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    let loaded = server.loaded();
    // The names are checked before the answer starts.
    if let Some(names) = &query.results
        && let Err(e) = crate::eval::Plan::new(&loaded.checked).select(names)
    {
        return error_response(&ApiError::new(404, "pol::serve::no_result", e));
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(8);
    tokio::task::spawn_blocking(move || {
        let plan = crate::eval::Plan::new(&loaded.checked);
        let plan = match &query.results {
            Some(names) => match plan.select(names) {
                Ok(p) => p,
                Err(_) => return,
            },
            None => plan,
        };
        let batch = crate::batch::Batch::of_plan(plan, query.on);
        let mut out = Channel {
            tx: tx.clone(),
            buf: Vec::new(),
        };
        let input: &[u8] = &body;
        if let Err(e) = crate::batch::run(
            &batch,
            crate::batch::Format::Jsonl,
            input,
            &mut out,
            &|_| {},
        ) {
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A writer that sends what it is given down a channel, a block at a time.
struct Channel {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    buf: Vec<u8>,
}

impl std::io::Write for Channel {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 << 10 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::take(&mut self.buf);
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

async fn spec(State(server): State<Arc<Server>>) -> Response {
    axum::Json(server.loaded().spec.clone()).into_response()
}

async fn examples_of(State(server): State<Arc<Server>>) -> Response {
    axum::Json(server.loaded().examples.clone()).into_response()
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

async fn page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("page/index.html"),
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("page/page.js"),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("page/page.css"),
    )
        .into_response()
}

async fn not_found(uri: axum::http::Uri) -> Response {
    error_response(&ApiError::new(
        404,
        "pol::serve::not_found",
        tr!("serve-text-10", path = (uri.path()).to_string()),
    ))
}

async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    error_response(&ApiError::new(
        405,
        "pol::serve::method",
        tr!(
            "serve-text-11",
            method = method.to_string(),
            path = (uri.path()).to_string()
        ),
    ))
}

/// The routes of the server.
pub fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/", get(page).fallback(wrong_method))
        .route("/page.js", get(script).fallback(wrong_method))
        .route("/page.css", get(style).fallback(wrong_method))
        .route(
            "/favicon.ico",
            get(|| async { StatusCode::NO_CONTENT }).fallback(wrong_method),
        )
        .route("/api/spec", get(spec).fallback(wrong_method))
        .route("/api/openapi.json", get(openapi).fallback(wrong_method))
        .route("/api/examples", get(examples_of).fallback(wrong_method))
        .route("/api/evaluate", post(evaluate).fallback(wrong_method))
        .route("/api/whatif", post(whatif).fallback(wrong_method))
        .route(
            "/api/batch",
            post(batch)
                .fallback(wrong_method)
                .layer(DefaultBodyLimit::max(BATCH_BYTES)),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(CASE_BYTES))
        .with_state(server)
}

/// What the package's files are now: their names, sizes and times.
fn fingerprint(path: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut files = package::files(path).unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f).ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            (f, len, modified)
        })
        .collect()
}

/// `--reload`: checks the package again when its files change; the new
/// version is served once it checks, the last good one until then.
async fn watch(server: Arc<Server>) {
    let mut seen = fingerprint(&server.path);
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = {
            let path = server.path.clone();
            tokio::task::spawn_blocking(move || fingerprint(&path))
                .await
                .unwrap_or_default()
        };
        if now == seen {
            continue;
        }
        seen = now;
        let path = server.path.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            package::load(&path).map(|checked| Loaded::new(checked, &path))
        })
        .await;
        match loaded {
            Ok(Ok(l)) => {
                server.replace(l);
                eprintln!("reloaded {}", server.path.display());
            }
            Ok(Err(f)) => {
                match &f {
                    Failure::Load(e) => eprintln!("error: {e}"),
                    Failure::Program(sources, diags) => eprint!(
                        "{}",
                        crate::diagnostic::render_all(
                            diags,
                            sources,
                            crate::diagnostic::RenderOptions::plain()
                        )
                    ),
                }
                eprintln!(
                    "{}",
                    tr!("serve-text-12", path = (server.path.display()).to_string())
                );
            }
            Err(_) => {}
        }
    }
}

/// Why the server did not run.
pub enum ServeError {
    /// The package does not check (exit 1).
    Package(Failure),
    /// The address cannot be listened on, or the runtime cannot start (exit 2).
    Start(String),
}

/// Checks the package, listens on `addr`, and serves until Ctrl-C. The
/// line `serving PATH on http://ADDR` is printed on stdout once it listens
/// (with the port the system chose, for port 0).
pub fn run(path: &Path, addr: SocketAddr, reload: bool) -> Result<(), ServeError> {
    let checked = package::load(path).map_err(ServeError::Package)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(crate::eval::STACK_BYTES / 4)
        .build()
        .map_err(|e| ServeError::Start(tr!("serve-text-13", e = e.to_string())))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            ServeError::Start(tr!(
                "serve-text-14",
                addr = addr.to_string(),
                e = e.to_string()
            ))
        })?;
        let local = listener.local_addr().map_err(|e| {
            ServeError::Start(tr!(
                "serve-text-15",
                addr = addr.to_string(),
                e = e.to_string()
            ))
        })?;
        let server = Arc::new(Server::new(path, checked));
        if reload {
            tokio::spawn(watch(server.clone()));
        }
        println!(
            "{}",
            tr!(
                "serve-text-16",
                path = (path.display()).to_string(),
                local = local.to_string()
            )
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, router(server))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| ServeError::Start(tr!("serve-text-17", e = e.to_string())))
    })
}
