//! `/api/v1/alerts`: balance alerts on the caller's own account.

use super::account::AlertBody;
use super::{route, Route};
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::{json_integer, ApiRequest};
use crate::server::app::App;
use crate::wire::WireAlertDirection;
use exchange_core::{Action, AlertDirection, Command, Credits};
use serde::Deserialize;
use std::sync::Arc;
use warp::reply::Response;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(GET "/api/v1/alerts", Authenticated, list),
        route!(PUT "/api/v1/alerts/{direction}", Authenticated, set),
        route!(DELETE "/api/v1/alerts/{direction}", Authenticated, clear),
    ]
}

/// `PUT /alerts/{direction}` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetAlert {
    threshold: u64,
}

/// The direction named by the path.
fn direction(request: &ApiRequest) -> Result<AlertDirection, ApiError> {
    let raw = request.params.first().map_or("", String::as_str);
    let wire: WireAlertDirection =
        serde_json::from_value(serde_json::Value::from(raw)).map_err(|_| {
            ApiError::invalid(format!(
                "the direction must be `below` or `above`, not `{raw}`"
            ))
        })?;
    Ok(wire.into())
}

async fn list(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let account = request.caller()?.account;
    let alerts: Vec<AlertBody> = app
        .read(move |side| {
            side.state
                .account(account)
                .map(|view| view.alerts.into_iter().map(AlertBody::from).collect())
                .unwrap_or_default()
        })
        .await?;
    Ok(reply::ok(&alerts))
}

async fn set(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let direction = direction(&request)?;
    let SetAlert { threshold } = request.json()?;
    let threshold = json_integer("threshold", threshold)?;
    let account = request.caller()?.account;
    let action = Action::SetAlert {
        direction,
        threshold: Credits(threshold),
    };
    let alert = app
        .execute_then(Command::by(account, action), move |_, side| {
            side.state
                .account(account)
                .and_then(|view| view.alerts.into_iter().find(|a| a.direction == direction))
        })
        .await?
        .ok_or_else(|| ApiError::internal("setting the alert", &"the alert is not set"))?;
    Ok(reply::ok(&AlertBody::from(alert)))
}

async fn clear(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let direction = direction(&request)?;
    let account = request.caller()?.account;
    app.execute(Command::by(account, Action::ClearAlert { direction }))
        .await?;
    Ok(reply::no_content())
}
