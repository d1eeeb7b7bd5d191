//! `/api/v1/tickers`: public market data.

use super::{route, Route};
use crate::history::{DayStats, Interval};
use crate::http::error::ApiError;
use crate::http::reply;
use crate::http::request::ApiRequest;
use crate::server::app::{now_ms, App};
use crate::server::sequencer::ReadSide;
use crate::wire::{Level, WireTickerStatus};
use exchange_core::limits::DEPTH_LEVELS_MAX;
use exchange_core::{Price, Symbol, TickerId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use warp::reply::Response;

/// Depth levels per side when `levels` is not given.
pub const DEPTH_LEVELS_DEFAULT: usize = 20;
/// Most trades or candles one request returns.
pub const HISTORY_ROWS_MAX: usize = 1_000;
/// Trades returned when `limit` is not given.
pub const TRADES_DEFAULT: usize = 100;
/// Activity entries returned when `limit` is not given.
pub const ACTIVITY_DEFAULT: usize = 100;
/// Candles returned when `from` is not given: this many intervals back from `to`.
pub const CANDLES_DEFAULT: u64 = 500;

/// The routes of this family.
pub fn routes() -> Vec<Route> {
    vec![
        route!(GET "/api/v1/tickers", Public, tickers),
        route!(GET "/api/v1/tickers/{symbol}", Public, ticker),
        route!(GET "/api/v1/tickers/{symbol}/quote", Public, quote),
        route!(GET "/api/v1/tickers/{symbol}/depth", Public, depth, query = ["levels"]),
        route!(GET "/api/v1/tickers/{symbol}/trades", Public, trades, query = ["limit"]),
        route!(GET "/api/v1/tickers/{symbol}/candles", Public, candles, query = ["interval", "from", "to"]),
        route!(GET "/api/v1/activity", Public, activity, query = ["limit"]),
    ]
}

/// A ticker with its quote and the last day's trading.
#[derive(Serialize)]
pub struct TickerSummary {
    /// Its symbol.
    pub symbol: Symbol,
    /// Open or closed.
    pub status: WireTickerStatus,
    /// The last trade's price.
    pub last_price: Option<Price>,
    /// The best bid.
    pub bid: Option<Level>,
    /// The best ask.
    pub ask: Option<Level>,
    /// Shares traded in the last 24 hours.
    pub volume: u64,
    /// Trades in the last 24 hours.
    pub trades: u64,
    /// The last price minus the first price traded in the last 24 hours.
    pub change: Option<i64>,
}

/// The summary of one ticker.
pub fn summary(side: ReadSide<'_>, ticker: TickerId, now_ms: u64) -> Option<TickerSummary> {
    let view = side.state.ticker(ticker)?;
    let quote = side.state.quote(ticker)?;
    let DayStats {
        volume,
        trades,
        first_price,
        last_price: _,
    } = side.history.day_stats(ticker, now_ms);
    let change = match (view.last_price, first_price) {
        (Some(last), Some(first)) => i64::try_from(last.0)
            .ok()
            .zip(i64::try_from(first).ok())
            .map(|(last, first)| last - first),
        _ => None,
    };
    Some(TickerSummary {
        symbol: view.symbol,
        status: view.status.into(),
        last_price: view.last_price,
        bid: quote.bid.map(Level::from),
        ask: quote.ask.map(Level::from),
        volume,
        trades,
        change,
    })
}

/// The ticker named by the path's first parameter.
pub fn symbol_param(request: &ApiRequest) -> Result<Symbol, ApiError> {
    let raw = request.params.first().map_or("", String::as_str);
    Symbol::new(raw).map_err(|error| ApiError::bad_request("invalid_symbol", error.to_string()))
}

/// The id of `symbol`, or 404 `unknown_ticker`.
pub fn ticker_id(side: ReadSide<'_>, symbol: Symbol) -> Result<TickerId, ApiError> {
    side.state
        .ticker_by_symbol(&symbol)
        .ok_or_else(|| ApiError::not_found("unknown_ticker", format!("no ticker `{symbol}`")))
}

async fn tickers(app: Arc<App>, _request: ApiRequest) -> Result<Response, ApiError> {
    let now = now_ms();
    let summaries = app
        .read(move |side| {
            let tickers = side.state.tickers();
            let summaries: Vec<TickerSummary> = tickers
                .iter()
                .filter_map(|view| summary(side, view.id, now))
                .collect();
            summaries
        })
        .await?;
    Ok(reply::ok(&summaries))
}

async fn ticker(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = symbol_param(&request)?;
    let now = now_ms();
    let summary = app
        .read(move |side| {
            let id = ticker_id(side, symbol)?;
            summary(side, id, now).ok_or_else(|| ApiError::not_found("unknown_ticker", "gone"))
        })
        .await??;
    Ok(reply::ok(&summary))
}

/// A quote.
#[derive(Serialize)]
struct QuoteBody {
    symbol: Symbol,
    seq: u64,
    bid: Option<Level>,
    ask: Option<Level>,
    last_price: Option<Price>,
}

async fn quote(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = symbol_param(&request)?;
    let body = app
        .read(move |side| {
            let id = ticker_id(side, symbol)?;
            let quote = side.state.quote(id);
            let (bid, ask) = quote.map_or((None, None), |quote| (quote.bid, quote.ask));
            Ok::<_, ApiError>(QuoteBody {
                symbol,
                seq: side.seq,
                bid: bid.map(Level::from),
                ask: ask.map(Level::from),
                last_price: side.state.last_trade_price(id),
            })
        })
        .await??;
    Ok(reply::ok(&body))
}

/// `depth` query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepthQuery {
    levels: Option<usize>,
}

/// An order book's top levels.
#[derive(Serialize)]
struct DepthBody {
    symbol: Symbol,
    seq: u64,
    bids: Vec<Level>,
    asks: Vec<Level>,
}

async fn depth(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = symbol_param(&request)?;
    let DepthQuery { levels } = request.query()?;
    let levels = levels.unwrap_or(DEPTH_LEVELS_DEFAULT);
    if !(1..=DEPTH_LEVELS_MAX).contains(&levels) {
        return Err(ApiError::invalid(format!(
            "`levels` must be from 1 to {DEPTH_LEVELS_MAX}"
        )));
    }
    let body = app
        .read(move |side| {
            let id = ticker_id(side, symbol)?;
            let (bids, asks) = side
                .state
                .depth(id, levels)
                .map_or((Vec::new(), Vec::new()), |depth| (depth.bids, depth.asks));
            Ok::<_, ApiError>(DepthBody {
                symbol,
                seq: side.seq,
                bids: bids.into_iter().map(Level::from).collect(),
                asks: asks.into_iter().map(Level::from).collect(),
            })
        })
        .await??;
    Ok(reply::ok(&body))
}

/// `limit` query of the history routes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitQuery {
    /// How many rows, newest first.
    pub limit: Option<usize>,
}

impl LimitQuery {
    /// The limit, defaulted and checked against [`HISTORY_ROWS_MAX`].
    pub fn rows(&self, default: usize) -> Result<usize, ApiError> {
        let limit = self.limit.unwrap_or(default);
        if (1..=HISTORY_ROWS_MAX).contains(&limit) {
            Ok(limit)
        } else {
            Err(ApiError::invalid(format!(
                "`limit` must be from 1 to {HISTORY_ROWS_MAX}"
            )))
        }
    }
}

async fn trades(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = symbol_param(&request)?;
    let limit = request.query::<LimitQuery>()?.rows(TRADES_DEFAULT)?;
    let trades = app
        .read(move |side| {
            let id = ticker_id(side, symbol)?;
            Ok::<_, ApiError>(side.history.trades(id, limit))
        })
        .await??;
    Ok(reply::ok(&trades))
}

async fn activity(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let limit = request.query::<LimitQuery>()?.rows(ACTIVITY_DEFAULT)?;
    let entries = app.read(move |side| side.history.activity(limit)).await?;
    Ok(reply::ok(&entries))
}

/// `candles` query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandleQuery {
    interval: Option<String>,
    from: Option<u64>,
    to: Option<u64>,
}

async fn candles(app: Arc<App>, request: ApiRequest) -> Result<Response, ApiError> {
    let symbol = symbol_param(&request)?;
    let query: CandleQuery = request.query()?;
    let interval = match query.interval.as_deref() {
        None => Interval::M1,
        Some(text) => Interval::parse(text).ok_or_else(|| {
            ApiError::invalid(format!(
                "`interval` must be one of 1m, 5m, 15m, 1h, 4h, 1d, not `{text}`"
            ))
        })?,
    };
    let to = query.to.unwrap_or_else(now_ms);
    let from = query
        .from
        .unwrap_or_else(|| to.saturating_sub(CANDLES_DEFAULT * interval.length_ms()));
    if from > to {
        return Err(ApiError::invalid("`from` is after `to`"));
    }
    let candles = app
        .read(move |side| {
            let id = ticker_id(side, symbol)?;
            Ok::<_, ApiError>(
                side.history
                    .candles(id, interval, from, to, HISTORY_ROWS_MAX),
            )
        })
        .await??;
    Ok(reply::ok(&candles))
}
