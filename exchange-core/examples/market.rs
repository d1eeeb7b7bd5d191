//! A small market in memory, mirroring the seed system's demo: ticker MNAD, two market makers
//! quoting around 30-36, an orchestrator funding noise traders that trade against them.
//! Prints the book, the trades and the balances, then checks every invariant.
//!
//! Run with `cargo run --release -p exchange-core --example market`.

use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Event, Exchange, NewOrder, Price, Quantity,
    Rejection, Side, Symbol, TickerId,
};

fn main() -> Result<(), Rejection> {
    let mut exchange = Exchange::new();
    let symbol = Symbol::new("MNAD").expect("a valid symbol");
    exchange.execute(&Command::operator(Action::CreateTicker { symbol }))?;
    let mnad = exchange
        .state()
        .ticker_by_symbol(&symbol)
        .expect("just listed");

    let makers = [
        open_account(&mut exchange, AccountKind::Standard, 500, 12, mnad)?,
        open_account(&mut exchange, AccountKind::Standard, 500, 12, mnad)?,
    ];
    for (maker, (bid, ask)) in makers.into_iter().zip([(30, 35), (29, 36)]) {
        place(
            &mut exchange,
            maker,
            NewOrder::limit(mnad, Side::Buy, Price(bid), Quantity(5)),
        )?;
        place(
            &mut exchange,
            maker,
            NewOrder::limit(mnad, Side::Sell, Price(ask), Quantity(5)),
        )?;
    }
    println!("Opening book:");
    print_book(&exchange, mnad);

    let orchestrator = open_account(&mut exchange, AccountKind::Orchestrator, 1_100, 0, mnad)?;
    let mut traders = Vec::new();
    for _ in 0..1_100 / 150 {
        let funding = Action::CreateOrchestratedAccount {
            initial_credits: Credits(150),
        };
        let events = exchange.execute(&Command::by(orchestrator, funding))?;
        if let Some(Event::AccountCreated { account, .. }) = events.first() {
            traders.push(*account);
        }
    }
    println!(
        "\nThe orchestrator funded {} noise traders with 150 credits each.",
        traders.len()
    );

    println!("\nTrades (every trader buys one share, then every other trader sells it back):");
    let rounds = traders.iter().map(|t| (*t, Side::Buy));
    let rounds = rounds.chain(traders.iter().step_by(2).map(|t| (*t, Side::Sell)));
    for (trader, side) in rounds.collect::<Vec<_>>() {
        let order = NewOrder::market(mnad, side, Quantity(1));
        print_trades(exchange.execute(&Command::by(trader, Action::PlaceOrder(order)))?);
    }
    let oversell = NewOrder::market(mnad, Side::Sell, Quantity(5));
    if let Err(rejection) = exchange.execute(&Command::by(traders[1], Action::PlaceOrder(oversell)))
    {
        println!(
            "  account {} sells 5: rejected with {}: {rejection}",
            traders[1],
            rejection.code()
        );
    }

    println!("\nClosing book:");
    print_book(&exchange, mnad);
    println!("\nBalances:");
    for account in exchange.state().accounts() {
        let shares: u64 = account
            .positions
            .iter()
            .map(|p| p.available.0 + p.held.0)
            .sum();
        println!(
            "  account {:>2} {:<12} credits {:>4} available {:>4} held, {:>2} shares",
            account.id.0,
            format!("{:?}", account.kind),
            account.credits_available.0,
            account.credits_held.0,
            shares,
        );
    }
    exchange
        .state()
        .check_invariants()
        .expect("the engine keeps its invariants");
    println!(
        "\nAll invariants hold. State hash: {}",
        exchange.state().state_hash()
    );
    Ok(())
}

/// Creates an account and funds it with credits and shares of `ticker`.
fn open_account(
    exchange: &mut Exchange,
    kind: AccountKind,
    credits: u64,
    shares: u64,
    ticker: TickerId,
) -> Result<AccountId, Rejection> {
    let account = AccountId(exchange.state().accounts().len() as u32 + 1);
    exchange.execute(&Command::operator(Action::CreateAccount { kind }))?;
    if credits > 0 {
        exchange.execute(&Command::operator(Action::DepositCredits {
            account,
            amount: Credits(credits),
        }))?;
    }
    if shares > 0 {
        let issue = Action::IssueShares {
            account,
            ticker,
            quantity: Quantity(shares),
        };
        exchange.execute(&Command::operator(issue))?;
    }
    Ok(account)
}

fn place(exchange: &mut Exchange, account: AccountId, order: NewOrder) -> Result<(), Rejection> {
    exchange
        .execute(&Command::by(account, Action::PlaceOrder(order)))
        .map(|_| ())
}

fn print_trades(events: &[Event]) {
    for event in events {
        if let Event::Trade {
            price,
            quantity,
            maker_account,
            taker_account,
            taker_side,
            ..
        } = event
        {
            println!("  account {taker_account} {taker_side:?}s {quantity} @ {price} from account {maker_account}");
        }
    }
}

fn print_book(exchange: &Exchange, ticker: TickerId) {
    let depth = exchange.state().depth(ticker, 5).expect("a listed ticker");
    let rows = depth.bids.len().max(depth.asks.len());
    println!("  {:>12} | {:<12}", "bids", "asks");
    for row in 0..rows {
        let cell = |levels: &[exchange_core::LevelView]| {
            levels
                .get(row)
                .map_or(String::new(), |l| format!("{} @ {}", l.quantity, l.price))
        };
        println!("  {:>12} | {:<12}", cell(&depth.bids), cell(&depth.asks));
    }
}
