//! Operations routes: `/health` and `/metrics`.

use super::reply;
use crate::server::app::App;
use serde::Serialize;
use warp::http::StatusCode;
use warp::reply::Response;

/// The health body.
#[derive(Serialize)]
struct Health {
    status: &'static str,
    seq: u64,
}

/// 200 `{"status":"ok","seq"}` while commands are accepted; 503 `unavailable` once the
/// log failed or the sequencer stopped.
pub async fn health(app: &App) -> Response {
    let seq = app.read(|side| side.seq).await;
    match seq {
        Ok(seq) if !app.sequencer.failed() => reply::ok(&Health { status: "ok", seq }),
        Ok(_) => super::error::ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the event log failed; the exchange accepts no commands",
        )
        .into_response(),
        Err(error) => error.into_response(),
    }
}

/// The Prometheus text exposition.
pub fn metrics(app: &App) -> Response {
    app.metrics
        .queue_depth
        .set(i64::try_from(app.sequencer.queued()).unwrap_or(i64::MAX));
    app.metrics
        .connections_open
        .set(i64::try_from(app.connections.open_count()).unwrap_or(i64::MAX));
    reply::text(
        StatusCode::OK,
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
        app.metrics.render(app.hub.stats()),
    )
}
