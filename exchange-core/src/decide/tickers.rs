//! Listing tickers and opening or closing them.

use super::{require_admin, ticker};
use crate::command::{Actor, TickerStatus};
use crate::event::Event;
use crate::ids::TickerId;
use crate::limits::TICKERS_MAX;
use crate::rejection::Rejection;
use crate::state::State;
use crate::symbol::Symbol;

/// Lists a new ticker, open, under a symbol no other ticker has.
pub(super) fn create(
    state: &State,
    actor: Actor,
    symbol: Symbol,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    require_admin(state, actor)?;
    if state.tickers.by_symbol(&symbol).is_some() {
        return Err(Rejection::DuplicateSymbol(symbol));
    }
    if state.tickers.len() >= TICKERS_MAX as usize {
        return Err(Rejection::TooManyTickers);
    }
    out.push(Event::TickerCreated {
        ticker: state.tickers.next_id(),
        symbol,
    });
    Ok(())
}

/// Opens or closes a ticker. Closing keeps the book; it only stops new orders.
pub(super) fn set_status(
    state: &State,
    actor: Actor,
    id: TickerId,
    status: TickerStatus,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    require_admin(state, actor)?;
    let listed = ticker(state, id)?;
    if listed.status == status {
        return Err(Rejection::TickerStatusUnchanged(listed.symbol));
    }
    out.push(Event::TickerStatusChanged { ticker: id, status });
    Ok(())
}
