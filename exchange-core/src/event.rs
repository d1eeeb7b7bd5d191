//! Events: the facts a command produced. [`crate::evolve`] applies them one by one; the log
//! stores them; replaying them rebuilds the whole state. Variants are only ever added at the
//! end, so logs stay readable by later versions.

use crate::command::{AccountKind, AlertDirection, OrderType, SelfTrade, Side, TickerStatus};
use crate::ids::{AccountId, ClientOrderId, OrderId, TickerId};
use crate::money::{Credits, Price, Quantity};
use crate::symbol::Symbol;
use serde::{Deserialize, Serialize};

/// One fact. Events carry every figure needed to apply them, so applying one makes no
/// decision and consults no policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A new account exists, with no credits and no shares.
    AccountCreated {
        /// Its id: always the next id in sequence.
        account: AccountId,
        /// Its kind.
        kind: AccountKind,
        /// The orchestrator that created it, if any.
        orchestrated_by: Option<AccountId>,
    },
    /// A new ticker is listed, open, with an empty book.
    TickerCreated {
        /// Its id: always the next id in sequence.
        ticker: TickerId,
        /// Its symbol.
        symbol: Symbol,
    },
    /// A ticker was opened or closed for trading.
    TickerStatusChanged {
        /// Which ticker.
        ticker: TickerId,
        /// Its new status.
        status: TickerStatus,
    },
    /// New credits entered the exchange in an account's available balance.
    CreditsDeposited {
        /// Who received them.
        account: AccountId,
        /// How many.
        amount: Credits,
    },
    /// New shares entered the exchange in an account's available position.
    SharesIssued {
        /// Who received them.
        account: AccountId,
        /// Of which ticker.
        ticker: TickerId,
        /// How many.
        quantity: Quantity,
    },
    /// Available credits moved between two accounts.
    CreditsTransferred {
        /// Who paid.
        from: AccountId,
        /// Who received.
        to: AccountId,
        /// How many.
        amount: Credits,
        /// Why.
        reason: TransferReason,
    },
    /// Available shares moved between two accounts outside of trading.
    SharesTransferred {
        /// Who delivered.
        from: AccountId,
        /// Who received.
        to: AccountId,
        /// Of which ticker.
        ticker: TickerId,
        /// How many.
        quantity: Quantity,
        /// Why.
        reason: TransferReason,
    },
    /// An order passed validation and was assigned its id. It holds nothing yet: what it
    /// trades, rests or cancels follows in the same command's events.
    OrderAccepted {
        /// Its id: always the next id in sequence.
        order: OrderId,
        /// Whose order.
        account: AccountId,
        /// Where.
        ticker: TickerId,
        /// Buy or sell.
        side: Side,
        /// Market or limit.
        order_type: OrderType,
        /// The quantity asked for.
        quantity: Quantity,
        /// The client's id for it, if any.
        client_order_id: Option<ClientOrderId>,
        /// Its self-trade policy.
        self_trade: SelfTrade,
    },
    /// An incoming order (the taker) traded with a resting order (the maker) at the maker's
    /// price. The buyer paid `price * quantity` credits and received `quantity` shares.
    Trade {
        /// Where.
        ticker: TickerId,
        /// The maker's price, in credits per share.
        price: Price,
        /// Shares traded.
        quantity: Quantity,
        /// The resting order.
        maker_order: OrderId,
        /// Its owner.
        maker_account: AccountId,
        /// The incoming order.
        taker_order: OrderId,
        /// Its owner.
        taker_account: AccountId,
        /// The incoming order's side.
        taker_side: Side,
    },
    /// The remainder of an incoming limit order joined the book at the back of its price
    /// level, holding `price * quantity` credits (a buy) or `quantity` shares (a sell).
    OrderRested {
        /// Which order.
        order: OrderId,
        /// Whose.
        account: AccountId,
        /// Where.
        ticker: TickerId,
        /// Buy or sell.
        side: Side,
        /// Its limit price.
        price: Price,
        /// The quantity resting.
        quantity: Quantity,
        /// The quantity the order traded on arrival, before resting.
        filled: Quantity,
        /// The client's id for it, if any.
        client_order_id: Option<ClientOrderId>,
    },
    /// A resting order left the book and released what it held.
    OrderCancelled {
        /// Which order.
        order: OrderId,
        /// Whose.
        account: AccountId,
        /// Where.
        ticker: TickerId,
        /// Buy or sell.
        side: Side,
        /// Its limit price.
        price: Price,
        /// The quantity that was still resting.
        quantity: Quantity,
        /// Why.
        reason: CancelReason,
    },
    /// The part of an incoming order that neither traded nor rested was dropped. It held
    /// nothing, so nothing is released.
    RemainderCancelled {
        /// Which order.
        order: OrderId,
        /// Whose.
        account: AccountId,
        /// The quantity dropped.
        quantity: Quantity,
        /// Why.
        reason: RemainderReason,
    },
    /// A resting order's price or quantity changed, and its hold with it.
    OrderAmended {
        /// Which order.
        order: OrderId,
        /// Whose.
        account: AccountId,
        /// Where.
        ticker: TickerId,
        /// Buy or sell.
        side: Side,
        /// The price before.
        old_price: Price,
        /// The resting quantity before.
        old_quantity: Quantity,
        /// The price now.
        price: Price,
        /// The resting quantity now.
        quantity: Quantity,
        /// Whether the order kept its place in the queue.
        priority: Priority,
    },
    /// An account was closed; it can no longer act or receive anything.
    AccountClosed {
        /// Which account.
        account: AccountId,
    },
    /// A balance alert was set (or replaced), armed.
    AlertSet {
        /// Whose.
        account: AccountId,
        /// Below or above.
        direction: AlertDirection,
        /// The threshold, in total credits.
        threshold: Credits,
    },
    /// A balance alert was removed.
    AlertCleared {
        /// Whose.
        account: AccountId,
        /// Below or above.
        direction: AlertDirection,
    },
    /// An armed alert's condition became true; the alert is now disarmed until it re-arms.
    AlertTriggered {
        /// Whose.
        account: AccountId,
        /// Below or above.
        direction: AlertDirection,
        /// The threshold crossed.
        threshold: Credits,
        /// Total credits after the command.
        balance: Credits,
    },
    /// A disarmed alert's condition became false again, so it will fire on the next crossing.
    AlertRearmed {
        /// Whose.
        account: AccountId,
        /// Below or above.
        direction: AlertDirection,
    },
}

impl Event {
    /// The accounts the event changes or names, at most two: both sides of a trade or
    /// transfer, an account and its orchestrator when created, otherwise the one account
    /// it concerns. Ticker events name none.
    pub fn accounts(&self) -> [Option<AccountId>; 2] {
        match *self {
            Event::AccountCreated {
                account,
                orchestrated_by,
                ..
            } => [Some(account), orchestrated_by],
            Event::CreditsTransferred { from, to, .. }
            | Event::SharesTransferred { from, to, .. } => [Some(from), Some(to)],
            Event::Trade {
                maker_account,
                taker_account,
                ..
            } => [Some(maker_account), Some(taker_account)],
            Event::CreditsDeposited { account, .. }
            | Event::SharesIssued { account, .. }
            | Event::OrderAccepted { account, .. }
            | Event::OrderRested { account, .. }
            | Event::OrderCancelled { account, .. }
            | Event::RemainderCancelled { account, .. }
            | Event::OrderAmended { account, .. }
            | Event::AccountClosed { account }
            | Event::AlertSet { account, .. }
            | Event::AlertCleared { account, .. }
            | Event::AlertTriggered { account, .. }
            | Event::AlertRearmed { account, .. } => [Some(account), None],
            Event::TickerCreated { .. } | Event::TickerStatusChanged { .. } => [None, None],
        }
    }
}

/// Why credits or shares moved outside of a trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransferReason {
    /// One account paid another at its own request.
    Payment,
    /// An orchestrator funded an account it created.
    Funding,
    /// An orchestrator took back everything an account it orchestrates held.
    Liquidation,
}

/// Why a resting order was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CancelReason {
    /// Its owner cancelled it.
    Requested,
    /// Its owner cancelled all its orders.
    CancelAll,
    /// An incoming order of the same account would have traded with it.
    SelfTrade,
    /// Its account was liquidated.
    Liquidation,
}

/// Why part of an incoming order was dropped rather than rested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RemainderReason {
    /// A market order found no more liquidity.
    NoLiquidity,
    /// A market buy ran out of available credits.
    InsufficientCredits,
    /// An immediate-or-cancel limit order traded what it could.
    ImmediateOrCancel,
    /// The order's self-trade policy stopped it at its own resting order.
    SelfTrade,
}

/// Whether an amended order kept its place in its price level's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Priority {
    /// Same price, smaller quantity: the order stays where it was.
    Kept,
    /// New price or larger quantity: the order moved to the back of its level.
    Lost,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_names_the_accounts_it_concerns() {
        let (trader, orchestrator) = (AccountId(7), AccountId(3));
        let created = Event::AccountCreated {
            account: trader,
            kind: AccountKind::Standard,
            orchestrated_by: Some(orchestrator),
        };
        assert_eq!(created.accounts(), [Some(trader), Some(orchestrator)]);
        let closed = Event::AccountClosed { account: trader };
        assert_eq!(closed.accounts(), [Some(trader), None]);
        let listed = Event::TickerStatusChanged {
            ticker: TickerId(1),
            status: TickerStatus::Closed,
        };
        assert_eq!(listed.accounts(), [None, None]);
    }
}
