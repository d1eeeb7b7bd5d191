//! The text forms of the inspect reports: aligned columns for a person.
//!
//! A summary:
//! ```text
//! state after record 5123
//! state hash      3fa1…
//! credits total   8001200
//! orders resting  412
//!
//! id    symbol      status  bid                 ask                 last    trades  volume  shares
//! 1     ALFA        open    101 x 12 (3)        102 x 5 (1)         101     1234    5678    80000
//!
//! id    kind          status  available     held          orders  positions
//! 1     admin         active  1000000       0             0       2
//! ```
//! An account:
//! ```text
//! account 3 after record 5123: standard, active
//! credits available  998000
//! credits held       2000
//! orders open        1
//!
//! symbol      available     held
//! ALFA        9990          10
//!
//! id        symbol      side  price     remaining   filled      client id
//! 123       ALFA        buy   99        5           0           -
//! ```
//! A ticker:
//! ```text
//! ticker ALFA (id 1) after record 5123: open
//! last price  101
//! trades      1234
//! volume      5678
//! shares      80000
//!
//! bid price   quantity    orders  | ask price   quantity    orders
//! 101         12          3       | 102         5           1
//! ```

use super::{AccountReport, Report, Summary, TickerReport};
use exchange_core::{LevelView, State, TickerId};
use std::fmt::Debug;
use std::io::{self, Write};

/// Writes `report` as text. `state` is the state it was built from, for ticker symbols.
pub fn write(out: &mut dyn Write, report: &Report, state: &State) -> io::Result<()> {
    match report {
        Report::Summary(summary) => write_summary(out, summary),
        Report::Account(account) => write_account(out, account, state),
        Report::Ticker(ticker) => write_ticker(out, ticker),
    }
}

fn write_summary(out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
    writeln!(out, "state after record {}", summary.seq)?;
    writeln!(out, "state hash      {}", summary.state_hash)?;
    writeln!(out, "credits total   {}", summary.credits_total)?;
    writeln!(out, "orders resting  {}", summary.orders_resting)?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<6}{:<12}{:<8}{:<20}{:<20}{:<8}{:<8}{:<8}shares",
        "id", "symbol", "status", "bid", "ask", "last", "trades", "volume"
    )?;
    for line in &summary.tickers {
        let ticker = &line.ticker;
        let last = ticker.last_price.map_or("-".to_owned(), |p| p.to_string());
        writeln!(
            out,
            "{:<6}{:<12}{:<8}{:<20}{:<20}{:<8}{:<8}{:<8}{}",
            ticker.id,
            ticker.symbol.as_str(),
            word(ticker.status),
            level(line.quote.bid),
            level(line.quote.ask),
            last,
            ticker.trades,
            ticker.volume,
            ticker.shares_total
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<6}{:<14}{:<8}{:<14}{:<14}{:<8}positions",
        "id", "kind", "status", "available", "held", "orders"
    )?;
    for account in &summary.accounts {
        writeln!(
            out,
            "{:<6}{:<14}{:<8}{:<14}{:<14}{:<8}{}",
            account.id,
            word(account.kind),
            word(account.status),
            account.credits_available,
            account.credits_held,
            account.orders_open,
            account.positions.len()
        )?;
    }
    Ok(())
}

fn write_account(out: &mut dyn Write, report: &AccountReport, state: &State) -> io::Result<()> {
    let account = &report.account;
    write!(out, "account {} after record {}: ", account.id, report.seq)?;
    write!(out, "{}, {}", word(account.kind), word(account.status))?;
    match account.orchestrated_by {
        Some(orchestrator) => writeln!(out, ", orchestrated by {orchestrator}")?,
        None => writeln!(out)?,
    }
    writeln!(out, "credits available  {}", account.credits_available)?;
    writeln!(out, "credits held       {}", account.credits_held)?;
    writeln!(out, "orders open        {}", account.orders_open)?;
    writeln!(out)?;
    writeln!(out, "{:<12}{:<14}held", "symbol", "available")?;
    for position in &account.positions {
        let symbol = symbol(state, position.ticker);
        writeln!(
            out,
            "{symbol:<12}{:<14}{}",
            position.available, position.held
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<10}{:<12}{:<6}{:<10}{:<12}{:<12}client id",
        "id", "symbol", "side", "price", "remaining", "filled"
    )?;
    for order in &report.open_orders {
        let client = order
            .client_order_id
            .map_or("-".to_owned(), |c| c.to_string());
        writeln!(
            out,
            "{:<10}{:<12}{:<6}{:<10}{:<12}{:<12}{client}",
            order.id,
            symbol(state, order.ticker),
            word(order.side),
            order.price,
            order.remaining,
            order.filled
        )?;
    }
    Ok(())
}

fn write_ticker(out: &mut dyn Write, report: &TickerReport) -> io::Result<()> {
    let ticker = &report.ticker;
    writeln!(
        out,
        "ticker {} (id {}) after record {}: {}",
        ticker.symbol,
        ticker.id,
        report.seq,
        word(ticker.status)
    )?;
    let last = ticker.last_price.map_or("-".to_owned(), |p| p.to_string());
    writeln!(out, "last price  {last}")?;
    writeln!(out, "trades      {}", ticker.trades)?;
    writeln!(out, "volume      {}", ticker.volume)?;
    writeln!(out, "shares      {}", ticker.shares_total)?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<12}{:<12}{:<8}| {:<12}{:<12}orders",
        "bid price", "quantity", "orders", "ask price", "quantity"
    )?;
    let (bids, asks) = (&report.depth.bids, &report.depth.asks);
    for row in 0..bids.len().max(asks.len()) {
        let bid = depth_cells(bids.get(row));
        let ask = depth_cells(asks.get(row));
        writeln!(out, "{bid}| {}", ask.trim_end())?;
    }
    Ok(())
}

/// A quote's side: `price x quantity (orders)`, or `-` when the side is empty.
fn level(level: Option<LevelView>) -> String {
    level.map_or("-".to_owned(), |l| {
        format!("{} x {} ({})", l.price, l.quantity, l.orders)
    })
}

/// One side of a depth row, padded to its columns.
fn depth_cells(level: Option<&LevelView>) -> String {
    match level {
        Some(l) => format!("{:<12}{:<12}{:<8}", l.price, l.quantity, l.orders),
        None => format!("{:<32}", ""),
    }
}

/// A ticker's symbol, or its id if it is not listed.
fn symbol(state: &State, ticker: TickerId) -> String {
    state
        .ticker(ticker)
        .map_or_else(|| ticker.to_string(), |t| t.symbol.to_string())
}

/// A unit enum variant as a lowercase word (`Buy` is `buy`).
fn word(value: impl Debug) -> String {
    format!("{value:?}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::{Price, Quantity, Side};

    #[test]
    fn empty_quote_sides_are_dashes() {
        assert_eq!(level(None), "-");
        let bid = LevelView {
            price: Price(101),
            quantity: Quantity(12),
            orders: 3,
        };
        assert_eq!(level(Some(bid)), "101 x 12 (3)");
        assert_eq!(depth_cells(None).len(), 32);
        assert_eq!(word(Side::Buy), "buy");
    }
}
