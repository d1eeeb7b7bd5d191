//! Creating accounts.

use super::require_admin;
use crate::command::{AccountKind, Actor};
use crate::event::Event;
use crate::limits::ACCOUNTS_MAX;
use crate::rejection::Rejection;
use crate::state::State;

/// Creates an account of any kind (operator or admin only).
pub(super) fn create(
    state: &State,
    actor: Actor,
    kind: AccountKind,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    require_admin(state, actor)?;
    out.push(account_created(state, kind, None)?);
    Ok(())
}

/// The event creating the next account, if there is room for one.
pub(super) fn account_created(
    state: &State,
    kind: AccountKind,
    orchestrated_by: Option<crate::ids::AccountId>,
) -> Result<Event, Rejection> {
    if state.ledger.len() >= ACCOUNTS_MAX as usize {
        return Err(Rejection::TooManyAccounts);
    }
    Ok(Event::AccountCreated {
        account: state.ledger.next_id(),
        kind,
        orchestrated_by,
    })
}
