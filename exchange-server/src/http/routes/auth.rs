//! `/api/v1/auth`: signup, login, logout, the current session, API tokens and WebSocket
//! tickets.

use super::{route, Route};
use crate::auth::{check_password_policy, hash_password, Credential, Email, User};
use crate::http::blocking;
use crate::http::error::ApiError;
use crate::http::identity::{clear_session_cookie, set_session_cookie};
use crate::http::reply;
use crate::http::request::ApiRequest;
use crate::server::app::{now_ms, App};
use crate::wire::WireAccountKind;
use exchange_core::limits::CREDITS_TOTAL_MAX;
use exchange_core::{AccountId, AccountKind, Action, Command, Credits, Rejection};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use warp::http::header::{HeaderValue, SET_COOKIE};
use warp::http::StatusCode;
use warp::reply::Response;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(POST "/api/v1/auth/signup", Public, signup),
        route!(POST "/api/v1/auth/login", Public, login),
        route!(POST "/api/v1/auth/logout", Authenticated, logout),
        route!(GET "/api/v1/auth/session", Authenticated, session),
        route!(POST "/api/v1/auth/tokens", Authenticated, create_token),
        route!(GET "/api/v1/auth/tokens", Authenticated, list_tokens),
        route!(DELETE "/api/v1/auth/tokens/{id}", Authenticated, revoke_token),
        route!(POST "/api/v1/auth/ws-ticket", Authenticated, ws_ticket),
    ]
}

/// Signup and login bodies.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    email: String,
    password: String,
}

/// A session, as signup, login and `GET /auth/session` answer it.
#[derive(Serialize)]
pub struct SessionBody {
    /// The user's email (`null` for an orchestrated account, which has none).
    pub email: Option<Email>,
    /// The exchange account.
    pub account_id: AccountId,
    /// Its kind.
    pub kind: WireAccountKind,
    /// When the session expires (`null` for API tokens).
    pub expires_ms: Option<u64>,
}

async fn signup(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let credentials: Credentials = request.json()?;
    app.rate_limits
        .auth_attempt(request.remote.map(|r| r.ip()), &credentials.email)?;
    let email = Email::parse(&credentials.email)?;
    check_password_policy(&credentials.password)?;
    if app.auth.user_by_email(&email)?.is_some() || !app.claim_signup(email.as_str()) {
        return Err(crate::auth::AuthError::EmailTaken.into());
    }
    let created = create_user(&app, &email, credentials.password).await;
    app.release_signup(email.as_str());
    let user = created?;
    start_session(&app, &user, StatusCode::CREATED).await
}

/// Hashes the password, opens the account (funded with the signup credits) through the
/// log, then stores the user. A deposit the exchange's credit limit would refuse is refused
/// before the account is opened, so a failed signup leaves no account behind.
async fn create_user(app: &App, email: &Email, password: String) -> Result<User, ApiError> {
    let password_hash =
        blocking("password hashing stopped", move || hash_password(&password)).await?;
    let signup_credits = app.policy.signup_credits;
    let headroom = app.read(|side| side.state.credits_headroom()).await?;
    if signup_credits > headroom.0 {
        let message = format!(
            "the exchange cannot fund a new account with {signup_credits} credits: only \
             {headroom} more may be deposited below its limit of {CREDITS_TOTAL_MAX}"
        );
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Rejection::Overflow.code(),
            message,
        ));
    }
    let kind = AccountKind::Standard;
    let record = app
        .execute(Command::operator(Action::CreateAccount { kind }))
        .await?;
    let account = crate::involvement::created_account(&record)
        .ok_or_else(|| ApiError::internal("signup", &"the account was not created"))?;
    if signup_credits > 0 {
        let amount = Credits(signup_credits);
        app.execute(Command::operator(Action::DepositCredits {
            account,
            amount,
        }))
        .await?;
    }
    let user = User {
        email: email.clone(),
        account,
        kind,
        password_hash,
        created_ms: now_ms(),
    };
    let auth = app.auth.clone();
    let stored = user.clone();
    blocking("storing the user stopped", move || {
        auth.insert_user(&stored)
    })
    .await?;
    Ok(user)
}

async fn login(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let credentials: Credentials = request.json()?;
    app.rate_limits
        .auth_attempt(request.remote.map(|r| r.ip()), &credentials.email)?;
    let email = Email::parse(&credentials.email)?;
    let auth = app.auth.clone();
    let user = blocking("password check stopped", move || {
        auth.verify_login(&email, &credentials.password)
    })
    .await?;
    start_session(&app, &user, StatusCode::OK).await
}

/// Creates a session for `user` and answers it with the cookie.
async fn start_session(app: &App, user: &User, status: StatusCode) -> Result<Response, ApiError> {
    let (auth, account, ttl_ms) = (app.auth.clone(), user.account, app.policy.session_ttl_ms);
    let (secret, session) = blocking("creating the session stopped", move || {
        auth.create_session(account, now_ms(), ttl_ms)
    })
    .await?;
    let body = SessionBody {
        email: Some(user.email.clone()),
        account_id: user.account,
        kind: user.kind.into(),
        expires_ms: Some(session.expires_ms),
    };
    let mut response = reply::json(status, &body);
    let cookie = set_session_cookie(secret.as_str(), ttl_ms / 1000, app.policy.secure);
    insert_cookie(&mut response, &cookie)?;
    Ok(response)
}

fn insert_cookie(response: &mut Response, cookie: &str) -> Result<(), ApiError> {
    let value = HeaderValue::from_str(cookie)
        .map_err(|error| ApiError::internal("building the cookie", &error))?;
    response.headers_mut().insert(SET_COOKIE, value);
    Ok(())
}

async fn logout(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let Credential::Session(secret) = &request.caller()?.via else {
        return Err(ApiError::invalid(
            "an API token has no session to end; revoke it with DELETE /api/v1/auth/tokens/{id}",
        ));
    };
    let (auth, secret) = (app.auth.clone(), secret.clone());
    blocking("ending the session stopped", move || {
        auth.revoke_session(&secret)
    })
    .await?;
    let mut response = reply::no_content();
    insert_cookie(&mut response, &clear_session_cookie(app.policy.secure))?;
    Ok(response)
}

async fn session(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let caller = request.caller()?;
    let account = caller.account;
    let user = app.auth.user_by_account(account)?;
    let kind = app
        .read(move |side| side.state.account(account).map(|view| view.kind))
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_account", "the account no longer exists"))?;
    Ok(reply::ok(&SessionBody {
        email: user.map(|user| user.email),
        account_id: account,
        kind: kind.into(),
        expires_ms: caller.expires_ms,
    }))
}

/// `POST /auth/tokens` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
}

/// A token as listed.
#[derive(Serialize)]
struct TokenBody {
    id: u64,
    name: String,
    created_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

async fn create_token(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let NewToken { name } = request.json()?;
    let (auth, account) = (app.auth.clone(), request.caller()?.account);
    let (secret, info) = blocking("creating the token stopped", move || {
        auth.create_api_token(account, &name, now_ms())
    })
    .await?;
    Ok(reply::created(&TokenBody {
        id: info.id,
        name: info.name,
        created_ms: info.created_ms,
        token: Some(secret.as_str().to_owned()),
    }))
}

async fn list_tokens(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let tokens = app.auth.api_tokens(request.caller()?.account)?;
    let body: Vec<TokenBody> = tokens
        .into_iter()
        .map(|info| TokenBody {
            id: info.id,
            name: info.name,
            created_ms: info.created_ms,
            token: None,
        })
        .collect();
    Ok(reply::ok(&body))
}

async fn revoke_token(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let id: u64 = request.param(0, "id")?;
    let (auth, account) = (app.auth.clone(), request.caller()?.account);
    blocking("revoking the token stopped", move || {
        auth.revoke_api_token(account, id)
    })
    .await?;
    Ok(reply::no_content())
}

/// A WebSocket ticket.
#[derive(Serialize)]
struct TicketBody {
    ticket: String,
    expires_ms: u64,
}

async fn ws_ticket(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let now = now_ms();
    let ttl = app.policy.ticket_ttl_ms;
    let caller = request.caller()?;
    let ticket = app
        .auth
        .create_ticket(caller.account, caller.via.clone(), now, ttl)?;
    Ok(reply::created(&TicketBody {
        ticket: ticket.as_str().to_owned(),
        expires_ms: now + ttl,
    }))
}
