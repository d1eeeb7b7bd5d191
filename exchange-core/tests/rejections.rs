//! Every [`Rejection`] variant, reached through real commands where the engine can reach it.
//!
//! Each test asserts the exact variant and its stable `code()`. The shared fixture checks
//! that every rejected command left the state hash unchanged. `TooManyAccounts` (it needs
//! `u32::MAX - 1` accounts) is only checked for its code.

mod common;

use common::{order_id, Market};
use exchange_core::limits::{
    CREDITS_TOTAL_MAX, ORDERS_OPEN_PER_ACCOUNT_MAX, PRICE_MAX, QUANTITY_MAX, SHARES_TOTAL_MAX,
    TICKERS_MAX,
};
use exchange_core::{
    AccountId, AccountKind, Action, AlertDirection, ClientOrderId, Command, Credits, Event,
    NewOrder, OrderId, OrderRef, Price, Quantity, Rejection, SelfTrade, Side, Symbol, SymbolError,
    TickerId, TickerStatus, TimeInForce,
};
use std::collections::BTreeSet;

/// Asserts a command was rejected with exactly `expected`, whose code is `code`.
#[track_caller]
fn assert_rejected(result: Result<Vec<Event>, Rejection>, expected: Rejection, code: &str) {
    assert_eq!(result, Err(expected));
    assert_eq!(expected.code(), code);
}

fn transfer(
    m: &mut Market,
    from: AccountId,
    to: AccountId,
    amount: u64,
) -> Result<Vec<Event>, Rejection> {
    let amount = Credits(amount);
    m.by(from, Action::TransferCredits { to, amount })
}

fn deposit(m: &mut Market, account: AccountId, amount: u64) -> Result<Vec<Event>, Rejection> {
    let amount = Credits(amount);
    m.operator(Action::DepositCredits { account, amount })
}

fn issue(
    m: &mut Market,
    account: AccountId,
    ticker: TickerId,
    quantity: u64,
) -> Result<Vec<Event>, Rejection> {
    let quantity = Quantity(quantity);
    m.operator(Action::IssueShares {
        account,
        ticker,
        quantity,
    })
}

fn create_orchestrated(
    m: &mut Market,
    actor: AccountId,
    credits: u64,
) -> Result<Vec<Event>, Rejection> {
    let initial_credits = Credits(credits);
    m.by(actor, Action::CreateOrchestratedAccount { initial_credits })
}

fn orchestrated(m: &mut Market, orchestrator: AccountId, credits: u64) -> AccountId {
    let events = create_orchestrated(m, orchestrator, credits).unwrap();
    let Event::AccountCreated { account, .. } = events[0] else {
        panic!("{events:?}")
    };
    account
}

fn set_status(
    m: &mut Market,
    ticker: TickerId,
    status: TickerStatus,
) -> Result<Vec<Event>, Rejection> {
    m.operator(Action::SetTickerStatus { ticker, status })
}

fn create_ticker(symbol: &str) -> Action {
    Action::CreateTicker {
        symbol: Symbol::new(symbol).unwrap(),
    }
}

/// A liquidated (closed) account, with the orchestrator that closed it.
fn closed_account(m: &mut Market) -> (AccountId, AccountId) {
    let orchestrator = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    let closed = orchestrated(m, orchestrator, 10);
    m.by(orchestrator, Action::LiquidateAccount { account: closed })
        .unwrap();
    (closed, orchestrator)
}

#[test]
fn unknown_account() {
    let mut m = Market::new();
    let a = m.account(100, 10);
    let o = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    let ghost = AccountId(99);
    let code = "unknown_account";
    assert_rejected(
        m.limit(ghost, Side::Buy, 10, 1),
        Rejection::UnknownAccount(ghost),
        code,
    );
    assert_rejected(
        m.limit(AccountId(0), Side::Buy, 10, 1),
        Rejection::UnknownAccount(AccountId(0)),
        code,
    );
    assert_rejected(
        transfer(&mut m, ghost, a, 1),
        Rejection::UnknownAccount(ghost),
        code,
    );
    assert_rejected(
        transfer(&mut m, a, ghost, 1),
        Rejection::UnknownAccount(ghost),
        code,
    );
    assert_rejected(
        deposit(&mut m, ghost, 1),
        Rejection::UnknownAccount(ghost),
        code,
    );
    let ticker = m.ticker;
    assert_rejected(
        issue(&mut m, ghost, ticker, 1),
        Rejection::UnknownAccount(ghost),
        code,
    );
    assert_rejected(
        m.by(o, Action::LiquidateAccount { account: ghost }),
        Rejection::UnknownAccount(ghost),
        code,
    );
    let alert = Action::SetAlert {
        direction: AlertDirection::Below,
        threshold: Credits(1),
    };
    assert_rejected(m.by(ghost, alert), Rejection::UnknownAccount(ghost), code);
}

#[test]
fn account_closed() {
    let mut m = Market::new();
    let a = m.account(100, 10);
    let (closed, orchestrator) = closed_account(&mut m);
    let err = Rejection::AccountClosed(closed);
    let code = "account_closed";
    assert_rejected(m.limit(closed, Side::Buy, 1, 1), err, code);
    assert_rejected(m.market(closed, Side::Sell, 1), err, code);
    assert_rejected(transfer(&mut m, closed, a, 1), err, code);
    assert_rejected(transfer(&mut m, a, closed, 1), err, code);
    assert_rejected(deposit(&mut m, closed, 1), err, code);
    let ticker = m.ticker;
    assert_rejected(issue(&mut m, closed, ticker, 1), err, code);
    assert_rejected(
        m.by(closed, Action::CancelAllOrders { ticker: None }),
        err,
        code,
    );
    assert_rejected(m.cancel(closed, OrderRef::Id(OrderId(1))), err, code);
    let alert = Action::SetAlert {
        direction: AlertDirection::Above,
        threshold: Credits(1),
    };
    assert_rejected(m.by(closed, alert), err, code);
    assert_rejected(
        m.by(orchestrator, Action::LiquidateAccount { account: closed }),
        err,
        code,
    );
    // Liquidate-all skips closed accounts rather than failing.
    assert_eq!(m.by(orchestrator, Action::LiquidateAll), Ok(vec![]));
}

#[test]
fn account_required() {
    let mut m = Market::new();
    let a = m.account(100, 10);
    let err = Rejection::AccountRequired;
    let code = "account_required";
    let order = NewOrder::limit(m.ticker, Side::Buy, Price(1), Quantity(1));
    assert_rejected(m.operator(Action::PlaceOrder(order)), err, code);
    let to = a;
    assert_rejected(
        m.operator(Action::TransferCredits {
            to,
            amount: Credits(1),
        }),
        err,
        code,
    );
    assert_rejected(
        m.operator(Action::CancelOrder {
            order: OrderRef::Id(OrderId(1)),
        }),
        err,
        code,
    );
    assert_rejected(
        m.operator(Action::CancelAllOrders { ticker: None }),
        err,
        code,
    );
    assert_rejected(
        m.operator(Action::CreateOrchestratedAccount {
            initial_credits: Credits(0),
        }),
        err,
        code,
    );
    assert_rejected(m.operator(Action::LiquidateAll), err, code);
    assert_rejected(
        m.operator(Action::ClearAlert {
            direction: AlertDirection::Below,
        }),
        err,
        code,
    );
}

#[test]
fn not_admin() {
    let mut m = Market::new();
    let code = "not_admin";
    let standard = m.account(100, 0);
    let orchestrator = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    let admin = m.account_of_kind(AccountKind::Admin, 0, 0);
    let ticker = m.ticker;
    for actor in [standard, orchestrator] {
        let err = Rejection::NotAdmin(actor);
        assert_rejected(
            m.by(
                actor,
                Action::CreateAccount {
                    kind: AccountKind::Admin,
                },
            ),
            err,
            code,
        );
        assert_rejected(m.by(actor, create_ticker("NEW")), err, code);
        assert_rejected(
            m.by(
                actor,
                Action::SetTickerStatus {
                    ticker,
                    status: TickerStatus::Closed,
                },
            ),
            err,
            code,
        );
        assert_rejected(
            m.by(
                actor,
                Action::DepositCredits {
                    account: actor,
                    amount: Credits(1),
                },
            ),
            err,
            code,
        );
        assert_rejected(
            m.by(
                actor,
                Action::IssueShares {
                    account: actor,
                    ticker,
                    quantity: Quantity(1),
                },
            ),
            err,
            code,
        );
    }
    // An admin account may do all of it.
    m.by(
        admin,
        Action::CreateAccount {
            kind: AccountKind::Standard,
        },
    )
    .unwrap();
    m.by(admin, create_ticker("NEW")).unwrap();
    m.by(
        admin,
        Action::SetTickerStatus {
            ticker,
            status: TickerStatus::Closed,
        },
    )
    .unwrap();
    m.by(
        admin,
        Action::DepositCredits {
            account: standard,
            amount: Credits(1),
        },
    )
    .unwrap();
    m.by(
        admin,
        Action::IssueShares {
            account: standard,
            ticker,
            quantity: Quantity(1),
        },
    )
    .unwrap();
    assert_eq!(m.credits(standard), (101, 0));
}

#[test]
fn not_orchestrator() {
    let mut m = Market::new();
    let code = "not_orchestrator";
    let standard = m.account(100, 0);
    let admin = m.account_of_kind(AccountKind::Admin, 100, 0);
    let orchestrator = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    let target = orchestrated(&mut m, orchestrator, 10);
    for actor in [standard, admin, target] {
        let err = Rejection::NotOrchestrator(actor);
        assert_rejected(create_orchestrated(&mut m, actor, 0), err, code);
        assert_rejected(
            m.by(actor, Action::LiquidateAccount { account: target }),
            err,
            code,
        );
        assert_rejected(m.by(actor, Action::LiquidateAll), err, code);
    }
}

#[test]
fn not_your_orchestrated_account() {
    let mut m = Market::new();
    let code = "not_your_orchestrated_account";
    let o1 = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    let o2 = m.account_of_kind(AccountKind::Orchestrator, 100, 0);
    let standard = m.account(100, 0);
    let theirs = orchestrated(&mut m, o1, 10);
    for account in [theirs, standard, o1, o2] {
        assert_rejected(
            m.by(o2, Action::LiquidateAccount { account }),
            Rejection::NotYourOrchestratedAccount {
                account,
                orchestrator: o2,
            },
            code,
        );
    }
    assert_eq!(m.credits(theirs), (10, 0));
}

#[test]
fn unknown_ticker() {
    let mut m = Market::new();
    let a = m.account(100, 10);
    let zzz = TickerId(42);
    let err = Rejection::UnknownTicker(zzz);
    let code = "unknown_ticker";
    assert_rejected(
        m.place(a, NewOrder::limit(zzz, Side::Buy, Price(1), Quantity(1))),
        err,
        code,
    );
    assert_rejected(
        m.place(a, NewOrder::market(zzz, Side::Sell, Quantity(1))),
        err,
        code,
    );
    assert_rejected(issue(&mut m, a, zzz, 1), err, code);
    assert_rejected(set_status(&mut m, zzz, TickerStatus::Closed), err, code);
    assert_rejected(
        m.by(a, Action::CancelAllOrders { ticker: Some(zzz) }),
        err,
        code,
    );
    let zero = TickerId(0);
    assert_rejected(
        m.place(a, NewOrder::limit(zero, Side::Buy, Price(1), Quantity(1))),
        Rejection::UnknownTicker(zero),
        code,
    );
}

/// `InvalidSymbol` comes from `Symbol::new` through `From<SymbolError>`, for callers that
/// build commands from text with `?`.
#[test]
fn invalid_symbol() {
    fn create_from_text(m: &mut Market, text: &str) -> Result<Vec<Event>, Rejection> {
        let symbol = Symbol::new(text)?;
        m.operator(Action::CreateTicker { symbol })
    }
    let mut m = Market::new();
    let before = m.exchange.state().state_hash();
    let code = "invalid_symbol";
    let cases = [
        ("", SymbolError::Length(0)),
        ("ABCDEFGHIJK", SymbolError::Length(11)),
        ("mnad", SymbolError::FirstCharacter),
        ("1AB", SymbolError::FirstCharacter),
        ("AB-C", SymbolError::Character),
    ];
    for (text, error) in cases {
        assert_rejected(
            create_from_text(&mut m, text),
            Rejection::InvalidSymbol(error),
            code,
        );
        assert_eq!(Rejection::from(error), Rejection::InvalidSymbol(error));
    }
    assert_eq!(m.exchange.state().state_hash(), before);
    create_from_text(&mut m, "BRK.B").unwrap();
}

#[test]
fn duplicate_symbol() {
    let mut m = Market::new();
    let mnad = Symbol::new("MNAD").unwrap();
    assert_rejected(
        m.operator(create_ticker("MNAD")),
        Rejection::DuplicateSymbol(mnad),
        "duplicate_symbol",
    );
    assert_eq!(m.exchange.state().tickers().len(), 1);
}

/// `TICKERS_MAX` tickers can be listed, and no more. The bulk listing bypasses the
/// fixture's per-command checks (for speed); the invariants are checked once after it.
#[test]
fn too_many_tickers() {
    let mut m = Market::new();
    for i in 1..TICKERS_MAX {
        m.exchange
            .execute(&Command::operator(create_ticker(&format!("T{i}"))))
            .unwrap();
    }
    m.exchange.state().check_invariants().unwrap();
    assert_eq!(m.exchange.state().tickers().len(), TICKERS_MAX as usize);
    assert_rejected(
        m.operator(create_ticker("NEW")),
        Rejection::TooManyTickers,
        "too_many_tickers",
    );
    // A duplicate is reported as such first.
    assert_rejected(
        m.operator(create_ticker("T1")),
        Rejection::DuplicateSymbol(Symbol::new("T1").unwrap()),
        "duplicate_symbol",
    );
}

#[test]
fn ticker_status_unchanged() {
    let mut m = Market::new();
    let ticker = m.ticker;
    let err = Rejection::TickerStatusUnchanged(Symbol::new("MNAD").unwrap());
    let code = "ticker_status_unchanged";
    assert_rejected(set_status(&mut m, ticker, TickerStatus::Open), err, code);
    set_status(&mut m, ticker, TickerStatus::Closed).unwrap();
    assert_rejected(set_status(&mut m, ticker, TickerStatus::Closed), err, code);
}

#[test]
fn market_closed() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let ticker = m.ticker;
    let bid = order_id(&m.limit(a, Side::Buy, 10, 2).unwrap());
    set_status(&mut m, ticker, TickerStatus::Closed).unwrap();
    let err = Rejection::MarketClosed(Symbol::new("MNAD").unwrap());
    let code = "market_closed";
    // Users know a ticker by its symbol, not by the engine's id for it.
    assert_eq!(err.to_string(), "ticker MNAD is closed for trading");
    assert_rejected(m.limit(a, Side::Buy, 10, 1), err, code);
    assert_rejected(m.limit(a, Side::Sell, 20, 1), err, code);
    assert_rejected(m.market(a, Side::Sell, 1), err, code);
    let post_only = NewOrder::limit(ticker, Side::Sell, Price(20), Quantity(1))
        .with_time_in_force(TimeInForce::PostOnly);
    assert_rejected(m.place(a, post_only), err, code);
    assert_rejected(m.amend(a, OrderRef::Id(bid), 10, 1), err, code);
    // Cancels still work.
    m.cancel(a, OrderRef::Id(bid)).unwrap();
}

#[test]
fn invalid_quantity() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let code = "invalid_quantity";
    let zero = Rejection::InvalidQuantity(Quantity(0));
    let too_many = Rejection::InvalidQuantity(Quantity(QUANTITY_MAX + 1));
    assert_rejected(m.limit(a, Side::Buy, 10, 0), zero, code);
    assert_rejected(m.market(a, Side::Sell, 0), zero, code);
    assert_rejected(m.limit(a, Side::Buy, 1, QUANTITY_MAX + 1), too_many, code);
    assert_rejected(m.market(a, Side::Buy, QUANTITY_MAX + 1), too_many, code);
    let ticker = m.ticker;
    assert_rejected(issue(&mut m, a, ticker, 0), zero, code);
    let bid = order_id(&m.limit(a, Side::Buy, 10, 2).unwrap());
    assert_rejected(m.amend(a, OrderRef::Id(bid), 10, 0), zero, code);
    assert_rejected(
        m.amend(a, OrderRef::Id(bid), 10, QUANTITY_MAX + 1),
        too_many,
        code,
    );
}

#[test]
fn invalid_price() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let code = "invalid_price";
    let zero = Rejection::InvalidPrice(Price(0));
    let too_high = Rejection::InvalidPrice(Price(PRICE_MAX + 1));
    assert_rejected(m.limit(a, Side::Buy, 0, 1), zero, code);
    assert_rejected(m.limit(a, Side::Sell, 0, 1), zero, code);
    assert_rejected(m.limit(a, Side::Sell, PRICE_MAX + 1, 1), too_high, code);
    let fok = NewOrder::limit(m.ticker, Side::Buy, Price(0), Quantity(1))
        .with_time_in_force(TimeInForce::Fok);
    assert_rejected(m.place(a, fok), zero, code);
    let ask = order_id(&m.limit(a, Side::Sell, 10, 2).unwrap());
    assert_rejected(m.amend(a, OrderRef::Id(ask), 0, 2), zero, code);
    assert_rejected(
        m.amend(a, OrderRef::Id(ask), PRICE_MAX + 1, 2),
        too_high,
        code,
    );
}

#[test]
fn invalid_amount() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    let b = m.account(0, 0);
    let code = "invalid_amount";
    assert_rejected(transfer(&mut m, a, b, 0), Rejection::InvalidAmount, code);
    assert_rejected(deposit(&mut m, a, 0), Rejection::InvalidAmount, code);
}

#[test]
fn self_transfer() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    assert_rejected(
        transfer(&mut m, a, a, 10),
        Rejection::SelfTransfer,
        "self_transfer",
    );
    assert_eq!(m.credits(a), (100, 0));
}

#[test]
fn unknown_order() {
    let mut m = Market::new();
    let a = m.account(1000, 0);
    let b = m.account(1000, 0);
    let code = "unknown_order";
    let next = m.exchange.state().next_order_id();
    assert_rejected(
        m.cancel(a, OrderRef::Id(next)),
        Rejection::UnknownOrder,
        code,
    );
    assert_rejected(
        m.cancel(a, OrderRef::Id(OrderId(0))),
        Rejection::UnknownOrder,
        code,
    );
    assert_rejected(
        m.amend(a, OrderRef::Id(OrderId(999)), 10, 1),
        Rejection::UnknownOrder,
        code,
    );
    assert_rejected(
        m.cancel(a, OrderRef::Client(ClientOrderId(5))),
        Rejection::UnknownOrder,
        code,
    );
    // Client ids are per account: B's client id 5 names nothing for A.
    let order = NewOrder::limit(m.ticker, Side::Buy, Price(10), Quantity(1))
        .with_client_order_id(ClientOrderId(5));
    m.place(b, order).unwrap();
    assert_rejected(
        m.cancel(a, OrderRef::Client(ClientOrderId(5))),
        Rejection::UnknownOrder,
        code,
    );
    assert_rejected(
        m.amend(a, OrderRef::Client(ClientOrderId(5)), 10, 2),
        Rejection::UnknownOrder,
        code,
    );
}

#[test]
fn order_not_open() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let code = "order_not_open";
    // Filled.
    let filled = order_id(&m.limit(a, Side::Sell, 10, 1).unwrap());
    m.market(b, Side::Buy, 1).unwrap();
    assert_rejected(
        m.cancel(a, OrderRef::Id(filled)),
        Rejection::OrderNotOpen(filled),
        code,
    );
    assert_rejected(
        m.amend(a, OrderRef::Id(filled), 11, 1),
        Rejection::OrderNotOpen(filled),
        code,
    );
    // Cancelled, named by client id.
    let client = ClientOrderId(1);
    let order =
        NewOrder::limit(m.ticker, Side::Buy, Price(5), Quantity(1)).with_client_order_id(client);
    let cancelled = order_id(&m.place(a, order).unwrap());
    m.cancel(a, OrderRef::Client(client)).unwrap();
    assert_rejected(
        m.cancel(a, OrderRef::Client(client)),
        Rejection::OrderNotOpen(cancelled),
        code,
    );
    // Never rested (IOC).
    let ioc = NewOrder::limit(m.ticker, Side::Buy, Price(5), Quantity(1))
        .with_time_in_force(TimeInForce::Ioc);
    let gone = order_id(&m.place(a, ioc).unwrap());
    assert_rejected(
        m.cancel(a, OrderRef::Id(gone)),
        Rejection::OrderNotOpen(gone),
        code,
    );
    // Another account's closed order is not open either.
    assert_rejected(
        m.cancel(b, OrderRef::Id(filled)),
        Rejection::OrderNotOpen(filled),
        code,
    );
}

#[test]
fn not_owner() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let ask = order_id(&m.limit(a, Side::Sell, 10, 1).unwrap());
    let code = "not_owner";
    assert_rejected(
        m.cancel(b, OrderRef::Id(ask)),
        Rejection::NotOwner(ask),
        code,
    );
    assert_rejected(
        m.amend(b, OrderRef::Id(ask), 11, 1),
        Rejection::NotOwner(ask),
        code,
    );
    assert_eq!(m.shares(a), (9, 1));
}

#[test]
fn amendment_unchanged() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let bid = order_id(&m.limit(a, Side::Buy, 10, 3).unwrap());
    assert_rejected(
        m.amend(a, OrderRef::Id(bid), 10, 3),
        Rejection::AmendmentUnchanged,
        "amendment_unchanged",
    );
    // After a partial fill, "unchanged" means the remaining quantity.
    let seller = m.account(0, 1);
    m.market(seller, Side::Sell, 1).unwrap();
    assert_rejected(
        m.amend(a, OrderRef::Id(bid), 10, 2),
        Rejection::AmendmentUnchanged,
        "amendment_unchanged",
    );
    m.amend(a, OrderRef::Id(bid), 10, 3).unwrap();
}

#[test]
fn amendment_would_trade() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let bid = order_id(&m.limit(a, Side::Buy, 10, 2).unwrap());
    let ask = order_id(&m.limit(b, Side::Sell, 20, 2).unwrap());
    let code = "amendment_would_trade";
    assert_rejected(
        m.amend(a, OrderRef::Id(bid), 20, 2),
        Rejection::AmendmentWouldTrade(Price(20)),
        code,
    );
    assert_rejected(
        m.amend(a, OrderRef::Id(bid), 25, 1),
        Rejection::AmendmentWouldTrade(Price(25)),
        code,
    );
    assert_rejected(
        m.amend(b, OrderRef::Id(ask), 10, 2),
        Rejection::AmendmentWouldTrade(Price(10)),
        code,
    );
    m.amend(a, OrderRef::Id(bid), 19, 2).unwrap();
    m.amend(b, OrderRef::Id(ask), 20, 1).unwrap();
    assert_eq!(m.quote(), (Some(19), Some(20)));
}

#[test]
fn duplicate_client_order_id() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let code = "duplicate_client_order_id";
    let with_id = |m: &Market, side: Side, price: u64, id: u64| {
        NewOrder::limit(m.ticker, side, Price(price), Quantity(1))
            .with_client_order_id(ClientOrderId(id))
    };
    // Still resting.
    m.place(a, with_id(&m, Side::Buy, 5, 1)).unwrap();
    let dup = with_id(&m, Side::Buy, 6, 1);
    assert_rejected(
        m.place(a, dup),
        Rejection::DuplicateClientOrderId(ClientOrderId(1)),
        code,
    );
    // Filled.
    m.place(a, with_id(&m, Side::Sell, 30, 2)).unwrap();
    m.market(b, Side::Buy, 1).unwrap();
    let dup = with_id(&m, Side::Sell, 30, 2);
    assert_rejected(
        m.place(a, dup),
        Rejection::DuplicateClientOrderId(ClientOrderId(2)),
        code,
    );
    // Cancelled.
    m.place(a, with_id(&m, Side::Buy, 4, 3)).unwrap();
    m.cancel(a, OrderRef::Client(ClientOrderId(3))).unwrap();
    let dup = with_id(&m, Side::Buy, 4, 3);
    assert_rejected(
        m.place(a, dup),
        Rejection::DuplicateClientOrderId(ClientOrderId(3)),
        code,
    );
    // Used by an immediate-or-cancel order that never rested.
    let ioc = with_id(&m, Side::Buy, 1, 4).with_time_in_force(TimeInForce::Ioc);
    m.place(a, ioc).unwrap();
    let dup = with_id(&m, Side::Buy, 1, 4);
    assert_rejected(
        m.place(a, dup),
        Rejection::DuplicateClientOrderId(ClientOrderId(4)),
        code,
    );
    // A rejected placement does not use up its id.
    let fok = with_id(&m, Side::Buy, 1, 5).with_time_in_force(TimeInForce::Fok);
    assert_eq!(m.place(a, fok), Err(Rejection::FokNotFillable));
    m.place(a, with_id(&m, Side::Buy, 1, 5)).unwrap();
}

/// An account may have `ORDERS_OPEN_PER_ACCOUNT_MAX` resting orders across all tickers.
/// Orders that cannot rest (IOC, FOK, market) are still accepted at the limit. The bulk
/// placement bypasses the fixture's per-command checks (for speed).
#[test]
fn too_many_open_orders() {
    let mut m = Market::new();
    let xyz = m.add_ticker("XYZ");
    let max = u64::from(ORDERS_OPEN_PER_ACCOUNT_MAX);
    let a = m.account(max + 100, 10);
    let seller = m.account(0, 10);
    m.limit(seller, Side::Sell, 50, 5).unwrap();
    let bid = NewOrder::limit(m.ticker, Side::Buy, Price(1), Quantity(1));
    for _ in 1..max {
        m.exchange
            .execute(&Command::by(a, Action::PlaceOrder(bid)))
            .unwrap();
    }
    m.exchange.state().check_invariants().unwrap();
    // The last one on another ticker: the limit counts across tickers.
    issue(&mut m, a, xyz, 5).unwrap();
    let xyz_ask = order_id(
        &m.place(a, NewOrder::limit(xyz, Side::Sell, Price(9), Quantity(1)))
            .unwrap(),
    );
    assert_eq!(
        m.exchange.state().account(a).unwrap().orders_open,
        ORDERS_OPEN_PER_ACCOUNT_MAX
    );

    let code = "too_many_open_orders";
    assert_rejected(
        m.limit(a, Side::Buy, 1, 1),
        Rejection::TooManyOpenOrders,
        code,
    );
    assert_rejected(
        m.limit(a, Side::Sell, 60, 1),
        Rejection::TooManyOpenOrders,
        code,
    );
    let post_only = bid.with_time_in_force(TimeInForce::PostOnly);
    assert_rejected(m.place(a, post_only), Rejection::TooManyOpenOrders, code);
    assert_rejected(
        m.place(a, NewOrder::limit(xyz, Side::Sell, Price(9), Quantity(1))),
        Rejection::TooManyOpenOrders,
        code,
    );

    m.place(a, bid.with_time_in_force(TimeInForce::Ioc))
        .unwrap();
    m.place(
        a,
        NewOrder::limit(m.ticker, Side::Buy, Price(50), Quantity(1))
            .with_time_in_force(TimeInForce::Fok),
    )
    .unwrap();
    m.market(a, Side::Buy, 1).unwrap();
    assert_eq!(m.shares(a), (12, 0));

    m.cancel(a, OrderRef::Id(xyz_ask)).unwrap();
    m.limit(a, Side::Buy, 1, 1).unwrap();
    assert_rejected(
        m.limit(a, Side::Buy, 1, 1),
        Rejection::TooManyOpenOrders,
        code,
    );
}

#[test]
fn overflow() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let code = "overflow";
    // A hold of price * quantity that does not fit in a u64, checked before funds.
    assert_rejected(
        m.limit(a, Side::Buy, PRICE_MAX, QUANTITY_MAX),
        Rejection::Overflow,
        code,
    );
    let bid = order_id(&m.limit(a, Side::Buy, 1, 1).unwrap());
    assert_rejected(
        m.amend(a, OrderRef::Id(bid), PRICE_MAX, QUANTITY_MAX),
        Rejection::Overflow,
        code,
    );
    // Total credits beyond CREDITS_TOTAL_MAX.
    let total = m.exchange.state().credits_total().0;
    let headroom = m.exchange.state().credits_headroom();
    assert_eq!(headroom, Credits(CREDITS_TOTAL_MAX - total));
    assert_rejected(
        deposit(&mut m, a, headroom.0 + 1),
        Rejection::Overflow,
        code,
    );
    deposit(&mut m, a, headroom.0).unwrap();
    assert_eq!(m.exchange.state().credits_headroom(), Credits::ZERO);
    assert_rejected(deposit(&mut m, a, 1), Rejection::Overflow, code);
    assert_rejected(deposit(&mut m, a, u64::MAX), Rejection::Overflow, code);
    // Total shares of a ticker beyond SHARES_TOTAL_MAX.
    let ticker = m.ticker;
    issue(&mut m, a, ticker, SHARES_TOTAL_MAX - 10).unwrap();
    assert_rejected(issue(&mut m, a, ticker, 1), Rejection::Overflow, code);
    assert_rejected(
        issue(&mut m, a, ticker, u64::MAX),
        Rejection::Overflow,
        code,
    );
}

#[test]
fn insufficient_credits() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    let b = m.account(0, 10);
    let o = m.account_of_kind(AccountKind::Orchestrator, 50, 0);
    let code = "insufficient_credits";
    let short = |needed, available| Rejection::InsufficientCredits {
        needed: Credits(needed),
        available: Credits(available),
    };
    assert_rejected(m.limit(a, Side::Buy, 101, 1), short(101, 100), code);
    let bid = order_id(&m.limit(a, Side::Buy, 30, 3).unwrap()); // holds 90
    assert_rejected(m.limit(a, Side::Buy, 11, 1), short(11, 10), code);
    assert_rejected(transfer(&mut m, a, b, 11), short(11, 10), code);
    assert_rejected(m.amend(a, OrderRef::Id(bid), 30, 4), short(30, 10), code);
    assert_rejected(m.amend(a, OrderRef::Id(bid), 34, 3), short(12, 10), code);
    assert_rejected(create_orchestrated(&mut m, o, 51), short(51, 50), code);
    // A market buy that cannot pay for a single share of the best ask.
    m.limit(b, Side::Sell, 31, 5).unwrap();
    assert_rejected(m.market(a, Side::Buy, 1), short(31, 10), code);
    assert_eq!(m.credits(a), (10, 90));
}

#[test]
fn insufficient_shares() {
    let mut m = Market::new();
    let a = m.account(100, 5);
    let b = m.account(100, 0);
    let code = "insufficient_shares";
    let short = |needed, available| Rejection::InsufficientShares {
        needed: Quantity(needed),
        available: Quantity(available),
    };
    m.limit(b, Side::Buy, 10, 5).unwrap();
    assert_rejected(m.market(a, Side::Sell, 6), short(6, 5), code);
    assert_rejected(m.limit(a, Side::Sell, 10, 6), short(6, 5), code);
    let ask = order_id(&m.limit(a, Side::Sell, 20, 3).unwrap()); // holds 3
    assert_rejected(m.limit(a, Side::Sell, 20, 3), short(3, 2), code);
    assert_rejected(m.amend(a, OrderRef::Id(ask), 20, 6), short(3, 2), code);
    assert_rejected(m.market(b, Side::Sell, 1), short(1, 0), code);
    assert_eq!(m.shares(a), (2, 3));
}

#[test]
fn post_only_would_trade() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    m.limit(a, Side::Sell, 30, 1).unwrap();
    m.limit(a, Side::Buy, 20, 1).unwrap();
    let code = "post_only_would_trade";
    for (side, price) in [
        (Side::Buy, 30),
        (Side::Buy, 35),
        (Side::Sell, 20),
        (Side::Sell, 1),
    ] {
        let order = NewOrder::limit(m.ticker, side, Price(price), Quantity(1))
            .with_time_in_force(TimeInForce::PostOnly);
        assert_rejected(m.place(b, order), Rejection::PostOnlyWouldTrade, code);
    }
}

#[test]
fn no_liquidity() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let code = "no_liquidity";
    assert_rejected(m.market(a, Side::Buy, 1), Rejection::NoLiquidity, code);
    assert_rejected(m.market(a, Side::Sell, 1), Rejection::NoLiquidity, code);
    // One side having orders does not help the other.
    m.limit(a, Side::Buy, 10, 1).unwrap();
    assert_rejected(m.market(a, Side::Buy, 1), Rejection::NoLiquidity, code);
}

#[test]
fn fok_not_fillable() {
    let mut m = Market::new();
    let a = m.account(1000, 10);
    let b = m.account(1000, 10);
    let ask = order_id(&m.limit(a, Side::Sell, 30, 2).unwrap());
    let code = "fok_not_fillable";
    let fok = |m: &Market, side, price, quantity| {
        NewOrder::limit(m.ticker, side, Price(price), Quantity(quantity))
            .with_time_in_force(TimeInForce::Fok)
    };
    assert_rejected(
        m.place(b, fok(&m, Side::Buy, 30, 3)),
        Rejection::FokNotFillable,
        code,
    );
    assert_rejected(
        m.place(b, fok(&m, Side::Buy, 29, 1)),
        Rejection::FokNotFillable,
        code,
    );
    assert_rejected(
        m.place(b, fok(&m, Side::Sell, 1, 1)),
        Rejection::FokNotFillable,
        code,
    );
    // Its own order in the way, with CancelIncoming, stops it short.
    let own = fok(&m, Side::Buy, 30, 1).with_self_trade(SelfTrade::CancelIncoming);
    assert_rejected(m.place(a, own), Rejection::FokNotFillable, code);
    assert_eq!(
        m.exchange.state().book_orders(m.ticker, Side::Sell)[0].id,
        ask
    );
}

#[test]
fn alert_not_set() {
    let mut m = Market::new();
    let a = m.account(100, 0);
    let code = "alert_not_set";
    let clear = |direction| Action::ClearAlert { direction };
    assert_rejected(
        m.by(a, clear(AlertDirection::Below)),
        Rejection::AlertNotSet(AlertDirection::Below),
        code,
    );
    m.by(
        a,
        Action::SetAlert {
            direction: AlertDirection::Above,
            threshold: Credits(500),
        },
    )
    .unwrap();
    assert_rejected(
        m.by(a, clear(AlertDirection::Below)),
        Rejection::AlertNotSet(AlertDirection::Below),
        code,
    );
    m.by(a, clear(AlertDirection::Above)).unwrap();
    assert_rejected(
        m.by(a, clear(AlertDirection::Above)),
        Rejection::AlertNotSet(AlertDirection::Above),
        code,
    );
}

/// A command with several faults is rejected for the first in the documented order.
#[test]
fn first_fault_wins() {
    let mut m = Market::new();
    let a = m.account(10, 0);
    let zzz = TickerId(9);
    let bad = NewOrder::limit(zzz, Side::Buy, Price(0), Quantity(0));
    assert_eq!(
        m.operator(Action::PlaceOrder(bad)),
        Err(Rejection::AccountRequired)
    );
    assert_eq!(
        m.by(AccountId(99), Action::PlaceOrder(bad)),
        Err(Rejection::UnknownAccount(AccountId(99)))
    );
    assert_eq!(m.place(a, bad), Err(Rejection::UnknownTicker(zzz)));
    let bad = NewOrder::limit(m.ticker, Side::Buy, Price(0), Quantity(0));
    assert_eq!(
        m.place(a, bad),
        Err(Rejection::InvalidQuantity(Quantity(0)))
    );
    let bad = NewOrder::limit(m.ticker, Side::Buy, Price(0), Quantity(1));
    assert_eq!(m.place(a, bad), Err(Rejection::InvalidPrice(Price(0))));
}

/// Every variant, one value each. The exhaustive match in `index` stops this list from
/// silently missing a variant added later.
fn every_rejection() -> Vec<Rejection> {
    fn index(rejection: &Rejection) -> usize {
        match rejection {
            Rejection::UnknownAccount(_) => 0,
            Rejection::AccountClosed(_) => 1,
            Rejection::AccountRequired => 2,
            Rejection::NotAdmin(_) => 3,
            Rejection::NotOrchestrator(_) => 4,
            Rejection::NotYourOrchestratedAccount { .. } => 5,
            Rejection::TooManyAccounts => 6,
            Rejection::UnknownTicker(_) => 7,
            Rejection::InvalidSymbol(_) => 8,
            Rejection::DuplicateSymbol(_) => 9,
            Rejection::TooManyTickers => 10,
            Rejection::TickerStatusUnchanged(_) => 11,
            Rejection::MarketClosed(_) => 12,
            Rejection::InvalidQuantity(_) => 13,
            Rejection::InvalidPrice(_) => 14,
            Rejection::InvalidAmount => 15,
            Rejection::SelfTransfer => 16,
            Rejection::UnknownOrder => 17,
            Rejection::OrderNotOpen(_) => 18,
            Rejection::NotOwner(_) => 19,
            Rejection::AmendmentUnchanged => 20,
            Rejection::AmendmentWouldTrade(_) => 21,
            Rejection::DuplicateClientOrderId(_) => 22,
            Rejection::TooManyOpenOrders => 23,
            Rejection::Overflow => 24,
            Rejection::InsufficientCredits { .. } => 25,
            Rejection::InsufficientShares { .. } => 26,
            Rejection::PostOnlyWouldTrade => 27,
            Rejection::NoLiquidity => 28,
            Rejection::FokNotFillable => 29,
            Rejection::AlertNotSet(_) => 30,
        }
    }
    let (account, ticker) = (AccountId(1), TickerId(1));
    let all = vec![
        Rejection::UnknownAccount(account),
        Rejection::AccountClosed(account),
        Rejection::AccountRequired,
        Rejection::NotAdmin(account),
        Rejection::NotOrchestrator(account),
        Rejection::NotYourOrchestratedAccount {
            account,
            orchestrator: AccountId(2),
        },
        Rejection::TooManyAccounts,
        Rejection::UnknownTicker(ticker),
        Rejection::InvalidSymbol(SymbolError::Character),
        Rejection::DuplicateSymbol(Symbol::new("MNAD").unwrap()),
        Rejection::TooManyTickers,
        Rejection::TickerStatusUnchanged(Symbol::new("MNAD").unwrap()),
        Rejection::MarketClosed(Symbol::new("MNAD").unwrap()),
        Rejection::InvalidQuantity(Quantity(0)),
        Rejection::InvalidPrice(Price(0)),
        Rejection::InvalidAmount,
        Rejection::SelfTransfer,
        Rejection::UnknownOrder,
        Rejection::OrderNotOpen(OrderId(1)),
        Rejection::NotOwner(OrderId(1)),
        Rejection::AmendmentUnchanged,
        Rejection::AmendmentWouldTrade(Price(1)),
        Rejection::DuplicateClientOrderId(ClientOrderId(1)),
        Rejection::TooManyOpenOrders,
        Rejection::Overflow,
        Rejection::InsufficientCredits {
            needed: Credits(2),
            available: Credits(1),
        },
        Rejection::InsufficientShares {
            needed: Quantity(2),
            available: Quantity(1),
        },
        Rejection::PostOnlyWouldTrade,
        Rejection::NoLiquidity,
        Rejection::FokNotFillable,
        Rejection::AlertNotSet(AlertDirection::Below),
    ];
    for (at, rejection) in all.iter().enumerate() {
        assert_eq!(index(rejection), at, "{rejection:?} is out of place");
    }
    all
}

/// `TooManyAccounts` would need `u32::MAX - 1` accounts, so only its code is checked.
#[test]
fn too_many_accounts_code() {
    assert_eq!(Rejection::TooManyAccounts.code(), "too_many_accounts");
}

#[test]
fn codes_are_distinct_snake_case() {
    let all = every_rejection();
    assert_eq!(all.len(), 31);
    let mut codes = BTreeSet::new();
    for rejection in &all {
        let code = rejection.code();
        assert!(codes.insert(code), "duplicate code {code}");
        let snake = !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && code.as_bytes()[0].is_ascii_lowercase()
            && !code.ends_with('_')
            && !code.contains("__");
        assert!(snake, "{code} is not snake_case");
        // Every rejection also explains itself in words.
        assert!(!rejection.to_string().is_empty());
    }
    assert_eq!(codes.len(), all.len());
}
