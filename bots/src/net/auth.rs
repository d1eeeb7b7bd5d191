//! Getting an API token for a user by email and password, as a person would in a browser:
//! log in (or sign up, the first time), then create a token with the session cookie.

use super::error::NetError;
use super::rest::{http_client, refused, send, Answer, Cookies, Server};
use super::wire::TokenBody;
use reqwest::header::ORIGIN;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A browser-like client: a cookie jar and the server's own `Origin` on every request.
struct Browser {
    client: reqwest::Client,
    server: Server,
}

impl Browser {
    fn new(server: &Server) -> Result<Self, NetError> {
        Ok(Self {
            client: http_client(Cookies::Jar)?,
            server: server.clone(),
        })
    }

    /// Sends a request; returns the status and the body (`null` if empty).
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Value, Vec<u8>), NetError> {
        let request = format!("{method} {path}");
        let builder = self
            .client
            .request(method, self.server.url(path))
            .header(ORIGIN, self.server.base_url());
        let Answer { status, bytes, .. } = send(builder, body, &request).await?;
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((status, value, bytes))
    }

    /// Sends a request that must succeed; returns its body.
    async fn expect(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, NetError> {
        let request = format!("{method} {path}");
        let (status, value, bytes) = self.send(method, path, body).await?;
        if !status.is_success() {
            return Err(refused(request, status, None, &bytes));
        }
        Ok(value)
    }
}

/// A new API token named `token_name` for the user `email`: logs in, or signs up if there
/// is no such user yet, then replaces the user's earlier tokens of that name with a new
/// one (so a restarted program does not pile tokens up to the limit of 100).
pub async fn user_token(
    server: &Server,
    email: &str,
    password: &str,
    token_name: &str,
) -> Result<String, NetError> {
    let browser = Browser::new(server)?;
    let credentials = json!({"email": email, "password": password});
    let (status, _, bytes) = browser
        .send(
            Method::POST,
            "/api/v1/auth/login",
            Some(credentials.clone()),
        )
        .await?;
    if status == StatusCode::UNAUTHORIZED {
        browser
            .expect(Method::POST, "/api/v1/auth/signup", Some(credentials))
            .await?;
    } else if !status.is_success() {
        return Err(refused(
            "POST /api/v1/auth/login".into(),
            status,
            None,
            &bytes,
        ));
    }
    let tokens = browser
        .expect(Method::GET, "/api/v1/auth/tokens", None)
        .await?;
    let tokens: Vec<TokenBody> =
        serde_json::from_value(tokens).map_err(|error| NetError::BadAnswer {
            request: "GET /api/v1/auth/tokens".to_owned(),
            detail: error.to_string(),
        })?;
    for token in tokens.iter().filter(|token| token.name == token_name) {
        let path = format!("/api/v1/auth/tokens/{}", token.id);
        browser.expect(Method::DELETE, &path, None).await?;
    }
    let created = browser
        .expect(
            Method::POST,
            "/api/v1/auth/tokens",
            Some(json!({"name": token_name})),
        )
        .await?;
    let token: TokenBody =
        serde_json::from_value(created).map_err(|error| NetError::BadAnswer {
            request: "POST /api/v1/auth/tokens".to_owned(),
            detail: error.to_string(),
        })?;
    token.token.ok_or_else(|| NetError::BadAnswer {
        request: "POST /api/v1/auth/tokens".to_owned(),
        detail: "no token in the answer".to_owned(),
    })
}
