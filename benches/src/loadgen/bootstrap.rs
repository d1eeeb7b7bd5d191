//! The load generator's market: the bootstrap file a server must be started with, and the
//! accounts and prices the workloads use in it.
//!
//! One ticker, [`TICKER`]; [`TRADERS`] funded traders, each with a fixed API token, whom
//! the HTTP clients share round-robin (client `i` trades as trader `i % TRADERS`); and the
//! fan-out driver, a trader of its own. The prices are chosen so nothing ever trades:
//!
//! ```text
//! HTTP buys  BUY_PRICE_MIN ..  (100 prices)   <  FANOUT_PRICE  <  HTTP sells SELL_PRICE_MIN ..
//! ```
//!
//! so every command is a plain rest or cancel, and each of the driver's orders (a buy at
//! [`FANOUT_PRICE`]) becomes the best bid when placed and stops being it when cancelled:
//! each changes the `quotes:LOAD` quote, whatever the HTTP clients left resting.
//!
//! The tokens are public (they are derived from the trader's number): start a server with
//! this file only on a loopback address.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The ticker every workload trades.
pub const TICKER: &str = "LOAD";

/// Traders the HTTP clients share (the driver is not one of them).
pub const TRADERS: usize = 16;

/// Credits each trader and the driver start with: far more than their orders ever hold.
pub const CREDITS_PER_TRADER: u64 = 1_000_000_000;

/// Shares of [`TICKER`] each trader and the driver start with.
pub const SHARES_PER_TRADER: u64 = 1_000_000;

/// The lowest price of the HTTP clients' buys; client `i` buys at `BUY_PRICE_MIN + i % 100`.
pub const BUY_PRICE_MIN: u64 = 100;

/// The fan-out driver's buy price: above every HTTP buy, below every HTTP sell.
pub const FANOUT_PRICE: u64 = 500;

/// The lowest price of the HTTP clients' sells; client `i` sells at `SELL_PRICE_MIN + i % 100`.
pub const SELL_PRICE_MIN: u64 = 1_000;

/// How many prices the HTTP clients spread their orders over, on each side.
pub const PRICES_PER_SIDE: u64 = 100;

const _: () = assert!(BUY_PRICE_MIN + PRICES_PER_SIDE <= FANOUT_PRICE);
const _: () = assert!(FANOUT_PRICE < SELL_PRICE_MIN);

/// Trader `index`'s API token (`index` from 0 to [`TRADERS`] - 1): 64 lower-case hex
/// characters, as the bootstrap file requires.
pub fn trader_token(index: usize) -> String {
    assert!(index < TRADERS, "trader {index} is not in the bootstrap");
    token(index as u64 + 1)
}

/// The fan-out driver's API token.
pub fn driver_token() -> String {
    token(0)
}

/// `10ad` followed by `number` in 60 hex digits.
fn token(number: u64) -> String {
    format!("10ad{number:060x}")
}

/// The bootstrap file's text: the ticker, the driver, then the traders.
pub fn bootstrap_toml() -> String {
    let mut text = String::from(
        "# The load generator's market (benches, `loadgen --write-bootstrap`). Its API tokens\n\
         # are public: serve it on a loopback address only.\n\n",
    );
    // Writing to a String cannot fail.
    let _ = writeln!(text, "[[tickers]]\nsymbol = \"{TICKER}\"");
    user(&mut text, "driver", &driver_token());
    for index in 0..TRADERS {
        user(
            &mut text,
            &format!("trader-{index:02}"),
            &trader_token(index),
        );
    }
    text
}

/// Appends one funded user.
fn user(text: &mut String, name: &str, token: &str) {
    // Writing to a String cannot fail.
    let _ = write!(
        text,
        "\n[[users]]\n\
         email = \"{name}@loadgen.example\"\n\
         password = \"loadgen-{name}\"\n\
         credits = {CREDITS_PER_TRADER}\n\
         shares = {{ {TICKER} = {SHARES_PER_TRADER} }}\n\
         api_token = \"{token}\"\n"
    );
}

/// Writes [`bootstrap_toml`] to `path`.
pub fn write_bootstrap(path: &Path) -> io::Result<()> {
    std::fs::write(path, bootstrap_toml())
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_server::server::bootstrap::Bootstrap;

    #[test]
    fn the_loadgen_bootstrap_is_one_the_server_accepts() {
        let bootstrap = Bootstrap::parse(&bootstrap_toml()).expect("a valid bootstrap");
        assert_eq!(bootstrap.tickers.len(), 1);
        assert_eq!(bootstrap.tickers[0].symbol, TICKER);
        assert_eq!(bootstrap.users.len(), TRADERS + 1);
        let tokens: Vec<_> = bootstrap
            .users
            .iter()
            .map(|u| u.api_token.clone())
            .collect();
        assert_eq!(tokens[0].as_deref(), Some(driver_token().as_str()));
        assert_eq!(
            tokens[TRADERS].as_deref(),
            Some(trader_token(TRADERS - 1).as_str())
        );
        for user in &bootstrap.users {
            assert_eq!(user.shares.get(TICKER), Some(&SHARES_PER_TRADER));
        }
    }
}
