//! The OpenAPI document and the router list the same routes.

use crate::support::TestServer;
use exchange_server::http::openapi::documented_routes;
use exchange_server::http::routes::{self, Access};
use reqwest::StatusCode;
use std::collections::BTreeSet;

#[test]
fn the_document_and_the_router_list_the_same_routes_with_the_same_access_and_query() {
    let router: BTreeSet<(String, String, bool, Vec<String>)> = routes::all()
        .into_iter()
        .map(|route| {
            (
                route.method.to_string(),
                route.path.to_owned(),
                route.access == Access::Authenticated,
                route.query.iter().map(|name| (*name).to_owned()).collect(),
            )
        })
        .collect();
    let documented: BTreeSet<_> = documented_routes().into_iter().collect();
    let undocumented: Vec<_> = router.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&router).collect();
    assert!(
        undocumented.is_empty(),
        "routed but not documented: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented but not routed: {unrouted:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_is_openapi_3_with_every_route() {
    let server = TestServer::start().await;
    let (status, document) = server.client().get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    let paths = document["paths"].as_object().expect("paths");
    let operations: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(operations, routes::all().len());
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("an item") {
            let refs = operation.to_string();
            for name in refs.split("#/components/schemas/").skip(1) {
                let name = name.split('"').next().expect("a name");
                assert!(
                    document["components"]["schemas"].get(name).is_some(),
                    "{method} {path}: missing schema {name}"
                );
            }
        }
    }
}
