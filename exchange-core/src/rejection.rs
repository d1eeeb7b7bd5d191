//! Why a command was refused. A rejected command changes nothing.
//!
//! Variants are listed roughly in the order [`crate::decide`] checks them. Each has a stable
//! machine-readable [`Rejection::code`] that is never renamed or reused; new variants are
//! only added at the end.

use crate::command::AlertDirection;
use crate::ids::{AccountId, ClientOrderId, OrderId, TickerId};
use crate::money::{Credits, Price, Quantity};
use crate::symbol::{Symbol, SymbolError};

/// A refused command, with what is needed to explain it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The acting account, or an account the command names, does not exist.
    #[error("unknown account {0}")]
    UnknownAccount(AccountId),
    /// The acting account, or an account the command names, is closed.
    #[error("account {0} is closed")]
    AccountClosed(AccountId),
    /// The command needs an account to act for, but the operator issued it.
    #[error("this command must be issued by an account")]
    AccountRequired,
    /// The command needs the operator or an admin account.
    #[error("account {0} is not an admin")]
    NotAdmin(AccountId),
    /// The command needs an orchestrator account.
    #[error("account {0} is not an orchestrator")]
    NotOrchestrator(AccountId),
    /// The named account is not orchestrated by the acting orchestrator.
    #[error("account {account} is not orchestrated by account {orchestrator}")]
    NotYourOrchestratedAccount {
        /// The account named.
        account: AccountId,
        /// The acting orchestrator.
        orchestrator: AccountId,
    },
    /// The maximum number of accounts exists already.
    #[error("the exchange holds the maximum number of accounts")]
    TooManyAccounts,
    /// No ticker has this id.
    #[error("unknown ticker {0}")]
    UnknownTicker(TickerId),
    /// The symbol is malformed. A [`Symbol`] is validated when it is made, so this comes from
    /// [`Symbol::new`] through `From<SymbolError>` when a caller builds a command from text.
    #[error("invalid symbol: {0}")]
    InvalidSymbol(#[from] SymbolError),
    /// Another ticker already has this symbol.
    #[error("ticker symbol {0} already exists")]
    DuplicateSymbol(Symbol),
    /// The maximum number of tickers exists already.
    #[error("the exchange lists the maximum number of tickers")]
    TooManyTickers,
    /// The ticker already has the requested status. It is named by symbol, the name its
    /// users know, as in every rejection about a ticker that exists.
    #[error("ticker {0} already has that status")]
    TickerStatusUnchanged(Symbol),
    /// The ticker is closed for trading.
    #[error("ticker {0} is closed for trading")]
    MarketClosed(Symbol),
    /// Zero, or more than [`crate::limits::QUANTITY_MAX`].
    #[error("quantity must be from 1 to {max}, got {0}", max = crate::limits::QUANTITY_MAX)]
    InvalidQuantity(Quantity),
    /// Zero, or more than [`crate::limits::PRICE_MAX`].
    #[error("price must be from 1 to {max}, got {0}", max = crate::limits::PRICE_MAX)]
    InvalidPrice(Price),
    /// A deposit or transfer of zero credits.
    #[error("amount must be greater than zero")]
    InvalidAmount,
    /// A transfer from an account to itself.
    #[error("an account cannot transfer credits to itself")]
    SelfTransfer,
    /// No order has this id, or the account has no order with this client id.
    #[error("unknown order")]
    UnknownOrder,
    /// The order exists but no longer rests: it was filled or cancelled.
    #[error("order {0} is no longer open")]
    OrderNotOpen(OrderId),
    /// The order belongs to another account.
    #[error("order {0} belongs to another account")]
    NotOwner(OrderId),
    /// An amendment that changes neither price nor quantity.
    #[error("the amendment changes nothing")]
    AmendmentUnchanged,
    /// An amendment whose new price would trade against the opposite side of the book.
    #[error("the amended price {0} would trade; cancel and place a new order instead")]
    AmendmentWouldTrade(Price),
    /// The account already used this client order id.
    #[error("client order id {0} was already used by this account")]
    DuplicateClientOrderId(ClientOrderId),
    /// The account has the maximum number of resting orders, and the order is one that may
    /// rest (GTC or post-only). It is checked before matching, as a pre-trade limit: such an
    /// order is refused even if it would fill at once; IOC, FOK and market orders are not.
    #[error("account has the maximum of {max} open orders", max = crate::limits::ORDERS_OPEN_PER_ACCOUNT_MAX)]
    TooManyOpenOrders,
    /// An amount would exceed what the engine can represent (a hold of price times quantity,
    /// or the total credits or shares in the exchange).
    #[error("the amount would overflow the exchange's limits")]
    Overflow,
    /// Not enough available credits.
    #[error("insufficient credits: {needed} needed, {available} available")]
    InsufficientCredits {
        /// Credits the command needs.
        needed: Credits,
        /// Credits available.
        available: Credits,
    },
    /// Not enough available shares (the exchange is long-only).
    #[error("insufficient shares: {needed} needed, {available} available")]
    InsufficientShares {
        /// Shares the command needs.
        needed: Quantity,
        /// Shares available.
        available: Quantity,
    },
    /// A post-only order would have traded on arrival.
    #[error("post-only order would trade")]
    PostOnlyWouldTrade,
    /// A market order found nothing to trade with.
    #[error("no liquidity on the opposite side")]
    NoLiquidity,
    /// A fill-or-kill order could not be filled in full at once.
    #[error("fill-or-kill order cannot be filled in full")]
    FokNotFillable,
    /// The account has no alert in that direction.
    #[error("no {0:?} alert is set")]
    AlertNotSet(AlertDirection),
}

impl Rejection {
    /// A stable, machine-readable code for this rejection, in `snake_case`.
    pub const fn code(&self) -> &'static str {
        match self {
            Rejection::UnknownAccount(_) => "unknown_account",
            Rejection::AccountClosed(_) => "account_closed",
            Rejection::AccountRequired => "account_required",
            Rejection::NotAdmin(_) => "not_admin",
            Rejection::NotOrchestrator(_) => "not_orchestrator",
            Rejection::NotYourOrchestratedAccount { .. } => "not_your_orchestrated_account",
            Rejection::TooManyAccounts => "too_many_accounts",
            Rejection::UnknownTicker(_) => "unknown_ticker",
            Rejection::InvalidSymbol(_) => "invalid_symbol",
            Rejection::DuplicateSymbol(_) => "duplicate_symbol",
            Rejection::TooManyTickers => "too_many_tickers",
            Rejection::TickerStatusUnchanged(_) => "ticker_status_unchanged",
            Rejection::MarketClosed(_) => "market_closed",
            Rejection::InvalidQuantity(_) => "invalid_quantity",
            Rejection::InvalidPrice(_) => "invalid_price",
            Rejection::InvalidAmount => "invalid_amount",
            Rejection::SelfTransfer => "self_transfer",
            Rejection::UnknownOrder => "unknown_order",
            Rejection::OrderNotOpen(_) => "order_not_open",
            Rejection::NotOwner(_) => "not_owner",
            Rejection::AmendmentUnchanged => "amendment_unchanged",
            Rejection::AmendmentWouldTrade(_) => "amendment_would_trade",
            Rejection::DuplicateClientOrderId(_) => "duplicate_client_order_id",
            Rejection::TooManyOpenOrders => "too_many_open_orders",
            Rejection::Overflow => "overflow",
            Rejection::InsufficientCredits { .. } => "insufficient_credits",
            Rejection::InsufficientShares { .. } => "insufficient_shares",
            Rejection::PostOnlyWouldTrade => "post_only_would_trade",
            Rejection::NoLiquidity => "no_liquidity",
            Rejection::FokNotFillable => "fok_not_fillable",
            Rejection::AlertNotSet(_) => "alert_not_set",
        }
    }
}
