//! `/api/v1/orders`: place, look up, amend and cancel the caller's own orders.
//!
//! Another account's order is answered exactly like one that does not exist (404
//! `unknown_order`), so nobody learns which order ids belong to whom.

use super::{route, Route};
use crate::history::{Fill, OrderRecord};
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::{json_integer, ApiRequest};
use crate::server::app::App;
use crate::server::sequencer::ReadSide;
use crate::wire::{WireEvent, WireSide};
use exchange_core::log::{Entry, Record};
use exchange_core::{
    AccountId, Action, ClientOrderId, Command, Event, NewOrder, OrderId, OrderRef, OrderType,
    Price, Quantity, Rejection, SelfTrade, Symbol, TickerId, TimeInForce,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use warp::http::StatusCode;
use warp::reply::Response;

/// Orders returned by `GET /orders?status=recent` when `limit` is not given.
pub const RECENT_ORDERS_DEFAULT: usize = 100;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(POST "/api/v1/orders", Authenticated, place),
        route!(GET "/api/v1/orders", Authenticated, list, query = ["status", "ticker", "limit"]),
        route!(DELETE "/api/v1/orders", Authenticated, cancel_all, query = ["ticker"]),
        route!(GET "/api/v1/orders/client/{client_order_id}", Authenticated, get_by_client_id),
        route!(DELETE "/api/v1/orders/client/{client_order_id}", Authenticated, cancel_by_client_id),
        route!(GET "/api/v1/orders/{id}", Authenticated, get),
        route!(PATCH "/api/v1/orders/{id}", Authenticated, amend),
        route!(DELETE "/api/v1/orders/{id}", Authenticated, cancel),
    ]
}

/// Limit or market.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Limit,
    Market,
}

/// How long a limit order stays.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Duration {
    Gtc,
    Ioc,
    Fok,
}

/// What to do when the order would trade with the caller's own resting order.
#[derive(Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SelfTradeBody {
    #[default]
    CancelResting,
    CancelIncoming,
}

/// `POST /orders` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceOrder {
    ticker: String,
    side: WireSide,
    #[serde(rename = "type")]
    kind: Kind,
    price: Option<u64>,
    quantity: u64,
    time_in_force: Option<Duration>,
    post_only: Option<bool>,
    client_order_id: Option<u64>,
    self_trade: Option<SelfTradeBody>,
}

impl PlaceOrder {
    /// The order type, after checking that the fields fit together.
    fn order_type(&self) -> Result<OrderType, ApiError> {
        match self.kind {
            Kind::Market => {
                if self.price.is_some() || self.time_in_force.is_some() || self.post_only.is_some()
                {
                    return Err(ApiError::invalid(
                        "a market order takes no `price`, `time_in_force` or `post_only`",
                    ));
                }
                Ok(OrderType::Market)
            }
            Kind::Limit => {
                let price = self
                    .price
                    .ok_or_else(|| ApiError::invalid("a limit order needs a `price`"))?;
                let time_in_force = match (self.time_in_force, self.post_only.unwrap_or(false)) {
                    (None | Some(Duration::Gtc), true) => TimeInForce::PostOnly,
                    (Some(_), true) => {
                        return Err(ApiError::invalid("`post_only` goes only with `gtc`"));
                    }
                    (None | Some(Duration::Gtc), false) => TimeInForce::Gtc,
                    (Some(Duration::Ioc), false) => TimeInForce::Ioc,
                    (Some(Duration::Fok), false) => TimeInForce::Fok,
                };
                Ok(OrderType::Limit {
                    price: Price(price),
                    time_in_force,
                })
            }
        }
    }
}

/// What an order command did.
#[derive(Serialize)]
struct OrderResult {
    seq: u64,
    time_ms: u64,
    order: Option<OrderRecord>,
    fills: Vec<Fill>,
    events: Vec<WireEvent>,
}

async fn place(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let body: PlaceOrder = request.json()?;
    let account = request.caller()?.account;
    let order_type = body.order_type()?;
    if let Some(id) = body.client_order_id {
        json_integer("client_order_id", id)?;
    }
    let symbol = Symbol::new(&body.ticker)
        .map_err(|error| ApiError::bad_request("invalid_symbol", error.to_string()))?;
    app.rate_limits.order(account)?;
    let ticker = app.ticker_id(symbol).await?;
    let order = NewOrder {
        ticker,
        side: body.side.into(),
        order_type,
        quantity: Quantity(body.quantity),
        client_order_id: body.client_order_id.map(ClientOrderId),
        self_trade: match body.self_trade.unwrap_or_default() {
            SelfTradeBody::CancelResting => SelfTrade::CancelResting,
            SelfTradeBody::CancelIncoming => SelfTrade::CancelIncoming,
        },
    };
    execute_and_answer(
        &app,
        account,
        Action::PlaceOrder(order),
        StatusCode::CREATED,
    )
    .await
}

/// `PATCH /orders/{id}` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Amend {
    price: u64,
    quantity: u64,
}

async fn amend(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let order = OrderRef::Id(OrderId(request.param(0, "id")?));
    let Amend { price, quantity } = request.json()?;
    let account = request.caller()?.account;
    app.rate_limits.order(account)?;
    let action = Action::AmendOrder {
        order,
        price: Price(price),
        quantity: Quantity(quantity),
    };
    execute_and_answer(&app, account, action, StatusCode::OK).await
}

async fn cancel(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let order = OrderRef::Id(OrderId(request.param(0, "id")?));
    cancel_one(&app, &request, order).await
}

async fn cancel_by_client_id(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let order = OrderRef::Client(ClientOrderId(request.param(0, "client_order_id")?));
    cancel_one(&app, &request, order).await
}

async fn cancel_one(
    app: &App,
    request: &ApiRequest,
    order: OrderRef,
) -> Result<Response, ApiError> {
    let account = request.caller()?.account;
    app.rate_limits.order(account)?;
    execute_and_answer(app, account, Action::CancelOrder { order }, StatusCode::OK).await
}

/// `DELETE /orders` query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TickerQuery {
    ticker: Option<String>,
}

impl TickerQuery {
    fn symbol(&self) -> Result<Option<Symbol>, ApiError> {
        self.ticker
            .as_deref()
            .map(Symbol::new)
            .transpose()
            .map_err(|error| ApiError::bad_request("invalid_symbol", error.to_string()))
    }
}

/// What cancelling all orders did.
#[derive(Serialize)]
struct CancelledBody {
    seq: Option<u64>,
    cancelled: Vec<OrderRecord>,
}

async fn cancel_all(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = request.query::<TickerQuery>()?.symbol()?;
    let account = request.caller()?.account;
    app.rate_limits.order(account)?;
    let ticker = resolve(&app, symbol).await?;
    let command = Command::by(account, Action::CancelAllOrders { ticker });
    // With nothing open the command changes nothing: it is answered from the state as it is
    // now and not logged, so a client that calls it in a loop does not grow the log.
    let nothing_open = app
        .read(move |side| exchange_core::decide(side.state, &command).map(|e| e.is_empty()))
        .await??;
    if nothing_open {
        let body = CancelledBody {
            seq: None,
            cancelled: Vec::new(),
        };
        return Ok(reply::ok(&body));
    }
    let body = app
        .execute_then(command, |record, side| {
            let ids = cancelled_orders(record);
            CancelledBody {
                seq: (!ids.is_empty()).then_some(record.seq),
                cancelled: ids
                    .iter()
                    .filter_map(|&id| side.history.order(id))
                    .collect(),
            }
        })
        .await?;
    Ok(reply::ok(&body))
}

/// `GET /orders` query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    ticker: Option<String>,
    limit: Option<usize>,
}

async fn list(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let query: ListQuery = request.query()?;
    let symbol = TickerQuery {
        ticker: query.ticker.clone(),
    }
    .symbol()?;
    let limit = super::market::LimitQuery { limit: query.limit }.rows(RECENT_ORDERS_DEFAULT)?;
    let recent = match query.status.as_deref() {
        None | Some("open") => false,
        Some("recent") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "`status` must be `open` or `recent`, not `{other}`"
            )));
        }
    };
    let account = request.caller()?.account;
    let ticker = resolve(&app, symbol).await?;
    let orders = app
        .read(move |side| {
            if recent {
                side.history.recent_orders(account, ticker, limit)
            } else {
                side.history.open_orders(account, ticker)
            }
        })
        .await?;
    Ok(reply::ok(&orders))
}

async fn get(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let id = OrderId(request.param(0, "id")?);
    let account = request.caller()?.account;
    let order = app.read(move |side| side.history.order(id)).await?;
    own(order, account)
}

async fn get_by_client_id(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let id = ClientOrderId(request.param(0, "client_order_id")?);
    let account = request.caller()?.account;
    let order = app
        .read(move |side| side.history.order_by_client_id(account, id))
        .await?;
    own(order, account)
}

/// The order if it is the caller's, else 404 as if it did not exist.
fn own(order: Option<OrderRecord>, account: AccountId) -> Result<Response, ApiError> {
    match order {
        Some(order) if order.account == account => Ok(reply::ok(&order)),
        _ => Err(unknown_order()),
    }
}

fn unknown_order() -> ApiError {
    // Exactly the engine's answer for an id no order has, so that neither the status, the
    // code nor the message tells another account's order from a missing one.
    Rejection::UnknownOrder.into()
}

/// Another account's order is reported as unknown.
fn hide_others(error: ApiError) -> ApiError {
    if error.code == Rejection::NotOwner(OrderId(0)).code() {
        unknown_order()
    } else {
        error
    }
}

/// The ticker id of an optional symbol.
async fn resolve(app: &App, symbol: Option<Symbol>) -> Result<Option<TickerId>, ApiError> {
    match symbol {
        None => Ok(None),
        Some(symbol) => Ok(Some(app.ticker_id(symbol).await?)),
    }
}

/// The order a command was about: the one it placed, amended or cancelled.
fn subject_order(record: &Record) -> Option<OrderId> {
    let Entry::Command { events, .. } = &record.entry else {
        return None;
    };
    events.iter().find_map(|event| match *event {
        Event::OrderAccepted { order, .. }
        | Event::OrderAmended { order, .. }
        | Event::OrderCancelled { order, .. } => Some(order),
        _ => None,
    })
}

/// The orders a record cancelled.
fn cancelled_orders(record: &Record) -> Vec<OrderId> {
    let Entry::Command { events, .. } = &record.entry else {
        return Vec::new();
    };
    events
        .iter()
        .filter_map(|event| match *event {
            Event::OrderCancelled { order, .. } => Some(order),
            _ => None,
        })
        .collect()
}

/// Executes an order command of `account` and answers with the order as the command's
/// batch left it, the command's fills and its events (made on the sequencer, in the same
/// trip as the command). Another account's order is reported as unknown.
async fn execute_and_answer(
    app: &App,
    account: AccountId,
    action: Action,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let result = app
        .execute_then(Command::by(account, action), move |record, side| {
            order_result(record, account, side)
        })
        .await
        .map_err(hide_others)?;
    Ok(reply::json(status, &result))
}

/// What an order command of `account` did, as [`execute_and_answer`] answers it.
fn order_result(record: &Record, account: AccountId, side: ReadSide<'_>) -> OrderResult {
    let order = subject_order(record).and_then(|id| side.history.order(id));
    let fills = side.history.fills_of(record, account);
    let Entry::Command { events, .. } = &record.entry else {
        unreachable!("commands produce command records")
    };
    let symbol_of = |ticker| {
        side.history
            .symbol(ticker)
            .expect("invariant: every ticker an event names was created before it")
    };
    OrderResult {
        seq: record.seq,
        time_ms: record.timestamp_ns / 1_000_000,
        order,
        fills,
        events: events
            .iter()
            .map(|event| WireEvent::new(event, symbol_of))
            .collect(),
    }
}
