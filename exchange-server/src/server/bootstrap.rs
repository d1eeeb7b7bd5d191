//! The bootstrap file: tickers and users to create when the log is empty, so a new
//! exchange starts with a market. Applied once: a log with any record is left alone.
//!
//! ```toml
//! [[tickers]]
//! symbol = "MNAD"
//!
//! [[users]]
//! email = "mm1@demo.exchange"
//! password = "market-maker-1"
//! kind = "standard"          # standard (default), orchestrator or admin
//! credits = 500
//! shares = { MNAD = 12 }
//! api_token = "..."          # optional: a fixed API token for a bot (64 lower-case hex characters)
//! ```

use crate::auth::{check_password_policy, hash_password, AuthStore, Email, User};
use exchange_core::log::{EventLog, Record};
use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Journal, Quantity, Submission, Symbol,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The demo shipped with the server: the seed's market (ticker MNAD, two market makers
/// with credits and shares, an orchestrator with credits) and an admin.
pub const DEMO: &str = include_str!("../../bootstrap/demo.toml");

/// A well-formed fixed token, checked in place of a user's missing one.
const FIXED_TOKEN_EXAMPLE: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// A bootstrap file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bootstrap {
    /// Tickers to list, in order.
    #[serde(default)]
    pub tickers: Vec<BootstrapTicker>,
    /// Users to create, in order.
    #[serde(default)]
    pub users: Vec<BootstrapUser>,
}

/// A ticker to list.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapTicker {
    /// Its symbol.
    pub symbol: String,
}

/// A user to create.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapUser {
    /// Login email.
    pub email: String,
    /// Login password.
    pub password: String,
    /// Account kind.
    #[serde(default)]
    pub kind: BootstrapKind,
    /// Credits deposited.
    #[serde(default)]
    pub credits: u64,
    /// Shares issued, by symbol.
    #[serde(default)]
    pub shares: BTreeMap<String, u64>,
    /// A fixed API token to register for the user (for demo bots).
    pub api_token: Option<String>,
}

/// Account kinds as the file names them.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BootstrapKind {
    /// A trader.
    #[default]
    Standard,
    /// May fund and liquidate orchestrated accounts.
    Orchestrator,
    /// May list tickers, deposit credits and issue shares.
    Admin,
}

impl From<BootstrapKind> for AccountKind {
    fn from(kind: BootstrapKind) -> Self {
        match kind {
            BootstrapKind::Standard => AccountKind::Standard,
            BootstrapKind::Orchestrator => AccountKind::Orchestrator,
            BootstrapKind::Admin => AccountKind::Admin,
        }
    }
}

/// Why a bootstrap could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The file is not valid TOML of the expected shape.
    #[error("bootstrap file: {0}")]
    Parse(#[from] toml::de::Error),
    /// A value in it is not acceptable.
    #[error("bootstrap file: {0}")]
    Invalid(String),
    /// The engine refused one of its commands.
    #[error("bootstrap command {0:?} was refused: {1}")]
    Refused(Box<Action>, exchange_core::Rejection),
    /// The log failed.
    #[error("bootstrap: {0}")]
    Journal(#[from] exchange_core::JournalError),
    /// The auth store failed.
    #[error("bootstrap: {0}")]
    Auth(#[from] crate::auth::AuthError),
}

impl Bootstrap {
    /// Parses a bootstrap file's text and checks its values.
    pub fn parse(text: &str) -> Result<Self, BootstrapError> {
        let bootstrap: Self = toml::from_str(text)?;
        for ticker in &bootstrap.tickers {
            Symbol::new(&ticker.symbol).map_err(|e| BootstrapError::Invalid(e.to_string()))?;
        }
        for user in &bootstrap.users {
            Email::parse(&user.email).map_err(|e| BootstrapError::Invalid(e.to_string()))?;
            check_password_policy(&user.password)
                .map_err(|e| BootstrapError::Invalid(format!("{}: {e}", user.email)))?;
            let token = user.api_token.as_deref().unwrap_or(FIXED_TOKEN_EXAMPLE);
            if token.len() != 64
                || !token
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            {
                return Err(BootstrapError::Invalid(format!(
                    "{}: api_token must be 64 lower-case hex characters",
                    user.email
                )));
            }
        }
        Ok(bootstrap)
    }

    /// Applies the bootstrap if the log is empty; returns whether it did.
    pub fn apply<L: EventLog>(
        &self,
        journal: &mut Journal<L>,
        auth: &AuthStore,
        timestamp_ns: u64,
        now_ms: u64,
    ) -> Result<bool, BootstrapError> {
        if journal.last_seq() > 0 {
            return Ok(false);
        }
        let mut run = |command| run(journal, command, timestamp_ns);
        for ticker in &self.tickers {
            let symbol =
                Symbol::new(&ticker.symbol).map_err(|e| BootstrapError::Invalid(e.to_string()))?;
            run(Command::operator(Action::CreateTicker { symbol }))?;
        }
        for user in &self.users {
            let kind = user.kind.into();
            let record = run(Command::operator(Action::CreateAccount { kind }))?;
            let account = crate::involvement::created_account(&record)
                .ok_or_else(|| BootstrapError::Invalid("no account was created".into()))?;
            self.fund(&mut run, user, account)?;
            let stored = User {
                email: Email::parse(&user.email)?,
                account,
                kind,
                password_hash: hash_password(&user.password)?,
                created_ms: now_ms,
            };
            auth.insert_user(&stored)?;
            if let Some(token) = &user.api_token {
                auth.register_api_token(account, "bootstrap", token, now_ms)?;
            }
        }
        Ok(true)
    }

    /// Deposits a user's credits and issues its shares.
    fn fund(
        &self,
        run: &mut impl FnMut(Command) -> Result<Record, BootstrapError>,
        user: &BootstrapUser,
        account: AccountId,
    ) -> Result<(), BootstrapError> {
        if user.credits > 0 {
            let amount = Credits(user.credits);
            run(Command::operator(Action::DepositCredits {
                account,
                amount,
            }))?;
        }
        for (symbol, &quantity) in &user.shares {
            let symbol = Symbol::new(symbol).map_err(|e| BootstrapError::Invalid(e.to_string()))?;
            let ticker = self
                .tickers
                .iter()
                .position(|t| t.symbol == symbol.as_str())
                .ok_or_else(|| {
                    BootstrapError::Invalid(format!("{}: unknown ticker {symbol}", user.email))
                })?;
            let ticker = exchange_core::TickerId(u32::try_from(ticker + 1).unwrap_or(u32::MAX));
            let quantity = Quantity(quantity);
            run(Command::operator(Action::IssueShares {
                account,
                ticker,
                quantity,
            }))?;
        }
        Ok(())
    }
}

/// Submits one command and returns its record, or why it was refused.
fn run<L: EventLog>(
    journal: &mut Journal<L>,
    command: Command,
    timestamp_ns: u64,
) -> Result<Record, BootstrapError> {
    let submission = Submission {
        timestamp_ns,
        command,
    };
    let outcome = journal
        .submit(&[submission])?
        .pop()
        .expect("invariant: one outcome per submission");
    outcome.map_err(|rejection| BootstrapError::Refused(Box::new(command.action), rejection))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_parses() {
        let demo = Bootstrap::parse(DEMO).expect("the demo is valid");
        assert_eq!(demo.tickers.len(), 1);
        assert_eq!(demo.users.len(), 4);
        let kinds: Vec<BootstrapKind> = demo.users.iter().map(|u| u.kind).collect();
        assert!(kinds.contains(&BootstrapKind::Admin));
        assert!(kinds.contains(&BootstrapKind::Orchestrator));
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let cases = [
            ("[[tickers]]\nsymbol = \"bad symbol\"\n", "symbol"),
            ("[[users]]\nemail = \"nope\"\npassword = \"long enough\"\n", "email"),
            ("[[users]]\nemail = \"a@b.example\"\npassword = \"short\"\n", "a@b.example"),
            ("[[users]]\nemail = \"a@b.example\"\npassword = \"long enough\"\napi_token = \"XYZ\"\n", "api_token"),
            ("[[tickers]]\nsymbol = \"OK\"\ncolour = \"red\"\n", "colour"),
        ];
        for (text, mentioned) in cases {
            let error = Bootstrap::parse(text).expect_err(text).to_string();
            assert!(error.contains(mentioned), "{text}: {error}");
        }
    }
}
