//! The whole state of the exchange. It changes only through [`crate::evolve`].

use crate::book::OrderArena;
use crate::ids::{AccountId, ClientOrderId, OrderId};
use crate::ledger::Ledger;
use crate::ticker::Tickers;
use rustc_hash::FxHashMap;

/// Accounts, tickers, books and the counters that assign ids. Build it empty with
/// [`State::default`] and change it only by applying events; read it through the view
/// methods (see [`crate::views`]).
///
/// Nothing in it depends on hash iteration order, time or randomness: the same events in
/// the same order always produce the same [`State::state_hash`].
#[derive(Clone, Debug)]
pub struct State {
    pub(crate) ledger: Ledger,
    pub(crate) tickers: Tickers,
    pub(crate) orders: OrderArena,
    /// Every client order id ever used, per account, with the order it named.
    pub(crate) client_ids: FxHashMap<(AccountId, ClientOrderId), OrderId>,
    /// The id the next accepted order gets.
    pub(crate) next_order_id: OrderId,
    /// How many alerts are set across all accounts, so commands skip alert checks when none is.
    pub(crate) alerts_set: u32,
}

impl Default for State {
    fn default() -> Self {
        Self {
            ledger: Ledger::default(),
            tickers: Tickers::default(),
            orders: OrderArena::default(),
            client_ids: FxHashMap::default(),
            next_order_id: OrderId(1),
            alerts_set: 0,
        }
    }
}
