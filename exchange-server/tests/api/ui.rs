//! The browser UI at `/`: the committed build of `web/` with its types and cache policy,
//! the app's index for its own routes, and 404s in the API's format for everything else.

use crate::support::TestServer;
use reqwest::StatusCode;
use serde_json::Value;

/// Status, content type, cache policy and body of a GET.
async fn fetch(server: &TestServer, path: &str) -> (StatusCode, String, String, String) {
    let response = reqwest::get(format!("{}{path}", server.base))
        .await
        .expect("the request is answered");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map_or(String::new(), |value| value.to_str().unwrap().to_owned())
    };
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    let status = response.status();
    (status, content_type, cache, response.text().await.unwrap())
}

/// The first `/assets/...` path named in `html` with the given extension.
fn asset(html: &str, extension: &str) -> String {
    html.split('"')
        .find(|part| part.starts_with("/assets/") && part.ends_with(extension))
        .unwrap_or_else(|| panic!("index.html names a {extension} asset: {html}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_and_its_assets_are_served_and_app_routes_get_the_index() {
    let server = TestServer::start().await;
    let (status, content_type, cache, index) = fetch(&server, "/").await;
    assert_eq!(status, StatusCode::OK, "{index}");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert_eq!(cache, "no-cache");
    assert!(index.contains("id=\"root\""), "{index}");

    for page in ["/markets", "/ticker/MNAD", "/account", "/activity"] {
        let (status, _, _, body) = fetch(&server, page).await;
        assert_eq!((status, &body), (StatusCode::OK, &index), "{page}");
    }

    let script = asset(&index, ".js");
    let (status, content_type, cache, body) = fetch(&server, &script).await;
    assert_eq!(status, StatusCode::OK, "{script}");
    assert!(content_type.contains("javascript"), "{content_type}");
    assert!(cache.contains("immutable"), "{cache}");
    assert!(!body.is_empty());
    let style = asset(&index, ".css");
    let (status, content_type, _, _) = fetch(&server, &style).await;
    assert_eq!(status, StatusCode::OK, "{style}");
    assert!(content_type.starts_with("text/css"), "{content_type}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_not_the_ui_gets_a_404_in_the_api_format() {
    let server = TestServer::start().await;
    for path in [
        "/assets/missing.js",
        "/favicon-missing.png",
        "/api/v1/nothing-here",
        "/ws/extra",
        "/metrics/extra",
    ] {
        let (status, _, _, body) = fetch(&server, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        let error: Value = serde_json::from_str(&body).expect("a JSON error");
        assert!(error["error"]["code"].is_string(), "{path}: {error}");
    }
    let client = server.client();
    let (status, body) = client.send(reqwest::Method::POST, "/markets", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "not_found");
}
