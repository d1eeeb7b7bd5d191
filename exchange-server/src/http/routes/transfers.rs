//! `/api/v1/transfers`: send credits to another user, named by email.

use super::{route, Route};
use crate::auth::Email;
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::ApiRequest;
use crate::server::app::App;
use exchange_core::{AccountId, Action, Command, Credits};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use warp::reply::Response;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![route!(POST "/api/v1/transfers", Authenticated, send)]
}

/// `POST /transfers` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Transfer {
    to_email: String,
    amount: u64,
}

/// What a transfer did.
#[derive(Serialize)]
struct TransferBody {
    seq: u64,
    amount: Credits,
    to_account: AccountId,
}

async fn send(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let Transfer { to_email, amount } = request.json()?;
    let account = request.caller()?.account;
    let to = user_account(&app, &to_email)?;
    let amount = Credits(amount);
    let record = app
        .execute(Command::by(account, Action::TransferCredits { to, amount }))
        .await?;
    Ok(reply::created(&TransferBody {
        seq: record.seq,
        amount,
        to_account: to,
    }))
}

/// The account of the user with this email, or 404 `unknown_user`.
pub fn user_account(app: &App, email: &str) -> Result<AccountId, ApiError> {
    let email = Email::parse(email)?;
    app.auth
        .user_by_email(&email)?
        .map(|user| user.account)
        .ok_or_else(|| ApiError::not_found("unknown_user", format!("no user `{email}`")))
}
