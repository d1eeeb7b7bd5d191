//! The OpenAPI 3 document served at `/api/v1/openapi.json`.
//!
//! It is written here by hand, separately from the routing table, so that it reads as
//! documentation; a test checks that both list the same routes with the same access.

use serde_json::{json, Map, Value};

/// One documented operation.
struct Operation {
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    /// Whether it needs a session cookie or an API token.
    authenticated: bool,
    /// The request body's schema, if it takes one.
    body: Option<&'static str>,
    /// The success status and its body's schema (`None`: no body).
    success: (&'static str, Option<Value>),
    /// Query parameters: name, schema type, description.
    query: &'static [(&'static str, &'static str, &'static str)],
}

fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn list_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema(name) })
}

/// Every documented operation.
fn operations() -> Vec<Operation> {
    let op = |method,
              path,
              tag,
              summary,
              authenticated,
              body,
              success: (&'static str, Option<Value>)| Operation {
        method,
        path,
        tag,
        summary,
        authenticated,
        body,
        success,
        query: &[],
    };
    let with_query = |mut operation: Operation, query| {
        operation.query = query;
        operation
    };
    let limit: &'static [(&str, &str, &str)] =
        &[("limit", "integer", "rows, newest first (1 to 1000)")];
    vec![
        op(
            "post",
            "/api/v1/auth/signup",
            "auth",
            "Create a user and log in (sets the session cookie)",
            false,
            Some("Credentials"),
            ("201", Some(schema("Session"))),
        ),
        op(
            "post",
            "/api/v1/auth/login",
            "auth",
            "Log in (sets the session cookie)",
            false,
            Some("Credentials"),
            ("200", Some(schema("Session"))),
        ),
        op(
            "post",
            "/api/v1/auth/logout",
            "auth",
            "End the current session",
            true,
            None,
            ("204", None),
        ),
        op(
            "get",
            "/api/v1/auth/session",
            "auth",
            "The current session",
            true,
            None,
            ("200", Some(schema("Session"))),
        ),
        op(
            "post",
            "/api/v1/auth/tokens",
            "auth",
            "Create an API token (shown once)",
            true,
            Some("NewToken"),
            ("201", Some(schema("TokenCreated"))),
        ),
        op(
            "get",
            "/api/v1/auth/tokens",
            "auth",
            "List API tokens",
            true,
            None,
            ("200", Some(list_of("Token"))),
        ),
        op(
            "delete",
            "/api/v1/auth/tokens/{id}",
            "auth",
            "Revoke an API token",
            true,
            None,
            ("204", None),
        ),
        op(
            "post",
            "/api/v1/auth/ws-ticket",
            "auth",
            "A single-use WebSocket ticket, valid 30 s",
            true,
            None,
            ("201", Some(schema("Ticket"))),
        ),
        op(
            "get",
            "/api/v1/tickers",
            "market",
            "Every ticker with its quote and last day",
            false,
            None,
            ("200", Some(list_of("TickerSummary"))),
        ),
        op(
            "get",
            "/api/v1/tickers/{symbol}",
            "market",
            "One ticker",
            false,
            None,
            ("200", Some(schema("TickerSummary"))),
        ),
        op(
            "get",
            "/api/v1/tickers/{symbol}/quote",
            "market",
            "Best bid and ask",
            false,
            None,
            ("200", Some(schema("Quote"))),
        ),
        with_query(
            op(
                "get",
                "/api/v1/tickers/{symbol}/depth",
                "market",
                "Top levels of the book",
                false,
                None,
                ("200", Some(schema("Depth"))),
            ),
            &[(
                "levels",
                "integer",
                "levels per side (1 to 1000, default 20)",
            )],
        ),
        with_query(
            op(
                "get",
                "/api/v1/tickers/{symbol}/trades",
                "market",
                "Recent trades, newest first",
                false,
                None,
                ("200", Some(list_of("Trade"))),
            ),
            limit,
        ),
        with_query(
            op(
                "get",
                "/api/v1/tickers/{symbol}/candles",
                "market",
                "Candles, oldest first",
                false,
                None,
                ("200", Some(list_of("Candle"))),
            ),
            &[
                ("interval", "string", "1m, 5m, 15m, 1h, 4h or 1d"),
                ("from", "integer", "first bucket start, ms"),
                ("to", "integer", "last bucket start, ms"),
            ],
        ),
        with_query(
            op(
                "get",
                "/api/v1/activity",
                "market",
                "The public activity feed, newest first: trades, transfers, accounts opened and closed",
                false,
                None,
                ("200", Some(list_of("Activity"))),
            ),
            limit,
        ),
        op(
            "get",
            "/api/v1/account",
            "account",
            "Balances, positions and alerts",
            true,
            None,
            ("200", Some(schema("Account"))),
        ),
        with_query(
            op(
                "get",
                "/api/v1/account/fills",
                "account",
                "Own fills, newest first",
                true,
                None,
                ("200", Some(list_of("Fill"))),
            ),
            limit,
        ),
        with_query(
            op(
                "get",
                "/api/v1/account/transfers",
                "account",
                "Credits in and out, newest first",
                true,
                None,
                ("200", Some(list_of("Transfer"))),
            ),
            limit,
        ),
        op(
            "post",
            "/api/v1/orders",
            "orders",
            "Place an order",
            true,
            Some("PlaceOrder"),
            ("201", Some(schema("OrderResult"))),
        ),
        with_query(
            op(
                "get",
                "/api/v1/orders",
                "orders",
                "Own open or recently finished orders",
                true,
                None,
                ("200", Some(list_of("Order"))),
            ),
            &[
                ("status", "string", "open (default) or recent"),
                ("ticker", "string", "one ticker only"),
                ("limit", "integer", "recent orders (1 to 1000)"),
            ],
        ),
        with_query(
            op(
                "delete",
                "/api/v1/orders",
                "orders",
                "Cancel all own orders",
                true,
                None,
                ("200", Some(schema("Cancelled"))),
            ),
            &[("ticker", "string", "one ticker only")],
        ),
        op(
            "get",
            "/api/v1/orders/client/{client_order_id}",
            "orders",
            "One own order by client order id",
            true,
            None,
            ("200", Some(schema("Order"))),
        ),
        op(
            "delete",
            "/api/v1/orders/client/{client_order_id}",
            "orders",
            "Cancel an order by client order id",
            true,
            None,
            ("200", Some(schema("OrderResult"))),
        ),
        op(
            "get",
            "/api/v1/orders/{id}",
            "orders",
            "One own order",
            true,
            None,
            ("200", Some(schema("Order"))),
        ),
        op(
            "patch",
            "/api/v1/orders/{id}",
            "orders",
            "Amend price or quantity",
            true,
            Some("Amend"),
            ("200", Some(schema("OrderResult"))),
        ),
        op(
            "delete",
            "/api/v1/orders/{id}",
            "orders",
            "Cancel an order",
            true,
            None,
            ("200", Some(schema("OrderResult"))),
        ),
        op(
            "post",
            "/api/v1/transfers",
            "transfers",
            "Send credits to a user by email",
            true,
            Some("NewTransfer"),
            ("201", Some(schema("TransferDone"))),
        ),
        op(
            "get",
            "/api/v1/alerts",
            "alerts",
            "Own balance alerts",
            true,
            None,
            ("200", Some(list_of("Alert"))),
        ),
        op(
            "put",
            "/api/v1/alerts/{direction}",
            "alerts",
            "Set the below or above alert",
            true,
            Some("SetAlert"),
            ("200", Some(schema("Alert"))),
        ),
        op(
            "delete",
            "/api/v1/alerts/{direction}",
            "alerts",
            "Clear an alert",
            true,
            None,
            ("204", None),
        ),
        op(
            "post",
            "/api/v1/orchestrator/accounts",
            "orchestrator",
            "Create a funded orchestrated account and its token",
            true,
            Some("NewOrchestrated"),
            ("201", Some(schema("OrchestratedCreated"))),
        ),
        op(
            "get",
            "/api/v1/orchestrator/accounts",
            "orchestrator",
            "The orchestrator's accounts",
            true,
            None,
            ("200", Some(list_of("Account"))),
        ),
        op(
            "post",
            "/api/v1/orchestrator/accounts/{id}/liquidate",
            "orchestrator",
            "Liquidate one orchestrated account",
            true,
            None,
            ("200", Some(schema("Liquidated"))),
        ),
        op(
            "post",
            "/api/v1/orchestrator/liquidate-all",
            "orchestrator",
            "Liquidate every orchestrated account",
            true,
            None,
            ("200", Some(schema("Liquidated"))),
        ),
        op(
            "post",
            "/api/v1/admin/tickers",
            "admin",
            "List a new ticker",
            true,
            Some("NewTicker"),
            ("201", Some(schema("TickerSummary"))),
        ),
        op(
            "put",
            "/api/v1/admin/tickers/{symbol}/status",
            "admin",
            "Open or close a ticker",
            true,
            Some("TickerStatus"),
            ("200", Some(schema("TickerSummary"))),
        ),
        op(
            "post",
            "/api/v1/admin/deposits",
            "admin",
            "Deposit credits",
            true,
            Some("Deposit"),
            ("201", Some(schema("Seq"))),
        ),
        op(
            "post",
            "/api/v1/admin/shares",
            "admin",
            "Issue shares",
            true,
            Some("IssueShares"),
            ("201", Some(schema("Seq"))),
        ),
    ]
}

/// The (method, path, authenticated, query parameter names) of every documented operation,
/// for the test that compares the document with the router.
pub fn documented_routes() -> Vec<(String, String, bool, Vec<String>)> {
    operations()
        .into_iter()
        .map(|op| {
            (
                op.method.to_uppercase(),
                op.path.to_owned(),
                op.authenticated,
                op.query
                    .iter()
                    .map(|(name, ..)| (*name).to_owned())
                    .collect(),
            )
        })
        .collect()
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in operations() {
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = operation(&op);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "exchange",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "An event-sourced stock exchange. Errors are {\"error\":{\"code\",\"message\"}}; see docs/api.md for the guide and the WebSocket protocol at /ws."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "session" },
                "token": { "type": "http", "scheme": "bearer" }
            },
            "schemas": schemas()
        }
    })
}

fn operation(op: &Operation) -> Value {
    let mut parameters: Vec<Value> = path_parameters(op.path)
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    parameters.extend(op.query.iter().map(|(name, kind, description)| {
        json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": kind } })
    }));
    let (status, body) = &op.success;
    let success = match body {
        Some(schema) => {
            json!({ "description": "success", "content": { "application/json": { "schema": schema } } })
        }
        None => json!({ "description": "success, no body" }),
    };
    let error = json!({ "description": "error", "content": { "application/json": { "schema": schema("Error") } } });
    let mut value = json!({
        "tags": [op.tag],
        "summary": op.summary,
        "operationId": format!("{}_{}", op.method, op.path.trim_start_matches("/api/v1/").replace(['/', '{', '}', '-'], "_")),
        "parameters": parameters,
        "responses": { *status: success, "default": error },
    });
    if op.authenticated {
        value["security"] = json!([{ "session": [] }, { "token": [] }]);
    } else {
        value["security"] = json!([]);
    }
    if let Some(body) = op.body {
        value["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema(body) } } });
    }
    value
}

fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

fn schemas() -> Value {
    let int = json!({ "type": "integer", "minimum": 0 });
    let int_or_null = json!({ "type": "integer", "nullable": true });
    let text = json!({ "type": "string" });
    let side = json!({ "type": "string", "enum": ["buy", "sell"] });
    let level_or_null = json!({ "allOf": [schema("Level")], "nullable": true });
    json!({
        "Error": object(&["error"], json!({ "error": object(&["code", "message"], json!({ "code": text, "message": text })) })),
        "Credentials": object(&["email", "password"], json!({ "email": text, "password": { "type": "string", "minLength": 8, "maxLength": 128 } })),
        "Session": object(&["account_id", "kind"], json!({ "email": { "type": "string", "nullable": true }, "account_id": int, "kind": { "type": "string", "enum": ["standard", "orchestrator", "admin"] }, "expires_ms": int_or_null })),
        "NewToken": object(&["name"], json!({ "name": text })),
        "Token": object(&["id", "name", "created_ms"], json!({ "id": int, "name": text, "created_ms": int })),
        "TokenCreated": object(&["id", "name", "created_ms", "token"], json!({ "id": int, "name": text, "created_ms": int, "token": text })),
        "Ticket": object(&["ticket", "expires_ms"], json!({ "ticket": text, "expires_ms": int })),
        "Level": object(&["price", "quantity", "orders"], json!({ "price": int, "quantity": int, "orders": int })),
        "TickerSummary": object(&["symbol", "status"], json!({ "symbol": text, "status": { "type": "string", "enum": ["open", "closed"] }, "last_price": int_or_null, "bid": level_or_null, "ask": level_or_null, "volume": int, "trades": int, "change": int_or_null })),
        "Quote": object(&["symbol", "seq"], json!({ "symbol": text, "seq": int, "bid": level_or_null, "ask": level_or_null, "last_price": int_or_null })),
        "Depth": object(&["symbol", "seq", "bids", "asks"], json!({ "symbol": text, "seq": int, "bids": list_of("Level"), "asks": list_of("Level") })),
        "Trade": object(&["seq", "time_ms", "symbol", "price", "quantity", "taker_side"], json!({ "seq": int, "time_ms": int, "symbol": text, "price": int, "quantity": int, "taker_side": side })),
        "Activity": object(&["seq", "time_ms", "kind"], json!({ "seq": int, "time_ms": int, "kind": { "type": "string", "enum": ["trade", "transfer", "account_opened", "account_closed"] }, "symbol": text, "price": int, "quantity": int, "taker_side": side, "from": int_or_null, "to": int, "amount": int, "reason": { "type": "string", "enum": ["payment", "funding", "liquidation", "deposit"] }, "account_id": int, "account_kind": { "type": "string", "enum": ["standard", "orchestrator", "admin"] }, "orchestrated_by": int_or_null })),
        "Candle": object(&["time_ms", "open", "high", "low", "close", "volume", "trades"], json!({ "time_ms": int, "open": int, "high": int, "low": int, "close": int, "volume": int, "trades": int })),
        "Position": object(&["symbol", "available", "held"], json!({ "symbol": text, "available": int, "held": int })),
        "Alert": object(&["direction", "threshold", "armed"], json!({ "direction": { "type": "string", "enum": ["below", "above"] }, "threshold": int, "armed": { "type": "boolean" } })),
        "Account": object(&["account_id", "kind", "status", "credits_available", "credits_held", "positions", "orders_open", "alerts"], json!({ "account_id": int, "email": { "type": "string", "nullable": true }, "kind": text, "status": { "type": "string", "enum": ["active", "closed"] }, "credits_available": int, "credits_held": int, "positions": list_of("Position"), "orders_open": int, "alerts": list_of("Alert"), "orchestrated_by": int_or_null })),
        "Fill": object(&["seq", "time_ms", "order_id", "symbol", "side", "price", "quantity", "role"], json!({ "seq": int, "time_ms": int, "order_id": int, "symbol": text, "side": side, "price": int, "quantity": int, "role": { "type": "string", "enum": ["maker", "taker"] } })),
        "Transfer": object(&["seq", "time_ms", "direction", "amount", "reason"], json!({ "seq": int, "time_ms": int, "direction": { "type": "string", "enum": ["in", "out"] }, "counterparty": int_or_null, "amount": int, "reason": { "type": "string", "enum": ["payment", "funding", "liquidation", "deposit"] } })),
        "PlaceOrder": object(&["ticker", "side", "type", "quantity"], json!({ "ticker": text, "side": side, "type": { "type": "string", "enum": ["limit", "market"] }, "price": int, "quantity": int, "time_in_force": { "type": "string", "enum": ["gtc", "ioc", "fok"] }, "post_only": { "type": "boolean" }, "client_order_id": int, "self_trade": { "type": "string", "enum": ["cancel_resting", "cancel_incoming"] } })),
        "Order": object(&["id", "symbol", "side", "type", "quantity", "remaining", "filled", "status"], json!({ "id": int, "symbol": text, "side": side, "type": { "type": "string", "enum": ["limit", "market"] }, "price": int_or_null, "quantity": int, "remaining": int, "filled": int, "status": { "type": "string", "enum": ["open", "filled", "cancelled"] }, "client_order_id": int_or_null, "time_in_force": { "type": "string", "nullable": true }, "created_seq": int, "updated_seq": int })),
        "Event": { "type": "object", "required": ["type"], "description": "One log event: the fields of exchange_core::Event in snake case, tickers as symbols.", "properties": { "type": text }, "additionalProperties": true },
        "OrderResult": object(&["seq", "time_ms", "fills", "events"], json!({ "seq": int, "time_ms": int, "order": { "allOf": [schema("Order")], "nullable": true }, "fills": list_of("Fill"), "events": list_of("Event") })),
        "Cancelled": object(&["cancelled"], json!({ "seq": int_or_null, "cancelled": list_of("Order") })),
        "Amend": object(&["price", "quantity"], json!({ "price": int, "quantity": int })),
        "NewTransfer": object(&["to_email", "amount"], json!({ "to_email": text, "amount": int })),
        "TransferDone": object(&["seq", "amount", "to_account"], json!({ "seq": int, "amount": int, "to_account": int })),
        "SetAlert": object(&["threshold"], json!({ "threshold": int })),
        "NewOrchestrated": object(&["initial_credits"], json!({ "initial_credits": int, "token_name": text })),
        "OrchestratedCreated": object(&["seq", "account_id", "token"], json!({ "seq": int, "account_id": int, "token": text })),
        "Liquidated": object(&["seq", "liquidated"], json!({ "seq": int, "liquidated": { "type": "array", "items": int } })),
        "NewTicker": object(&["symbol"], json!({ "symbol": text })),
        "TickerStatus": object(&["status"], json!({ "status": { "type": "string", "enum": ["open", "closed"] } })),
        "Deposit": object(&["amount"], json!({ "email": text, "account_id": int, "amount": int })),
        "IssueShares": object(&["ticker", "quantity"], json!({ "email": text, "account_id": int, "ticker": text, "quantity": int })),
        "Seq": object(&["seq"], json!({ "seq": int }))
    })
}
