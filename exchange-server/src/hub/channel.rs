//! Channels: what a client subscribes to, by name (`quotes:MNAD`, `book:MNAD`,
//! `trades:MNAD`, `activity`, `account`) and by key.

use super::error::ClientError;
use exchange_core::{AccountId, Symbol, TickerId};

/// A channel as the hub indexes it. A connection's `account` channel is keyed by the
/// connection's own account, so a client can only ever reach its own account's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ChannelKey {
    /// `quotes:SYM`: best bid, best ask and last price.
    Quotes(TickerId),
    /// `book:SYM`: every price level.
    Book(TickerId),
    /// `trades:SYM`: every trade.
    Trades(TickerId),
    /// `activity`: the public activity feed (see [`crate::activity`]).
    Activity,
    /// `account`: one account's orders, fills, transfers, alerts and balances.
    Account(AccountId),
}

impl ChannelKey {
    /// Parses a channel name. `ticker_of` finds a listed ticker by symbol; `account` is the
    /// connection's authenticated account, if any.
    pub(crate) fn parse(
        name: &str,
        ticker_of: impl Fn(&Symbol) -> Option<TickerId>,
        account: Option<AccountId>,
    ) -> Result<Self, ClientError> {
        if name == "activity" {
            return Ok(ChannelKey::Activity);
        }
        if name == "account" {
            return account
                .map(ChannelKey::Account)
                .ok_or(ClientError::Unauthenticated);
        }
        let unknown = || ClientError::UnknownChannel(name.to_owned());
        let (kind, symbol) = name.split_once(':').ok_or_else(unknown)?;
        let symbol = Symbol::new(symbol).map_err(|_| unknown())?;
        let ticker = ticker_of(&symbol).ok_or_else(unknown)?;
        match kind {
            "quotes" => Ok(ChannelKey::Quotes(ticker)),
            "book" => Ok(ChannelKey::Book(ticker)),
            "trades" => Ok(ChannelKey::Trades(ticker)),
            _ => Err(unknown()),
        }
    }

    /// The channel's name, as clients write it; `symbol` is the ticker's symbol (unused for
    /// the account channel).
    pub(crate) fn name(self, symbol_of: impl Fn(TickerId) -> Symbol) -> String {
        match self {
            ChannelKey::Quotes(ticker) => format!("quotes:{}", symbol_of(ticker)),
            ChannelKey::Book(ticker) => format!("book:{}", symbol_of(ticker)),
            ChannelKey::Trades(ticker) => format!("trades:{}", symbol_of(ticker)),
            ChannelKey::Activity => "activity".to_owned(),
            ChannelKey::Account(_) => "account".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, account: Option<AccountId>) -> Result<ChannelKey, ClientError> {
        let mnad = Symbol::new("MNAD").unwrap();
        ChannelKey::parse(name, |s| (*s == mnad).then_some(TickerId(1)), account)
    }

    #[test]
    fn channel_names_parse_and_print_back() {
        let symbol_of = |_| Symbol::new("MNAD").unwrap();
        for name in [
            "quotes:MNAD",
            "book:MNAD",
            "trades:MNAD",
            "activity",
            "account",
        ] {
            let key = parse(name, Some(AccountId(3))).unwrap();
            assert_eq!(key.name(symbol_of), name);
        }
        assert_eq!(
            parse("account", Some(AccountId(3))),
            Ok(ChannelKey::Account(AccountId(3)))
        );
    }

    #[test]
    fn bad_channel_names_are_refused() {
        for name in [
            "",
            "book",
            "book:",
            "book:ZZZ",
            "book:mnad",
            "depth:MNAD",
            "book:MNAD:1",
        ] {
            assert_eq!(
                parse(name, None),
                Err(ClientError::UnknownChannel(name.to_owned())),
                "{name}"
            );
        }
        assert_eq!(parse("account", None), Err(ClientError::Unauthenticated));
    }
}
