//! Commands: requests to change the exchange. [`crate::decide`] turns each into events or a
//! [`crate::Rejection`].
//!
//! A command names who issues it (the [`Actor`]); the caller (a server, a bot runner, a test)
//! is responsible for establishing that identity. Commands carry no clock and no randomness:
//! the sequencer that orders them records the time beside them in the log.

use crate::ids::{AccountId, ClientOrderId, OrderId, TickerId};
use crate::money::{Credits, Price, Quantity};
use crate::symbol::Symbol;
use serde::{Deserialize, Serialize};

/// One request, with the identity of whoever makes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// Who issues the command.
    pub actor: Actor,
    /// What is asked.
    pub action: Action,
}

impl AsRef<Command> for Command {
    fn as_ref(&self) -> &Command {
        self
    }
}

impl Command {
    /// A command issued by the operator of the exchange.
    pub const fn operator(action: Action) -> Self {
        Self {
            actor: Actor::Operator,
            action,
        }
    }

    /// A command issued by an account.
    pub const fn by(account: AccountId, action: Action) -> Self {
        Self {
            actor: Actor::Account(account),
            action,
        }
    }
}

/// The identity behind a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// The operator of the exchange itself (bootstrap files, the command-line tool, the server
    /// creating an account at signup). May do every administrative action; owns no account.
    Operator,
    /// An account; administrative actions need an [`AccountKind::Admin`] account.
    Account(AccountId),
}

/// What kind of account this is; it decides which commands the account may issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AccountKind {
    /// A trader: places orders and transfers credits.
    Standard,
    /// May also create, fund and liquidate accounts it orchestrates.
    Orchestrator,
    /// May also administer tickers, deposit credits and issue shares.
    Admin,
}

/// Buy or sell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Side {
    /// Pay credits, receive shares.
    Buy,
    /// Deliver shares, receive credits.
    Sell,
}

impl Side {
    /// The side an order on this side trades against.
    pub const fn opposite(self) -> Self {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }
}

/// How an order is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderType {
    /// Trade immediately at the best prices available and cancel any remainder. A market buy
    /// fills only as much as the buyer's available credits pay for.
    Market,
    /// Trade at `price` or better; what remains is handled by `time_in_force`.
    Limit {
        /// The worst price the order accepts, in credits per share.
        price: Price,
        /// What happens to the part that does not trade at once.
        time_in_force: TimeInForce,
    },
}

/// What a limit order does with the quantity that does not trade on arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeInForce {
    /// Good till cancelled: the remainder rests on the book.
    Gtc,
    /// Immediate or cancel: the remainder is cancelled.
    Ioc,
    /// Fill or kill: the whole quantity trades at once, or the order is rejected.
    Fok,
    /// Rests on the book without trading; rejected if it would trade on arrival.
    PostOnly,
}

/// What to do when an incoming order would trade with a resting order of the same account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SelfTrade {
    /// Cancel the resting order and keep matching (the default).
    #[default]
    CancelResting,
    /// Stop matching and cancel the rest of the incoming order.
    CancelIncoming,
}

/// An order to place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrder {
    /// Where to trade.
    pub ticker: TickerId,
    /// Buy or sell.
    pub side: Side,
    /// Market or limit, with the limit's price and time in force.
    pub order_type: OrderType,
    /// How many shares.
    pub quantity: Quantity,
    /// An optional id of the client's choosing, unique per account.
    pub client_order_id: Option<ClientOrderId>,
    /// The self-trade prevention policy.
    pub self_trade: SelfTrade,
}

impl NewOrder {
    /// A good-till-cancelled limit order with no client id and the default self-trade policy.
    pub const fn limit(ticker: TickerId, side: Side, price: Price, quantity: Quantity) -> Self {
        let time_in_force = TimeInForce::Gtc;
        Self {
            ticker,
            side,
            order_type: OrderType::Limit {
                price,
                time_in_force,
            },
            quantity,
            client_order_id: None,
            self_trade: SelfTrade::CancelResting,
        }
    }

    /// A market order with no client id and the default self-trade policy.
    pub const fn market(ticker: TickerId, side: Side, quantity: Quantity) -> Self {
        Self {
            ticker,
            side,
            order_type: OrderType::Market,
            quantity,
            client_order_id: None,
            self_trade: SelfTrade::CancelResting,
        }
    }

    /// The same order with another time in force (no effect on a market order).
    pub const fn with_time_in_force(mut self, time_in_force: TimeInForce) -> Self {
        if let OrderType::Limit { price, .. } = self.order_type {
            self.order_type = OrderType::Limit {
                price,
                time_in_force,
            };
        }
        self
    }

    /// The same order with a client order id.
    pub const fn with_client_order_id(mut self, id: ClientOrderId) -> Self {
        self.client_order_id = Some(id);
        self
    }

    /// The same order with another self-trade policy.
    pub const fn with_self_trade(mut self, self_trade: SelfTrade) -> Self {
        self.self_trade = self_trade;
        self
    }
}

/// Names one of the acting account's orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderRef {
    /// By the id the engine assigned.
    Id(OrderId),
    /// By the client order id the account chose.
    Client(ClientOrderId),
}

/// Whether a balance alert fires when credits fall below or rise above its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AlertDirection {
    /// Fires when total credits become strictly lower than the threshold.
    Below,
    /// Fires when total credits become strictly higher than the threshold.
    Above,
}

/// Open or closed for trading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TickerStatus {
    /// Orders are accepted.
    Open,
    /// Orders are rejected; the book stays as it is and cancels still work.
    Closed,
}

/// Everything a command can ask. Variants are only ever added at the end, so logs stay
/// readable by later versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Creates an account (operator or admin).
    CreateAccount {
        /// Its kind.
        kind: AccountKind,
    },
    /// Lists a new ticker, open for trading (operator or admin).
    CreateTicker {
        /// Its symbol, unique on the exchange.
        symbol: Symbol,
    },
    /// Opens or closes a ticker for trading (operator or admin).
    SetTickerStatus {
        /// Which ticker.
        ticker: TickerId,
        /// The new status; it must differ from the current one.
        status: TickerStatus,
    },
    /// Adds new credits to an account (operator or admin).
    DepositCredits {
        /// Who receives them.
        account: AccountId,
        /// How many; more than zero.
        amount: Credits,
    },
    /// Creates new shares of a ticker in an account (operator or admin).
    IssueShares {
        /// Who receives them.
        account: AccountId,
        /// Of which ticker.
        ticker: TickerId,
        /// How many; more than zero.
        quantity: Quantity,
    },
    /// Moves available credits from the acting account to another.
    TransferCredits {
        /// Who receives them; an active account other than the sender.
        to: AccountId,
        /// How many; more than zero.
        amount: Credits,
    },
    /// Places an order for the acting account.
    PlaceOrder(NewOrder),
    /// Cancels one of the acting account's resting orders.
    CancelOrder {
        /// Which order.
        order: OrderRef,
    },
    /// Cancels every resting order of the acting account, optionally on one ticker only.
    CancelAllOrders {
        /// Only this ticker's orders, or all of them.
        ticker: Option<TickerId>,
    },
    /// Changes a resting order's price and remaining quantity. Reducing the quantity at the
    /// same price keeps its time priority; a new price or a larger quantity loses it. An
    /// amendment that would make the order trade is rejected: cancel and place instead.
    AmendOrder {
        /// Which order.
        order: OrderRef,
        /// The new limit price.
        price: Price,
        /// The new remaining quantity.
        quantity: Quantity,
    },
    /// Creates a standard account orchestrated by the acting orchestrator, funded from its
    /// available credits.
    CreateOrchestratedAccount {
        /// Credits to move into the new account; may be zero.
        initial_credits: Credits,
    },
    /// Cancels an orchestrated account's orders, moves all its credits and shares to its
    /// orchestrator (the acting account) and closes it.
    LiquidateAccount {
        /// Which account; it must be orchestrated by the actor.
        account: AccountId,
    },
    /// Liquidates every active account the acting orchestrator orchestrates, atomically.
    LiquidateAll,
    /// Sets (or replaces) the acting account's balance alert in one direction.
    SetAlert {
        /// Below or above.
        direction: AlertDirection,
        /// The threshold, in total credits (available plus held).
        threshold: Credits,
    },
    /// Removes the acting account's balance alert in one direction.
    ClearAlert {
        /// Below or above.
        direction: AlertDirection,
    },
}
