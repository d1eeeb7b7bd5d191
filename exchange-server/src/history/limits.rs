//! How much history is kept. Every collection in [`super::History`] is bounded by one of
//! these constants (per ticker or per account) or by a limit of the core
//! ([`exchange_core::limits`]): open orders per account, tickers, accounts.

use std::collections::VecDeque;

/// Milliseconds in one minute: the width of the stored candles.
pub const MINUTE_MS: u64 = 60_000;

/// Milliseconds in one day: the window of [`super::DayStats`].
pub const DAY_MS: u64 = 24 * 60 * MINUTE_MS;

/// Recent trades kept per ticker; older ones are dropped.
pub const TRADES_KEPT_PER_TICKER: usize = 1_000;

/// One-minute candles kept per ticker (30 days); the oldest are dropped first.
pub const CANDLES_1M_KEPT_PER_TICKER: usize = 43_200;

/// Fills kept per account; older ones are dropped.
pub const FILLS_KEPT_PER_ACCOUNT: usize = 1_000;

/// Credit transfers (in, out and deposits) kept per account; older ones are dropped.
pub const TRANSFERS_KEPT_PER_ACCOUNT: usize = 1_000;

/// Finished (filled or cancelled) orders kept per account. Older ones are forgotten by
/// every lookup: by account, by id and by client order id.
pub const FINISHED_ORDERS_KEPT_PER_ACCOUNT: usize = 1_000;

/// Entries of the public activity feed kept (trades, transfers, accounts opened and
/// closed, across the exchange); older ones are dropped.
pub const ACTIVITY_KEPT: usize = 1_000;

const _: () = assert!(CANDLES_1M_KEPT_PER_TICKER as u64 * MINUTE_MS == 30 * DAY_MS);
// The day statistics read one day of one-minute candles, so at least that many are kept.
const _: () = assert!(CANDLES_1M_KEPT_PER_TICKER as u64 * MINUTE_MS >= DAY_MS);
const _: () = assert!(TRADES_KEPT_PER_TICKER > 0);
const _: () = assert!(FILLS_KEPT_PER_ACCOUNT > 0);
const _: () = assert!(TRANSFERS_KEPT_PER_ACCOUNT > 0);
const _: () = assert!(FINISHED_ORDERS_KEPT_PER_ACCOUNT > 0);
const _: () = assert!(ACTIVITY_KEPT > 0);

/// Appends `item` to `ring`, first dropping the oldest entry if `ring` already holds
/// `kept`, and returns the dropped entry. Once full, the ring never reallocates.
pub(super) fn push_bounded<T>(ring: &mut VecDeque<T>, item: T, kept: usize) -> Option<T> {
    assert!(kept > 0, "a ring keeps at least one entry");
    assert!(
        ring.len() <= kept,
        "invariant: a ring never exceeds its limit"
    );
    let dropped = if ring.len() == kept {
        ring.pop_front()
    } else {
        None
    };
    ring.push_back(item);
    dropped
}

/// The newest `limit` entries of `ring`, newest first.
pub(super) fn newest_first<T: Copy>(ring: &VecDeque<T>, limit: usize) -> Vec<T> {
    ring.iter().rev().take(limit).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_ring_drops_its_oldest_entry() {
        let mut ring = VecDeque::new();
        for i in 0..3 {
            assert_eq!(push_bounded(&mut ring, i, 3), None);
        }
        assert_eq!(push_bounded(&mut ring, 3, 3), Some(0));
        assert_eq!(newest_first(&ring, 10), vec![3, 2, 1]);
        assert_eq!(newest_first(&ring, 2), vec![3, 2]);
        assert_eq!(newest_first(&ring, 0), Vec::<i32>::new());
    }
}
