//! `/api/v1/account`: the caller's own balances, positions, fills and transfers.

use super::market::LimitQuery;
use super::{route, Route};
use crate::auth::Email;
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::ApiRequest;
use crate::server::app::App;
use crate::server::sequencer::ReadSide;
use crate::wire::{WireAccountKind, WireAlertDirection};
use exchange_core::{AccountId, AccountStatus, AccountView, AlertView, Credits, Quantity, Symbol};
use serde::Serialize;
use std::sync::Arc;
use warp::reply::Response;

/// Fills or transfers returned when `limit` is not given.
pub const ROWS_DEFAULT: usize = 100;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(GET "/api/v1/account", Authenticated, account),
        route!(GET "/api/v1/account/fills", Authenticated, fills, query = ["limit"]),
        route!(GET "/api/v1/account/transfers", Authenticated, transfers, query = ["limit"]),
    ]
}

/// An account as the API shows it.
#[derive(Serialize)]
pub struct AccountBody {
    /// Its id.
    pub account_id: AccountId,
    /// Its user's email; `null` for orchestrated accounts.
    pub email: Option<Email>,
    /// Its kind.
    pub kind: WireAccountKind,
    /// `active` or `closed`.
    pub status: &'static str,
    /// Credits free to spend.
    pub credits_available: Credits,
    /// Credits held by resting buy orders.
    pub credits_held: Credits,
    /// Non-empty positions.
    pub positions: Vec<PositionBody>,
    /// Resting orders.
    pub orders_open: u32,
    /// Balance alerts that are set.
    pub alerts: Vec<AlertBody>,
    /// The orchestrator that created it, if any.
    pub orchestrated_by: Option<AccountId>,
}

/// Shares of one ticker.
#[derive(Serialize)]
pub struct PositionBody {
    /// The ticker.
    pub symbol: Symbol,
    /// Shares free to sell.
    pub available: Quantity,
    /// Shares held by resting sell orders.
    pub held: Quantity,
}

/// A balance alert.
#[derive(Serialize)]
pub struct AlertBody {
    /// `below` or `above`.
    pub direction: WireAlertDirection,
    /// The threshold.
    pub threshold: Credits,
    /// Whether it fires on the next crossing.
    pub armed: bool,
}

impl From<AlertView> for AlertBody {
    fn from(alert: AlertView) -> Self {
        Self {
            direction: alert.direction.into(),
            threshold: alert.threshold,
            armed: alert.armed,
        }
    }
}

/// An account view rendered with ticker symbols.
pub fn account_body(side: ReadSide<'_>, view: AccountView, email: Option<Email>) -> AccountBody {
    let positions = view
        .positions
        .iter()
        .filter_map(|position| {
            let symbol = side.state.ticker(position.ticker)?.symbol;
            Some(PositionBody {
                symbol,
                available: position.available,
                held: position.held,
            })
        })
        .collect();
    AccountBody {
        account_id: view.id,
        email,
        kind: view.kind.into(),
        status: match view.status {
            AccountStatus::Active => "active",
            AccountStatus::Closed => "closed",
        },
        credits_available: view.credits_available,
        credits_held: view.credits_held,
        positions,
        orders_open: view.orders_open,
        alerts: view.alerts.into_iter().map(AlertBody::from).collect(),
        orchestrated_by: view.orchestrated_by,
    }
}

/// The caller's account, or 404 if it is gone from the engine (it never is).
pub async fn own_account(app: &App, account: AccountId) -> Result<AccountBody, ApiError> {
    let email = app.auth.user_by_account(account)?.map(|user| user.email);
    app.read(move |side| {
        side.state
            .account(account)
            .map(|view| account_body(side, view, email))
    })
    .await?
    .ok_or_else(|| ApiError::not_found("unknown_account", "the account does not exist"))
}

async fn account(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let body = own_account(&app, request.caller()?.account).await?;
    Ok(reply::ok(&body))
}

async fn fills(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let limit = request.query::<LimitQuery>()?.rows(ROWS_DEFAULT)?;
    let account = request.caller()?.account;
    let fills = app
        .read(move |side| side.history.fills(account, limit))
        .await?;
    Ok(reply::ok(&fills))
}

async fn transfers(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let limit = request.query::<LimitQuery>()?.rows(ROWS_DEFAULT)?;
    let account = request.caller()?.account;
    let transfers = app
        .read(move |side| side.history.transfers(account, limit))
        .await?;
    Ok(reply::ok(&transfers))
}
