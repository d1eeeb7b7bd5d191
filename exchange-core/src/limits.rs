//! Every limit the engine enforces, in one place, with compile-time checks relating them.
//!
//! Amounts are capped at 2^53 - 1 so that every balance, price and quantity the engine can
//! produce is exactly representable as a JSON number in JavaScript clients.

/// Largest amount representable exactly by an IEEE-754 double: 2^53 - 1. Servers that speak
/// JSON bound the numbers they accept by it too.
pub const JS_SAFE_INTEGER_MAX: u64 = (1 << 53) - 1;

/// Most credits that may exist in the whole exchange (the sum of all deposits). Because every
/// account's balance is part of this total, no single balance can overflow either.
pub const CREDITS_TOTAL_MAX: u64 = JS_SAFE_INTEGER_MAX;

/// Most shares of one ticker that may exist (the sum of all issues of that ticker).
pub const SHARES_TOTAL_MAX: u64 = JS_SAFE_INTEGER_MAX;

/// Highest limit price, in credits per share.
pub const PRICE_MAX: u64 = 1_000_000_000;

/// Largest quantity of one order, in shares.
pub const QUANTITY_MAX: u64 = 1_000_000_000_000;

/// Most orders one account may have resting at once, across all tickers.
pub const ORDERS_OPEN_PER_ACCOUNT_MAX: u32 = 10_000;

/// Most tickers the exchange may list.
pub const TICKERS_MAX: u32 = 10_000;

/// Most accounts the exchange may hold (ids are `u32`, and zero is never used).
pub const ACCOUNTS_MAX: u32 = u32::MAX - 1;

/// Shortest ticker symbol, in ASCII characters.
pub const SYMBOL_LEN_MIN: usize = 1;

/// Longest ticker symbol, in ASCII characters.
pub const SYMBOL_LEN_MAX: usize = 10;

/// Most price levels a depth view returns per side.
pub const DEPTH_LEVELS_MAX: usize = 1_000;

const _: () = assert!(CREDITS_TOTAL_MAX <= JS_SAFE_INTEGER_MAX);
const _: () = assert!(SHARES_TOTAL_MAX <= JS_SAFE_INTEGER_MAX);
const _: () = assert!(PRICE_MAX <= CREDITS_TOTAL_MAX);
const _: () = assert!(QUANTITY_MAX <= SHARES_TOTAL_MAX);
// A hold of PRICE_MAX * QUANTITY_MAX does not fit in a u64: decide computes holds with
// checked arithmetic and rejects such an order as an overflow.
const _: () = assert!((PRICE_MAX as u128) * (QUANTITY_MAX as u128) > u64::MAX as u128);
const _: () = assert!(SYMBOL_LEN_MIN >= 1 && SYMBOL_LEN_MIN <= SYMBOL_LEN_MAX);
const _: () = assert!(ORDERS_OPEN_PER_ACCOUNT_MAX > 0);
