//! The API's routes: one table, one module per route family.
//!
//! The table is the router: a request is matched against its entries in order (method and
//! path template), so the list of routes the server answers is exactly [`all`]. The OpenAPI
//! document is written separately (see [`super::openapi`]) and a test checks that both
//! list the same routes.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod auth;
pub mod market;
pub mod orchestrator;
pub mod orders;
pub mod transfers;

use super::error::ApiError;
use super::identity::Caller;
use super::request::ApiRequest;
use crate::server::app::App;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use warp::http::{Method, StatusCode};
use warp::reply::Response;

/// What a handler returns.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Response, ApiError>> + Send>>;

/// A handler: the shared context and the request in, a response out.
pub type Handler = fn(Arc<App>, ApiRequest) -> HandlerFuture;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// An authenticated caller (session cookie or API token); anything else gets 401.
    Authenticated,
}

/// One route.
#[derive(Clone)]
pub struct Route {
    /// Its method.
    pub method: Method,
    /// Its path template; `{name}` matches one non-empty segment.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// What answers it.
    pub handler: Handler,
    /// The names of the query parameters it takes; a request with any other is refused
    /// before the handler runs.
    pub query: &'static [&'static str],
}

/// Builds a [`Route`] from an `async fn(Arc<App>, ApiRequest) -> Result<Response, ApiError>`,
/// taking no query parameters unless `query = [...]` names them.
macro_rules! route {
    ($method:ident $path:literal, $access:ident, $handler:path) => {
        route!($method $path, $access, $handler, query = [])
    };
    ($method:ident $path:literal, $access:ident, $handler:path, query = [$($name:literal),*]) => {
        $crate::http::routes::Route {
            method: ::warp::http::Method::$method,
            path: $path,
            access: $crate::http::routes::Access::$access,
            handler: |app, request| Box::pin($handler(app, request)),
            query: &[$($name),*],
        }
    };
}
pub(crate) use route;

/// Every API route, in matching order.
pub fn all() -> Vec<Route> {
    let families = [
        auth::routes(),
        market::routes(),
        account::routes(),
        orders::routes(),
        transfers::routes(),
        alerts::routes(),
        orchestrator::routes(),
        admin::routes(),
    ];
    families.into_iter().flatten().collect()
}

/// How a path compares with the table.
pub enum Matched<'a> {
    /// A route answers it, with these path parameters.
    Route(&'a Route, Vec<String>),
    /// Routes exist for the path, but not for the method; these methods are allowed.
    WrongMethod(Vec<Method>),
    /// No route has this path.
    NoRoute,
}

/// One segment of a path template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment {
    /// Matches this text exactly.
    Literal(&'static str),
    /// `{name}`: matches any non-empty segment, which becomes a parameter.
    Parameter,
}

/// A path template split into segments once, when the router is built, so that matching a
/// request splits only the request's path, and only once.
#[derive(Clone, Debug)]
struct Template {
    segments: Vec<Segment>,
}

impl Template {
    fn new(template: &'static str) -> Template {
        let segments = template
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    Segment::Parameter
                } else {
                    Segment::Literal(segment)
                }
            })
            .collect();
        Template { segments }
    }

    /// The parameters of a path split into `segments`, if it matches.
    fn parameters(&self, segments: &[&str]) -> Option<Vec<String>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut parameters = Vec::new();
        for (expected, segment) in self.segments.iter().zip(segments) {
            match expected {
                Segment::Literal(literal) if literal != segment => return None,
                Segment::Literal(_) => {}
                Segment::Parameter if segment.is_empty() => return None,
                Segment::Parameter => parameters.push((*segment).to_owned()),
            }
        }
        Some(parameters)
    }
}

/// The segments of a request's path; trailing slashes are ignored.
fn segments(path: &str) -> Vec<&str> {
    path.trim_end_matches('/').split('/').collect()
}

/// The route table, ready to match requests: [`all`] with every template split.
pub struct Router {
    routes: Vec<(Template, Route)>,
}

impl Router {
    /// The router of `routes`, matched in order.
    pub fn new(routes: Vec<Route>) -> Router {
        let routes = routes
            .into_iter()
            .map(|route| (Template::new(route.path), route))
            .collect();
        Router { routes }
    }

    /// Finds the route for a method and path.
    pub fn find(&self, method: &Method, path: &str) -> Matched<'_> {
        let segments = segments(path);
        let with_method = self
            .routes
            .iter()
            .filter(|(_, route)| route.method == *method);
        for (template, route) in with_method {
            if let Some(parameters) = template.parameters(&segments) {
                return Matched::Route(route, parameters);
            }
        }
        let allowed: Vec<Method> = self
            .routes
            .iter()
            .filter(|(template, _)| template.parameters(&segments).is_some())
            .map(|(_, route)| route.method.clone())
            .collect();
        if allowed.is_empty() {
            Matched::NoRoute
        } else {
            Matched::WrongMethod(allowed)
        }
    }
}

/// Answers an API request from the table: 404 `not_found` for an unknown path, 405
/// `method_not_allowed` for a known path with another method, 401 for a route that needs
/// authentication without it (see [`App::caller`]), 400 for a query parameter the route
/// does not take.
pub async fn dispatch(app: Arc<App>, router: Arc<Router>, mut request: ApiRequest) -> Response {
    let answer = match router.find(&request.method, &request.path) {
        Matched::Route(route, params) => {
            request.params = params;
            let checked = authenticate(&app, route.access, &request)
                .and_then(|caller| known_query(route, &request.query).map(|()| caller));
            match checked {
                Ok(caller) => {
                    request.caller = caller;
                    (route.handler)(Arc::clone(&app), request).await
                }
                Err(error) => Err(error),
            }
        }
        Matched::WrongMethod(allowed) => Err(method_not_allowed(&allowed)),
        Matched::NoRoute => Err(ApiError::not_found(
            "not_found",
            format!("no route `{}`; see /api/v1/openapi.json", request.path),
        )),
    };
    answer.unwrap_or_else(|error| {
        app.metrics.count_error(error.code);
        error.into_response()
    })
}

/// The caller, required for [`Access::Authenticated`] routes.
fn authenticate(
    app: &App,
    access: Access,
    request: &ApiRequest,
) -> Result<Option<Caller>, ApiError> {
    match access {
        Access::Public => Ok(None),
        Access::Authenticated => app.caller(request).map(Some),
    }
}

/// 400 `invalid_request` if the query names a parameter the route does not take, so that
/// a misspelt or misplaced parameter is an error rather than silently ignored.
fn known_query(route: &Route, query: &str) -> Result<(), ApiError> {
    if query.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|error| ApiError::invalid(format!("query: {error}")))?;
    let Some((unknown, _)) = pairs
        .iter()
        .find(|(name, _)| !route.query.contains(&name.as_str()))
    else {
        return Ok(());
    };
    let takes = if route.query.is_empty() {
        "no query parameters".to_owned()
    } else {
        let names: Vec<String> = route.query.iter().map(|name| format!("`{name}`")).collect();
        names.join(", ")
    };
    Err(ApiError::invalid(format!(
        "unknown query parameter `{unknown}`: {} {} takes {takes}",
        route.method, route.path
    )))
}

/// 405 `method_not_allowed`, naming the methods the path answers.
pub fn method_not_allowed(allowed: &[Method]) -> ApiError {
    let names: Vec<&str> = allowed.iter().map(Method::as_str).collect();
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("this path answers {}", names.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments_only() {
        let cases = [
            ("/api/v1/orders", "/api/v1/orders", Some(vec![])),
            ("/api/v1/orders", "/api/v1/orders/", Some(vec![])),
            (
                "/api/v1/orders/{id}",
                "/api/v1/orders/12",
                Some(vec!["12".to_owned()]),
            ),
            ("/api/v1/orders/{id}", "/api/v1/orders", None),
            ("/api/v1/orders/{id}", "/api/v1/orders/12/x", None),
            ("/api/v1/orders/{id}", "/api/v1/orders//", None),
            ("/api/v1/orders", "/api/v1/ordersx", None),
        ];
        for (template, path, expected) in cases {
            assert_eq!(
                Template::new(template).parameters(&segments(path)),
                expected,
                "{template} against {path}"
            );
        }
    }

    #[test]
    fn no_two_routes_share_a_method_and_path() {
        let routes = all();
        for (at, route) in routes.iter().enumerate() {
            for other in &routes[at + 1..] {
                assert!(
                    !(route.method == other.method && route.path == other.path),
                    "{} {} is listed twice",
                    route.method,
                    route.path
                );
            }
        }
    }
}
