//! The browser UI: the production build of `web/` (`web/dist`, committed to the repository),
//! served at `/` so that a user without Node.js gets the UI from the server alone.
//!
//! Release builds embed `web/dist` into the binary at compile time; debug builds read it
//! from disk at request time, so a rebuilt UI shows without recompiling the server. How
//! the build is made and checked for freshness is in `web/README.md`.
//!
//! - a file of the build is served with its MIME type; the content-hashed files under
//!   `assets/` may be cached for a year, everything else must be revalidated;
//! - any other `GET` of a path without a file extension is a page of the single-page app
//!   and gets `index.html`, whose router shows the page;
//! - everything else, every path under the server's own prefixes (`api`, `ws`, `health`,
//!   `metrics`) and every path with a `.` or `..` segment, is a 404 in the API's error
//!   format.

use super::error::ApiError;
use warp::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use warp::http::Method;
use warp::reply::Response;

/// The UI's production build.
#[derive(rust_embed::Embed)]
#[folder = "../web/dist/"]
struct WebBuild;

/// The page every single-page-app path gets.
const INDEX: &str = "index.html";

/// Cache policy of content-hashed assets: their name changes whenever their content does.
const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Cache policy of everything else: always revalidate, so a new build shows at once.
const CACHE_REVALIDATE: &str = "no-cache";

/// Path prefixes the server answers itself; the UI never claims them.
const RESERVED: [&str; 4] = ["api", "ws", "health", "metrics"];

/// Answers a request the other filters did not: a file of the UI, its index page for an
/// app route, or 404.
pub fn serve(method: &Method, path: &str) -> Response {
    let relative = path.trim_start_matches('/');
    let first_segment = relative.split('/').next().unwrap_or("");
    let escapes = relative
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains('\\'));
    if method != Method::GET || RESERVED.contains(&first_segment) || escapes {
        return not_found();
    }
    if !relative.is_empty() {
        if let Some(response) = file(relative) {
            return response;
        }
    }
    let is_page = !relative.rsplit('/').next().unwrap_or("").contains('.');
    if !is_page {
        return not_found();
    }
    file(INDEX).unwrap_or_else(|| {
        ApiError::not_found(
            "ui_not_built",
            "the web UI is not in this build; build it with `npm run build` in web/",
        )
        .into_response()
    })
}

/// One file of the build, with its type and cache policy.
fn file(relative: &str) -> Option<Response> {
    let found = WebBuild::get(relative)?;
    let mime = HeaderValue::from_str(found.metadata.mimetype()).ok()?;
    let cache = if relative.starts_with("assets/") {
        CACHE_IMMUTABLE
    } else {
        CACHE_REVALIDATE
    };
    let mut response = Response::new(found.data.into_owned().into());
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, mime);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(response)
}

fn not_found() -> Response {
    ApiError::not_found("not_found", "no such page; the API is under /api/v1").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use warp::http::StatusCode;

    #[test]
    fn paths_that_climb_or_name_the_servers_own_prefixes_are_refused() {
        for path in [
            "/../Cargo.toml",
            "/assets/../../Cargo.toml",
            "/./index.html",
            "/assets\\..\\x",
            "/api",
            "/ws",
            "/health/x",
            "/metrics",
        ] {
            let response = serve(&Method::GET, path);
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        }
    }

    #[test]
    fn only_get_is_served() {
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            assert_eq!(serve(&method, "/").status(), StatusCode::NOT_FOUND);
        }
    }
}
