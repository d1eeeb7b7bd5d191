//! The wire vocabulary: the JSON shapes the REST API and the WebSocket hub share.
//!
//! Everything here serializes as `docs/api.md` describes: enums as snake-case strings
//! (`"buy"`, `"gtc"`, `"below"`), tickers by [`Symbol`] rather than by id. The core's own
//! types keep their (PascalCase) serde forms for the log; these types translate, with `From`
//! conversions both ways where a client may send the value back.
//!
//! [`WireEvent`] renders one [`Event`] for clients. Its constructor matches every event
//! variant without a wildcard, so a new core event cannot ship without a wire form.

use exchange_core::{
    AccountId, AccountKind, AccountStatus, AlertDirection, CancelReason, ClientOrderId, Credits,
    Event, LevelView, OrderId, OrderType, Price, Priority, Quantity, RemainderReason, SelfTrade,
    Side, Symbol, TickerId, TickerStatus, TimeInForce, TransferReason,
};
use serde::{Deserialize, Serialize};

/// One price level's aggregate: `{"price","quantity","orders"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// The level's price, in credits per share.
    pub price: Price,
    /// Shares resting at this price.
    pub quantity: Quantity,
    /// Orders resting at this price.
    pub orders: u32,
}

impl From<LevelView> for Level {
    fn from(level: LevelView) -> Self {
        Self {
            price: level.price,
            quantity: level.quantity,
            orders: level.orders,
        }
    }
}

/// The best bid and ask with the last trade price: the body of a quote, without the
/// symbol and seq that the REST and WebSocket forms add around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteBody {
    /// The highest bid, if any.
    pub bid: Option<Level>,
    /// The lowest ask, if any.
    pub ask: Option<Level>,
    /// The price of the last trade, if any.
    pub last_price: Option<Price>,
}

/// Defines a snake-case wire enum mirroring a core enum variant for variant, with `From`
/// conversions: `<=>` both ways, `<=` from the core only. The matches are exhaustive, so a
/// new core variant fails to compile here until it has a wire name.
macro_rules! wire_enum {
    (
        $(#[$doc:meta])* $name:ident <=> $core:ident {
            $($(#[$vdoc:meta])* $variant:ident),+ $(,)?
        }
    ) => {
        wire_enum!($(#[$doc])* $name <= $core { $($(#[$vdoc])* $variant),+ });

        impl From<$name> for $core {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => $core::$variant),+
                }
            }
        }
    };
    (
        $(#[$doc:meta])* $name:ident <= $core:ident {
            $($(#[$vdoc:meta])* $variant:ident),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl From<$core> for $name {
            fn from(value: $core) -> Self {
                match value {
                    $($core::$variant => $name::$variant),+
                }
            }
        }
    };
}

wire_enum!(
    /// Buy or sell: `"buy"`, `"sell"`.
    WireSide <=> Side {
        /// Pay credits, receive shares.
        Buy,
        /// Deliver shares, receive credits.
        Sell,
    }
);

wire_enum!(
    /// A limit order's time in force: `"gtc"`, `"ioc"`, `"fok"`, `"post_only"`.
    WireTimeInForce <=> TimeInForce {
        /// Good till cancelled.
        Gtc,
        /// Immediate or cancel.
        Ioc,
        /// Fill or kill.
        Fok,
        /// Rest without trading.
        PostOnly,
    }
);

wire_enum!(
    /// A balance alert's direction: `"below"`, `"above"`.
    WireAlertDirection <=> AlertDirection {
        /// Fires when total credits fall below the threshold.
        Below,
        /// Fires when total credits rise above the threshold.
        Above,
    }
);

wire_enum!(
    /// An account's kind: `"standard"`, `"orchestrator"`, `"admin"`.
    WireAccountKind <=> AccountKind {
        /// A trader.
        Standard,
        /// May create, fund and liquidate accounts.
        Orchestrator,
        /// May administer the exchange.
        Admin,
    }
);

wire_enum!(
    /// A ticker's status: `"open"`, `"closed"`.
    WireTickerStatus <=> TickerStatus {
        /// Orders are accepted.
        Open,
        /// Orders are rejected.
        Closed,
    }
);

wire_enum!(
    /// An account's status: `"active"`, `"closed"`.
    WireAccountStatus <=> AccountStatus {
        /// It may trade and transfer.
        Active,
        /// It was liquidated.
        Closed,
    }
);

wire_enum!(
    /// A self-trade policy: `"cancel_resting"`, `"cancel_incoming"`.
    WireSelfTrade <=> SelfTrade {
        /// Cancel the resting order and keep matching.
        CancelResting,
        /// Stop matching and cancel the rest of the incoming order.
        CancelIncoming,
    }
);

wire_enum!(
    /// Why a resting order was cancelled: `"requested"`, `"cancel_all"`, `"self_trade"`,
    /// `"liquidation"`.
    WireCancelReason <= CancelReason {
        /// Its owner cancelled it.
        Requested,
        /// Its owner cancelled all its orders.
        CancelAll,
        /// An incoming order of the same account would have traded with it.
        SelfTrade,
        /// Its account was liquidated.
        Liquidation,
    }
);

wire_enum!(
    /// Why part of an incoming order was dropped: `"no_liquidity"`, `"insufficient_credits"`,
    /// `"immediate_or_cancel"`, `"self_trade"`.
    WireRemainderReason <= RemainderReason {
        /// A market order found no more liquidity.
        NoLiquidity,
        /// A market buy ran out of available credits.
        InsufficientCredits,
        /// An immediate-or-cancel order traded what it could.
        ImmediateOrCancel,
        /// The self-trade policy stopped it.
        SelfTrade,
    }
);

wire_enum!(
    /// Whether an amended order kept its place in the queue: `"kept"`, `"lost"`.
    WirePriority <= Priority {
        /// It stayed where it was.
        Kept,
        /// It moved to the back of its level.
        Lost,
    }
);

/// Market or limit: `"market"`, `"limit"`. On the wire an order type is this word plus the
/// separate fields `price` and `time_in_force` (both null for a market order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireOrderType {
    /// Trades immediately at the best prices available.
    Market,
    /// Trades at its price or better.
    Limit,
}

impl WireOrderType {
    /// Splits a core order type into its wire fields: the word, the price and the time in
    /// force.
    pub fn split(order_type: OrderType) -> (Self, Option<Price>, Option<WireTimeInForce>) {
        match order_type {
            OrderType::Market => (Self::Market, None, None),
            OrderType::Limit {
                price,
                time_in_force,
            } => (Self::Limit, Some(price), Some(time_in_force.into())),
        }
    }
}

/// Why credits moved: `"payment"`, `"funding"`, `"liquidation"`, or `"deposit"` for credits
/// that entered the exchange (a deposit has no core transfer reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireTransferReason {
    /// One account paid another.
    Payment,
    /// An orchestrator funded an account it created.
    Funding,
    /// An orchestrator took back what an account it orchestrates held.
    Liquidation,
    /// New credits were deposited.
    Deposit,
}

impl From<TransferReason> for WireTransferReason {
    fn from(reason: TransferReason) -> Self {
        match reason {
            TransferReason::Payment => Self::Payment,
            TransferReason::Funding => Self::Funding,
            TransferReason::Liquidation => Self::Liquidation,
        }
    }
}

/// A transfer's direction seen from one account: `"in"`, `"out"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireTransferDirection {
    /// The account received.
    In,
    /// The account paid.
    Out,
}

/// A fill's role: `"maker"` (the resting order) or `"taker"` (the incoming one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireRole {
    /// The resting order.
    Maker,
    /// The incoming order.
    Taker,
}

/// One core [`Event`] rendered for clients: `{"type":"trade",...}` with the event's fields
/// in snake case, tickers as `symbol`, enums as snake-case strings, and an order type as
/// `order_type` plus `price` and `time_in_force`. Each variant's fields mean what they mean
/// in the core event it is named after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WireEvent {
    /// See [`Event::AccountCreated`].
    AccountCreated {
        /// The account concerned.
        account: AccountId,
        /// Its kind.
        kind: WireAccountKind,
        /// The orchestrator that created it, if any.
        orchestrated_by: Option<AccountId>,
    },
    /// See [`Event::TickerCreated`].
    TickerCreated {
        /// The ticker, by symbol.
        symbol: Symbol,
    },
    /// See [`Event::TickerStatusChanged`].
    TickerStatusChanged {
        /// The ticker, by symbol.
        symbol: Symbol,
        /// Its new status.
        status: WireTickerStatus,
    },
    /// See [`Event::CreditsDeposited`].
    CreditsDeposited {
        /// The account concerned.
        account: AccountId,
        /// How many credits.
        amount: Credits,
    },
    /// See [`Event::SharesIssued`].
    SharesIssued {
        /// The account concerned.
        account: AccountId,
        /// The ticker, by symbol.
        symbol: Symbol,
        /// How many shares.
        quantity: Quantity,
    },
    /// See [`Event::CreditsTransferred`].
    CreditsTransferred {
        /// Who paid or delivered.
        from: AccountId,
        /// Who received.
        to: AccountId,
        /// How many credits.
        amount: Credits,
        /// Why.
        reason: WireTransferReason,
    },
    /// See [`Event::SharesTransferred`].
    SharesTransferred {
        /// Who paid or delivered.
        from: AccountId,
        /// Who received.
        to: AccountId,
        /// The ticker, by symbol.
        symbol: Symbol,
        /// How many shares.
        quantity: Quantity,
        /// Why.
        reason: WireTransferReason,
    },
    /// See [`Event::OrderAccepted`].
    OrderAccepted {
        /// The order's id.
        order: OrderId,
        /// The account concerned.
        account: AccountId,
        /// The ticker, by symbol.
        symbol: Symbol,
        /// Buy or sell.
        side: WireSide,
        /// Market or limit.
        order_type: WireOrderType,
        /// The price, in credits per share.
        price: Option<Price>,
        /// A limit order's time in force (null for a market order).
        time_in_force: Option<WireTimeInForce>,
        /// How many shares.
        quantity: Quantity,
        /// The client's id for the order, if any.
        client_order_id: Option<ClientOrderId>,
        /// Its self-trade policy.
        self_trade: WireSelfTrade,
    },
    /// See [`Event::Trade`].
    Trade {
        /// The ticker, by symbol.
        symbol: Symbol,
        /// The maker's price, in credits per share.
        price: Price,
        /// How many shares.
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
        taker_side: WireSide,
    },
    /// See [`Event::OrderRested`].
    OrderRested {
        /// The order's id.
        order: OrderId,
        /// The account concerned.
        account: AccountId,
        /// The ticker, by symbol.
        symbol: Symbol,
        /// Buy or sell.
        side: WireSide,
        /// The price, in credits per share.
        price: Price,
        /// The quantity resting.
        quantity: Quantity,
        /// Shares the order traded on arrival, before resting.
        filled: Quantity,
        /// The client's id for the order, if any.
        client_order_id: Option<ClientOrderId>,
    },
    /// See [`Event::OrderCancelled`].
    OrderCancelled {
        /// The order's id.
        order: OrderId,
        /// The account concerned.
        account: AccountId,
        /// The ticker, by symbol.
        symbol: Symbol,
        /// Buy or sell.
        side: WireSide,
        /// The price, in credits per share.
        price: Price,
        /// How many shares.
        quantity: Quantity,
        /// Why.
        reason: WireCancelReason,
    },
    /// See [`Event::RemainderCancelled`].
    RemainderCancelled {
        /// The order's id.
        order: OrderId,
        /// The account concerned.
        account: AccountId,
        /// The quantity dropped.
        quantity: Quantity,
        /// Why.
        reason: WireRemainderReason,
    },
    /// See [`Event::OrderAmended`].
    OrderAmended {
        /// The order's id.
        order: OrderId,
        /// The account concerned.
        account: AccountId,
        /// The ticker, by symbol.
        symbol: Symbol,
        /// Buy or sell.
        side: WireSide,
        /// The price before.
        old_price: Price,
        /// The resting quantity before.
        old_quantity: Quantity,
        /// The price now.
        price: Price,
        /// The resting quantity now.
        quantity: Quantity,
        /// Whether the order kept its place in the queue.
        priority: WirePriority,
    },
    /// See [`Event::AccountClosed`].
    AccountClosed {
        /// The account concerned.
        account: AccountId,
    },
    /// See [`Event::AlertSet`].
    AlertSet {
        /// The account concerned.
        account: AccountId,
        /// Below or above.
        direction: WireAlertDirection,
        /// The threshold, in total credits.
        threshold: Credits,
    },
    /// See [`Event::AlertCleared`].
    AlertCleared {
        /// The account concerned.
        account: AccountId,
        /// Below or above.
        direction: WireAlertDirection,
    },
    /// See [`Event::AlertTriggered`].
    AlertTriggered {
        /// The account concerned.
        account: AccountId,
        /// Below or above.
        direction: WireAlertDirection,
        /// The threshold, in total credits.
        threshold: Credits,
        /// Total credits after the command.
        balance: Credits,
    },
    /// See [`Event::AlertRearmed`].
    AlertRearmed {
        /// The account concerned.
        account: AccountId,
        /// Below or above.
        direction: WireAlertDirection,
    },
}

/// Names a ticker's symbol, for [`WireEvent::new`].
type SymbolOf<'a> = &'a dyn Fn(TickerId) -> Symbol;

impl WireEvent {
    /// Renders `event`, naming tickers with `symbol_of`. Simple events are rendered here; the
    /// others by one helper each, which the exhaustive match below dispatches to.
    pub fn new(event: &Event, symbol_of: impl Fn(TickerId) -> Symbol) -> WireEvent {
        let symbol_of: SymbolOf<'_> = &symbol_of;
        match *event {
            Event::AccountCreated { .. } => Self::account_created(event),
            Event::TickerCreated { symbol, .. } => Self::TickerCreated { symbol },
            Event::TickerStatusChanged { ticker, status } => Self::TickerStatusChanged {
                symbol: symbol_of(ticker),
                status: status.into(),
            },
            Event::CreditsDeposited { account, amount } => {
                Self::CreditsDeposited { account, amount }
            }
            Event::SharesIssued { .. } => Self::shares_issued(event, symbol_of),
            Event::CreditsTransferred { .. } => Self::credits_transferred(event),
            Event::SharesTransferred { .. } => Self::shares_transferred(event, symbol_of),
            Event::OrderAccepted { .. } => Self::order_accepted(event, symbol_of),
            Event::Trade { .. } => Self::trade(event, symbol_of),
            Event::OrderRested { .. } => Self::order_rested(event, symbol_of),
            Event::OrderCancelled { .. } => Self::order_cancelled(event, symbol_of),
            Event::RemainderCancelled { .. } => Self::remainder_cancelled(event),
            Event::OrderAmended { .. } => Self::order_amended(event, symbol_of),
            Event::AccountClosed { account } => Self::AccountClosed { account },
            Event::AlertSet {
                account,
                direction,
                threshold,
            } => Self::AlertSet {
                account,
                direction: direction.into(),
                threshold,
            },
            Event::AlertCleared { account, direction } => Self::AlertCleared {
                account,
                direction: direction.into(),
            },
            Event::AlertTriggered { .. } => Self::alert_triggered(event),
            Event::AlertRearmed { account, direction } => Self::AlertRearmed {
                account,
                direction: direction.into(),
            },
        }
    }

    fn account_created(event: &Event) -> Self {
        let Event::AccountCreated {
            account,
            kind,
            orchestrated_by,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only AccountCreated here");
        };
        Self::AccountCreated {
            account,
            kind: kind.into(),
            orchestrated_by,
        }
    }

    fn shares_issued(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::SharesIssued {
            account,
            ticker,
            quantity,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only SharesIssued here");
        };
        Self::SharesIssued {
            account,
            symbol: symbol_of(ticker),
            quantity,
        }
    }

    fn credits_transferred(event: &Event) -> Self {
        let Event::CreditsTransferred {
            from,
            to,
            amount,
            reason,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only CreditsTransferred here");
        };
        Self::CreditsTransferred {
            from,
            to,
            amount,
            reason: reason.into(),
        }
    }

    fn shares_transferred(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::SharesTransferred {
            from,
            to,
            ticker,
            quantity,
            reason,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only SharesTransferred here");
        };
        Self::SharesTransferred {
            from,
            to,
            symbol: symbol_of(ticker),
            quantity,
            reason: reason.into(),
        }
    }

    fn order_accepted(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::OrderAccepted {
            order,
            account,
            ticker,
            side,
            order_type,
            quantity,
            client_order_id,
            self_trade,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only OrderAccepted here");
        };
        let (order_type, price, time_in_force) = WireOrderType::split(order_type);
        Self::OrderAccepted {
            order,
            account,
            symbol: symbol_of(ticker),
            side: side.into(),
            order_type,
            price,
            time_in_force,
            quantity,
            client_order_id,
            self_trade: self_trade.into(),
        }
    }

    fn trade(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::Trade {
            ticker,
            price,
            quantity,
            maker_order,
            maker_account,
            taker_order,
            taker_account,
            taker_side,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only Trade here");
        };
        Self::Trade {
            symbol: symbol_of(ticker),
            price,
            quantity,
            maker_order,
            maker_account,
            taker_order,
            taker_account,
            taker_side: taker_side.into(),
        }
    }

    fn order_rested(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::OrderRested {
            order,
            account,
            ticker,
            side,
            price,
            quantity,
            filled,
            client_order_id,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only OrderRested here");
        };
        Self::OrderRested {
            order,
            account,
            symbol: symbol_of(ticker),
            side: side.into(),
            price,
            quantity,
            filled,
            client_order_id,
        }
    }

    fn order_cancelled(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::OrderCancelled {
            order,
            account,
            ticker,
            side,
            price,
            quantity,
            reason,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only OrderCancelled here");
        };
        Self::OrderCancelled {
            order,
            account,
            symbol: symbol_of(ticker),
            side: side.into(),
            price,
            quantity,
            reason: reason.into(),
        }
    }

    fn remainder_cancelled(event: &Event) -> Self {
        let Event::RemainderCancelled {
            order,
            account,
            quantity,
            reason,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only RemainderCancelled here");
        };
        Self::RemainderCancelled {
            order,
            account,
            quantity,
            reason: reason.into(),
        }
    }

    fn order_amended(event: &Event, symbol_of: SymbolOf<'_>) -> Self {
        let Event::OrderAmended {
            order,
            account,
            ticker,
            side,
            old_price,
            old_quantity,
            price,
            quantity,
            priority,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only OrderAmended here");
        };
        Self::OrderAmended {
            order,
            account,
            symbol: symbol_of(ticker),
            side: side.into(),
            old_price,
            old_quantity,
            price,
            quantity,
            priority: priority.into(),
        }
    }

    fn alert_triggered(event: &Event) -> Self {
        let Event::AlertTriggered {
            account,
            direction,
            threshold,
            balance,
        } = *event
        else {
            unreachable!("WireEvent::new dispatches only AlertTriggered here");
        };
        Self::AlertTriggered {
            account,
            direction: direction.into(),
            threshold,
            balance,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const MNAD: TickerId = TickerId(7);

    fn symbol_of(ticker: TickerId) -> Symbol {
        assert_eq!(ticker, MNAD, "only MNAD is listed in these tests");
        Symbol::new("MNAD").unwrap()
    }

    fn render(event: &Event) -> Value {
        serde_json::to_value(WireEvent::new(event, symbol_of)).unwrap()
    }

    /// One of every core event, with the `type` it must render as and whether it names a
    /// ticker (and so must carry `symbol` instead of `ticker`). One row per line.
    #[rustfmt::skip]
    fn every_event() -> Vec<(Event, &'static str, bool)> {
        let (a, b, order) = (AccountId(1), AccountId(2), OrderId(9));
        let symbol = Symbol::new("MNAD").unwrap();
        let (price, quantity, amount) = (Price(30), Quantity(5), Credits(100));
        let direction = AlertDirection::Below;
        let limit = OrderType::Limit { price, time_in_force: TimeInForce::PostOnly };
        vec![
            (Event::AccountCreated { account: a, kind: AccountKind::Orchestrator, orchestrated_by: Some(b) }, "account_created", false),
            (Event::TickerCreated { ticker: MNAD, symbol }, "ticker_created", true),
            (Event::TickerStatusChanged { ticker: MNAD, status: TickerStatus::Closed }, "ticker_status_changed", true),
            (Event::CreditsDeposited { account: a, amount }, "credits_deposited", false),
            (Event::SharesIssued { account: a, ticker: MNAD, quantity }, "shares_issued", true),
            (Event::CreditsTransferred { from: a, to: b, amount, reason: TransferReason::Funding }, "credits_transferred", false),
            (Event::SharesTransferred { from: a, to: b, ticker: MNAD, quantity, reason: TransferReason::Liquidation }, "shares_transferred", true),
            (Event::OrderAccepted { order, account: a, ticker: MNAD, side: Side::Sell, order_type: limit, quantity, client_order_id: Some(ClientOrderId(4)), self_trade: SelfTrade::CancelIncoming }, "order_accepted", true),
            (Event::Trade { ticker: MNAD, price, quantity, maker_order: order, maker_account: a, taker_order: OrderId(10), taker_account: b, taker_side: Side::Buy }, "trade", true),
            (Event::OrderRested { order, account: a, ticker: MNAD, side: Side::Buy, price, quantity, filled: Quantity(1), client_order_id: None }, "order_rested", true),
            (Event::OrderCancelled { order, account: a, ticker: MNAD, side: Side::Sell, price, quantity, reason: CancelReason::CancelAll }, "order_cancelled", true),
            (Event::RemainderCancelled { order, account: a, quantity, reason: RemainderReason::ImmediateOrCancel }, "remainder_cancelled", false),
            (Event::OrderAmended { order, account: a, ticker: MNAD, side: Side::Buy, old_price: price, old_quantity: quantity, price: Price(31), quantity, priority: Priority::Lost }, "order_amended", true),
            (Event::AccountClosed { account: a }, "account_closed", false),
            (Event::AlertSet { account: a, direction, threshold: amount }, "alert_set", false),
            (Event::AlertCleared { account: a, direction: AlertDirection::Above }, "alert_cleared", false),
            (Event::AlertTriggered { account: a, direction, threshold: amount, balance: Credits(99) }, "alert_triggered", false),
            (Event::AlertRearmed { account: a, direction }, "alert_rearmed", false),
        ]
    }

    #[test]
    fn every_event_renders_with_its_type_and_symbol() {
        let events = every_event();
        assert_eq!(events.len(), 18, "one row per core event variant");
        for (event, kind, names_ticker) in events {
            let value = render(&event);
            assert_eq!(value["type"], kind, "{event:?}");
            assert!(value.get("ticker").is_none(), "{event:?} leaks a ticker id");
            let symbol = value.get("symbol");
            assert_eq!(symbol.is_some(), names_ticker, "{event:?}: {value}");
            if names_ticker {
                assert_eq!(symbol.unwrap(), "MNAD");
            }
            let back: WireEvent = serde_json::from_value(value).unwrap();
            assert_eq!(back, WireEvent::new(&event, symbol_of), "round trip");
        }
    }

    #[test]
    fn enums_render_in_snake_case() {
        let rows = every_event();
        let field = |kind: &str, name: &str| {
            let (event, ..) = rows.iter().find(|(_, k, _)| *k == kind).unwrap();
            render(event)[name].clone()
        };
        assert_eq!(field("account_created", "kind"), "orchestrator");
        assert_eq!(field("ticker_status_changed", "status"), "closed");
        assert_eq!(field("credits_transferred", "reason"), "funding");
        assert_eq!(field("shares_transferred", "reason"), "liquidation");
        assert_eq!(field("order_accepted", "side"), "sell");
        assert_eq!(field("order_accepted", "order_type"), "limit");
        assert_eq!(field("order_accepted", "price"), 30);
        assert_eq!(field("order_accepted", "time_in_force"), "post_only");
        assert_eq!(field("order_accepted", "self_trade"), "cancel_incoming");
        assert_eq!(field("trade", "taker_side"), "buy");
        assert_eq!(field("order_cancelled", "reason"), "cancel_all");
        assert_eq!(
            field("remainder_cancelled", "reason"),
            "immediate_or_cancel"
        );
        assert_eq!(field("order_amended", "priority"), "lost");
        assert_eq!(field("alert_set", "direction"), "below");
        assert_eq!(field("alert_cleared", "direction"), "above");
    }

    #[test]
    fn a_market_order_has_null_price_and_time_in_force() {
        let event = Event::OrderAccepted {
            order: OrderId(1),
            account: AccountId(1),
            ticker: MNAD,
            side: Side::Buy,
            order_type: OrderType::Market,
            quantity: Quantity(3),
            client_order_id: None,
            self_trade: SelfTrade::CancelResting,
        };
        let value = render(&event);
        assert_eq!(value["order_type"], "market");
        assert_eq!(value["price"], Value::Null);
        assert_eq!(value["time_in_force"], Value::Null);
        assert_eq!(value["self_trade"], "cancel_resting");
    }

    #[test]
    fn wire_enums_convert_both_ways_and_parse_requests() {
        for side in [Side::Buy, Side::Sell] {
            assert_eq!(Side::from(WireSide::from(side)), side);
        }
        for tif in [
            TimeInForce::Gtc,
            TimeInForce::Ioc,
            TimeInForce::Fok,
            TimeInForce::PostOnly,
        ] {
            assert_eq!(TimeInForce::from(WireTimeInForce::from(tif)), tif);
        }
        let parsed: WireTimeInForce = serde_json::from_value(json!("fok")).unwrap();
        assert_eq!(TimeInForce::from(parsed), TimeInForce::Fok);
        let parsed: WireAlertDirection = serde_json::from_value(json!("above")).unwrap();
        assert_eq!(AlertDirection::from(parsed), AlertDirection::Above);
        let parsed: WireTickerStatus = serde_json::from_value(json!("open")).unwrap();
        assert_eq!(TickerStatus::from(parsed), TickerStatus::Open);
        let parsed: WireAccountKind = serde_json::from_value(json!("admin")).unwrap();
        assert_eq!(AccountKind::from(parsed), AccountKind::Admin);
        assert!(serde_json::from_value::<WireSide>(json!("Buy")).is_err());
        assert_eq!(json!(WireTransferReason::Deposit), json!("deposit"));
        assert_eq!(json!(WireAccountStatus::Active), json!("active"));
        let level = Level::from(LevelView {
            price: Price(5),
            quantity: Quantity(6),
            orders: 2,
        });
        assert_eq!(
            json!(level),
            json!({"price": 5, "quantity": 6, "orders": 2})
        );
    }
}
