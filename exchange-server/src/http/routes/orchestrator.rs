//! `/api/v1/orchestrator`: an orchestrator's own accounts, funded from its credits.
//!
//! An orchestrated account has no email or password. Creating one returns an API token
//! for it, which the orchestrator hands to the bot that trades with it. Liquidating it
//! closes it in the engine and revokes its tokens.

use super::account::{account_body, AccountBody};
use super::{route, Route};
use crate::http::blocking;
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::ApiRequest;
use crate::server::app::{now_ms, App};
use exchange_core::log::{Entry, Record};
use exchange_core::{AccountId, AccountKind, Action, Command, Credits, Event, Rejection};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use warp::reply::Response;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(POST "/api/v1/orchestrator/accounts", Authenticated, create),
        route!(GET "/api/v1/orchestrator/accounts", Authenticated, list),
        route!(POST "/api/v1/orchestrator/accounts/{id}/liquidate", Authenticated, liquidate),
        route!(POST "/api/v1/orchestrator/liquidate-all", Authenticated, liquidate_all),
    ]
}

/// `POST /orchestrator/accounts` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    initial_credits: u64,
    token_name: Option<String>,
}

/// A new orchestrated account and its token (shown once).
#[derive(Serialize)]
struct CreatedBody {
    seq: u64,
    account_id: AccountId,
    token: String,
}

async fn create(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let NewAccount {
        initial_credits,
        token_name,
    } = request.json()?;
    let orchestrator = request.caller()?.account;
    let name = token_name.unwrap_or_else(|| format!("orchestrated by {}", orchestrator.0));
    // Checked before the account is created: a refused name must change nothing.
    crate::auth::check_token_name(&name)?;
    let action = Action::CreateOrchestratedAccount {
        initial_credits: Credits(initial_credits),
    };
    let record = app.execute(Command::by(orchestrator, action)).await?;
    let account = crate::involvement::created_account(&record)
        .ok_or_else(|| ApiError::internal("creating the account", &"no account was created"))?;
    let auth = app.auth.clone();
    let (secret, _) = blocking("creating the account's token", move || {
        auth.create_api_token(account, &name, now_ms())
    })
    .await?;
    Ok(reply::created(&CreatedBody {
        seq: record.seq,
        account_id: account,
        token: secret.as_str().to_owned(),
    }))
}

/// The caller's orchestrated accounts; 403 `not_orchestrator` for any other kind of account,
/// as the orchestrator's other routes answer.
async fn list(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let orchestrator = request.caller()?.account;
    let accounts: Result<Vec<AccountBody>, Rejection> = app
        .read(move |side| {
            let kind = side.state.account(orchestrator).map(|view| view.kind);
            if kind != Some(AccountKind::Orchestrator) {
                return Err(Rejection::NotOrchestrator(orchestrator));
            }
            let accounts = side.state.accounts().into_iter();
            Ok(accounts
                .filter(|view| view.orchestrated_by == Some(orchestrator))
                .map(|view| account_body(side, view, None))
                .collect())
        })
        .await?;
    Ok(reply::ok(&accounts?))
}

/// What a liquidation did.
#[derive(Serialize)]
struct LiquidatedBody {
    seq: u64,
    liquidated: Vec<AccountId>,
}

async fn liquidate(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let account = AccountId(request.param(0, "id")?);
    let orchestrator = request.caller()?.account;
    let record = app
        .execute(Command::by(
            orchestrator,
            Action::LiquidateAccount { account },
        ))
        .await?;
    finish(&app, &record).await
}

async fn liquidate_all(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let orchestrator = request.caller()?.account;
    let record = app
        .execute(Command::by(orchestrator, Action::LiquidateAll))
        .await?;
    finish(&app, &record).await
}

/// Revokes the closed accounts' tokens and answers which accounts were liquidated.
async fn finish(app: &App, record: &Record) -> Result<Response, ApiError> {
    let liquidated = closed_accounts(record);
    let (auth, closed) = (app.auth.clone(), liquidated.clone());
    blocking("revoking the closed accounts' tokens", move || {
        closed
            .iter()
            .try_for_each(|&account| auth.revoke_api_tokens_of(account).map(drop))
    })
    .await?;
    Ok(reply::ok(&LiquidatedBody {
        seq: record.seq,
        liquidated,
    }))
}

/// The accounts a record closed.
fn closed_accounts(record: &Record) -> Vec<AccountId> {
    let Entry::Command { events, .. } = &record.entry else {
        return Vec::new();
    };
    events
        .iter()
        .filter_map(|event| match *event {
            Event::AccountClosed { account } => Some(account),
            _ => None,
        })
        .collect()
}
