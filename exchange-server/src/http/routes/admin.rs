//! `/api/v1/admin`: listing and opening or closing tickers, depositing credits and issuing
//! shares. The engine checks that the caller is an admin account (403 `not_admin`).

use super::market::{summary, ticker_id};
use super::transfers::user_account;
use super::{route, Route};
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::ApiRequest;
use crate::server::app::{now_ms, App};
use crate::wire::WireTickerStatus;
use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Quantity, Rejection, Symbol,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use warp::reply::Response;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(POST "/api/v1/admin/tickers", Authenticated, create_ticker),
        route!(PUT "/api/v1/admin/tickers/{symbol}/status", Authenticated, set_status),
        route!(POST "/api/v1/admin/deposits", Authenticated, deposit),
        route!(POST "/api/v1/admin/shares", Authenticated, issue_shares),
    ]
}

/// `POST /admin/tickers` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTicker {
    symbol: String,
}

async fn create_ticker(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let NewTicker { symbol } = request.json()?;
    let symbol = Symbol::new(&symbol)
        .map_err(|error| ApiError::bad_request("invalid_symbol", error.to_string()))?;
    let caller = request.caller()?.account;
    let command = Command::by(caller, Action::CreateTicker { symbol });
    execute_and_answer_ticker(&app, command, symbol, reply::created).await
}

/// `PUT /admin/tickers/{symbol}/status` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetStatus {
    status: WireTickerStatus,
}

async fn set_status(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = super::market::symbol_param(&request)?;
    let SetStatus { status } = request.json()?;
    let caller = request.caller()?.account;
    let ticker = app.read(move |side| ticker_id(side, symbol)).await??;
    let action = Action::SetTickerStatus {
        ticker,
        status: status.into(),
    };
    execute_and_answer_ticker(&app, Command::by(caller, action), symbol, reply::ok).await
}

/// Executes a ticker command and answers with the ticker's summary as the command's batch
/// left it, made on the sequencer in the same trip.
async fn execute_and_answer_ticker(
    app: &App,
    command: Command,
    symbol: Symbol,
    respond: fn(&super::market::TickerSummary) -> Response,
) -> Result<Response, ApiError> {
    let now = now_ms();
    let summary = app
        .execute_then(command, move |_, side| {
            let id = ticker_id(side, symbol)?;
            summary(side, id, now).ok_or_else(|| ApiError::not_found("unknown_ticker", "gone"))
        })
        .await??;
    Ok(respond(&summary))
}

/// Who receives a deposit or shares: a user by email, or any account by id.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deposit {
    email: Option<String>,
    account_id: Option<u32>,
    amount: u64,
}

/// `POST /admin/shares` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Issue {
    email: Option<String>,
    account_id: Option<u32>,
    ticker: String,
    quantity: u64,
}

/// The sequence number of what an admin command did.
#[derive(Serialize)]
struct SeqBody {
    seq: u64,
}

/// The target account: exactly one of `email` and `account_id`.
fn target(app: &App, email: Option<&str>, account_id: Option<u32>) -> Result<AccountId, ApiError> {
    match (email, account_id) {
        (Some(email), None) => user_account(app, email),
        (None, Some(id)) => Ok(AccountId(id)),
        _ => Err(ApiError::invalid(
            "give exactly one of `email` and `account_id`",
        )),
    }
}

/// 403 `not_admin` unless the caller is an admin, checked before anything is looked up
/// so that non-admins learn nothing about other users. The engine checks again.
async fn require_admin(app: &App, caller: AccountId) -> Result<(), ApiError> {
    let kind = app
        .read(move |side| side.state.account(caller).map(|view| view.kind))
        .await?;
    match kind {
        Some(AccountKind::Admin) => Ok(()),
        _ => Err(Rejection::NotAdmin(caller).into()),
    }
}

async fn deposit(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let body: Deposit = request.json()?;
    let caller = request.caller()?.account;
    require_admin(&app, caller).await?;
    let account = target(&app, body.email.as_deref(), body.account_id)?;
    let action = Action::DepositCredits {
        account,
        amount: Credits(body.amount),
    };
    let record = app.execute(Command::by(caller, action)).await?;
    Ok(reply::created(&SeqBody { seq: record.seq }))
}

async fn issue_shares(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let body: Issue = request.json()?;
    let caller = request.caller()?.account;
    require_admin(&app, caller).await?;
    let account = target(&app, body.email.as_deref(), body.account_id)?;
    let symbol = Symbol::new(&body.ticker)
        .map_err(|error| ApiError::bad_request("invalid_symbol", error.to_string()))?;
    let ticker = app.read(move |side| ticker_id(side, symbol)).await??;
    let action = Action::IssueShares {
        account,
        ticker,
        quantity: Quantity(body.quantity),
    };
    let record = app.execute(Command::by(caller, action)).await?;
    Ok(reply::created(&SeqBody { seq: record.seq }))
}
