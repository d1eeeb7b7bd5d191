//! WebSocket tickets: short-lived, single-use secrets for browsers that cannot send headers
//! when opening a WebSocket (`GET /ws?ticket=…`). They live in memory only, bounded by
//! [`TICKETS_MAX`]; a restart forgets them, which costs a client one retry at most.

use std::collections::BTreeMap;
use std::sync::{MutexGuard, PoisonError};

use exchange_core::AccountId;

use super::credential::Credential;
use super::error::AuthError;
use super::limits::TICKETS_MAX;
use super::secret::{Secret, SecretHash};
use super::store::AuthStore;

/// An outstanding ticket: who it is for, the credential that asked for it, and until when.
#[derive(Clone, Debug)]
struct Ticket {
    account: AccountId,
    credential: Credential,
    expires_ms: u64,
}

/// The outstanding tickets, by the hash of their secret.
#[derive(Debug, Default)]
pub(super) struct Tickets {
    by_hash: BTreeMap<SecretHash, Ticket>,
}

impl Tickets {
    /// Adds a ticket, first dropping expired ones if the map is full; refuses with
    /// [`AuthError::TooManyTickets`] if it is still full.
    fn insert(&mut self, hash: SecretHash, ticket: Ticket, now_ms: u64) -> Result<(), AuthError> {
        if self.by_hash.len() >= TICKETS_MAX {
            self.by_hash.retain(|_, held| now_ms < held.expires_ms);
        }
        if self.by_hash.len() >= TICKETS_MAX {
            return Err(AuthError::TooManyTickets);
        }
        let previous = self.by_hash.insert(hash, ticket);
        assert!(previous.is_none(), "a fresh 256-bit secret collided");
        assert!(self.by_hash.len() <= TICKETS_MAX);
        Ok(())
    }

    /// Removes the ticket and returns its account and credential if it had not expired at
    /// `now_ms`.
    fn redeem(&mut self, hash: SecretHash, now_ms: u64) -> Option<(AccountId, Credential)> {
        let ticket = self.by_hash.remove(&hash)?;
        (now_ms < ticket.expires_ms).then_some((ticket.account, ticket.credential))
    }
}

impl AuthStore {
    /// Issues a single-use WebSocket ticket for `account`, asked for with `credential`,
    /// valid for `ttl_ms` from `now_ms` (the API promises 30 s). A socket opened with it
    /// lasts only as long as that credential holds. Kept in memory only.
    /// [`AuthError::TooManyTickets`] if [`TICKETS_MAX`] unexpired tickets are outstanding.
    pub fn create_ticket(
        &self,
        account: AccountId,
        credential: Credential,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Result<Secret, AuthError> {
        let secret = Secret::generate()?;
        let ticket = Ticket {
            account,
            credential,
            expires_ms: now_ms.saturating_add(ttl_ms),
        };
        self.lock_tickets().insert(secret.hash(), ticket, now_ms)?;
        Ok(secret)
    }

    /// Uses up the ticket whose secret is `secret`: its account and the credential that
    /// asked for it, or `None` if it is unknown, malformed, already used or expired at
    /// `now_ms`. Either way it is gone after.
    pub fn redeem_ticket(&self, secret: &str, now_ms: u64) -> Option<(AccountId, Credential)> {
        let hash = SecretHash::of(secret)?;
        self.lock_tickets().redeem(hash, now_ms)
    }

    /// Takes the ticket lock. Every change to the map is a single `BTreeMap` call, so a
    /// panic while it was held cannot have left it half-changed, and poisoning is ignored.
    fn lock_tickets(&self) -> MutexGuard<'_, Tickets> {
        self.tickets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::{Ticket, Tickets};
    use crate::auth::limits::TICKETS_MAX;
    use crate::auth::secret::SecretHash;
    use crate::auth::store::tests::temp_store;
    use crate::auth::Credential;
    use exchange_core::AccountId;

    /// The credential the tests' tickets are asked for with.
    const TOKEN: Credential = Credential::Token(3);

    /// What redeeming a ticket for `account` gives.
    fn redeemed(account: u32) -> Option<(AccountId, Credential)> {
        Some((AccountId(account), TOKEN))
    }

    #[test]
    fn a_ticket_works_once() {
        let (_dir, store) = temp_store();
        let ticket = store
            .create_ticket(AccountId(7), TOKEN, 1_000, 30_000)
            .expect("issued");
        assert_eq!(store.redeem_ticket(ticket.as_str(), 1_000), redeemed(7));
        assert_eq!(store.redeem_ticket(ticket.as_str(), 1_000), None);
    }

    #[test]
    fn an_expired_ticket_is_refused_and_gone() {
        let (_dir, store) = temp_store();
        let ticket = store
            .create_ticket(AccountId(7), TOKEN, 1_000, 30_000)
            .expect("issued");
        assert_eq!(store.redeem_ticket(ticket.as_str(), 31_000), None);
        assert_eq!(store.redeem_ticket(ticket.as_str(), 1_000), None);
        let last = store
            .create_ticket(AccountId(7), TOKEN, 1_000, 30_000)
            .expect("issued");
        assert_eq!(store.redeem_ticket(last.as_str(), 30_999), redeemed(7));
    }

    #[test]
    fn unknown_and_malformed_tickets_are_refused() {
        let (_dir, store) = temp_store();
        let ticket = store
            .create_ticket(AccountId(7), TOKEN, 0, 30_000)
            .expect("issued");
        let upper = ticket.as_str().to_uppercase();
        for text in ["", "ticket", upper.as_str(), &"0".repeat(64)] {
            assert_eq!(store.redeem_ticket(text, 0), None, "{text:?}");
        }
        // Failed attempts did not use up the real ticket.
        assert_eq!(store.redeem_ticket(ticket.as_str(), 0), redeemed(7));
    }

    #[test]
    fn tickets_are_bounded_and_expired_ones_make_room() {
        let mut tickets = Tickets::default();
        let hash = |i: usize| SecretHash::of(&format!("{i:064x}")).expect("well formed");
        for i in 0..TICKETS_MAX {
            // Half expire at 10, half at 20.
            let expires_ms = if i % 2 == 0 { 10 } else { 20 };
            let ticket = Ticket {
                account: AccountId(1),
                credential: TOKEN,
                expires_ms,
            };
            tickets.insert(hash(i), ticket, 0).expect("room");
        }
        let ticket = Ticket {
            account: AccountId(2),
            credential: TOKEN,
            expires_ms: 100,
        };
        let full = tickets
            .insert(hash(TICKETS_MAX), ticket.clone(), 5)
            .expect_err("all still valid");
        assert_eq!(full.code(), "too_many_tickets");
        tickets
            .insert(hash(TICKETS_MAX), ticket, 10)
            .expect("expired ones purged");
        assert_eq!(tickets.by_hash.len(), TICKETS_MAX / 2 + 1);
        assert_eq!(tickets.redeem(hash(TICKETS_MAX), 10), redeemed(2));
        assert_eq!(tickets.redeem(hash(1), 10), redeemed(1));
        assert_eq!(tickets.redeem(hash(0), 10), None);
    }
}
