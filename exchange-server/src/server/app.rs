//! What every handler shares: the sequencer, the auth store, the hub, metrics, limits and
//! the server's policies.

use crate::auth::AuthStore;
use crate::http::rate_limit::RateLimits;
use crate::hub::Hub;
use crate::server::connections::Connections;
use crate::server::metrics::Metrics;
use crate::server::sequencer::SequencerHandle;
use exchange_core::{Symbol, TickerId};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// Policies set by `exchange serve`'s options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Cookies get `Secure`, and the server's own origin is `https://HOST`.
    pub secure: bool,
    /// Origins besides the server's own that may send cookie-authenticated changes.
    pub allowed_origins: Vec<String>,
    /// How long a session lasts, in milliseconds.
    pub session_ttl_ms: u64,
    /// Credits every new user receives.
    pub signup_credits: u64,
    /// How long a WebSocket ticket is valid, in milliseconds.
    pub ticket_ttl_ms: u64,
}

/// The shared context of every handler.
pub struct App {
    /// The way to the sequencer.
    pub sequencer: SequencerHandle,
    /// Users, sessions and tokens.
    pub auth: AuthStore,
    /// Live data.
    pub hub: Hub,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Rate limits.
    pub rate_limits: RateLimits,
    /// Policies.
    pub policy: Policy,
    /// Ticker ids by symbol, filled on first use. Tickers are never removed and never
    /// change id, so an entry never goes stale.
    pub tickers: RwLock<BTreeMap<Symbol, TickerId>>,
    /// Emails whose signup is under way, so two concurrent signups for one email cannot
    /// both create an exchange account.
    pub signups_pending: Mutex<BTreeSet<String>>,
    /// The open connections and their limits.
    pub connections: Arc<Connections>,
}

impl App {
    /// Claims `email` for a signup; `false` if another signup holds it.
    pub fn claim_signup(&self, email: &str) -> bool {
        self.signups_pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(email.to_owned())
    }

    /// Releases a claim made with [`App::claim_signup`].
    pub fn release_signup(&self, email: &str) {
        self.signups_pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(email);
    }
}

/// Milliseconds since the Unix epoch, by the wall clock (0 if the clock is before 1970).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}
