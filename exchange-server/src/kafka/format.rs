//! The JSON form of a log record on the Kafka topic, and its key (docs/kafka.md).
//!
//! One Kafka record per log record, its value an [`ExportedRecord`]:
//!
//! ```json
//! {"type":"command","seq":42,"timestamp_ns":1700000000000000000,"actor":7,
//!  "events":[{"type":"trade","symbol":"MNAD","price":35,...}]}
//! {"type":"checkpoint","seq":43,"timestamp_ns":1700000000000000000,"state_hash":"9f3c..."}
//! ```
//!
//! Events are the API's [`WireEvent`]s (snake case, tickers by symbol), so a consumer of the
//! topic reads the same vocabulary as a client of the REST API and the WebSocket.

use crate::involvement::event_ticker;
use crate::wire::WireEvent;
use exchange_core::log::{Entry, Record, Seq};
use exchange_core::{AccountId, Actor, Symbol, TickerId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One log record as published on the topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportedRecord {
    /// An accepted command and the events it produced.
    Command {
        /// The record's sequence number in the log: 1, 2, 3, ... with no gap.
        seq: Seq,
        /// When the sequencer accepted it, in nanoseconds since the Unix epoch.
        timestamp_ns: u64,
        /// The account that issued the command, or null for the operator.
        actor: Option<AccountId>,
        /// Its events, in order.
        events: Vec<WireEvent>,
    },
    /// The state's hash at this point of the log (see `exchange audit`).
    Checkpoint {
        /// The record's sequence number in the log.
        seq: Seq,
        /// When the sequencer wrote it, in nanoseconds since the Unix epoch.
        timestamp_ns: u64,
        /// The state hash, in lowercase hex.
        state_hash: String,
    },
}

impl ExportedRecord {
    /// The record's sequence number.
    pub fn seq(&self) -> Seq {
        match *self {
            Self::Command { seq, .. } | Self::Checkpoint { seq, .. } => seq,
        }
    }

    /// When the sequencer accepted the record, in nanoseconds since the Unix epoch.
    pub fn timestamp_ns(&self) -> u64 {
        match *self {
            Self::Command { timestamp_ns, .. } | Self::Checkpoint { timestamp_ns, .. } => {
                timestamp_ns
            }
        }
    }

    /// Parses a record's value as found on the topic.
    pub fn parse(value: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(value)
    }
}

/// The symbols of the tickers listed so far, learnt from the state at start and from every
/// `TickerCreated` event since (tickers are never removed, and ids are never reused).
#[derive(Clone, Debug, Default)]
pub struct Symbols(BTreeMap<TickerId, Symbol>);

impl Symbols {
    /// The symbols of `tickers`.
    pub fn new(tickers: impl IntoIterator<Item = (TickerId, Symbol)>) -> Self {
        Self(tickers.into_iter().collect())
    }

    /// The symbol of `ticker`. Every event naming a ticker follows its listing in the log,
    /// which this map has seen, so a miss is a broken invariant.
    fn symbol(&self, ticker: TickerId) -> Symbol {
        *self
            .0
            .get(&ticker)
            .expect("invariant: a ticker is listed before any event names it")
    }
}

/// A record ready for the topic: its key and its JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encoded {
    /// `ticker:SYMBOL` for a record about a ticker, else `account:ID` for one about an
    /// account, else `exchange` (checkpoints).
    pub key: String,
    /// The [`ExportedRecord`] as JSON.
    pub value: Vec<u8>,
}

/// Encodes `record`, learning the symbols it lists into `symbols` first.
pub fn encode(record: &Record, symbols: &mut Symbols) -> Encoded {
    let exported = match &record.entry {
        Entry::Command { command, events } => {
            for event in events.iter() {
                if let exchange_core::Event::TickerCreated { ticker, symbol } = *event {
                    symbols.0.insert(ticker, symbol);
                }
            }
            let actor = match command.actor {
                Actor::Account(account) => Some(account),
                Actor::Operator => None,
            };
            ExportedRecord::Command {
                seq: record.seq,
                timestamp_ns: record.timestamp_ns,
                actor,
                events: events
                    .iter()
                    .map(|event| WireEvent::new(event, |ticker| symbols.symbol(ticker)))
                    .collect(),
            }
        }
        Entry::Checkpoint { state_hash } => ExportedRecord::Checkpoint {
            seq: record.seq,
            timestamp_ns: record.timestamp_ns,
            state_hash: state_hash.to_string(),
        },
    };
    Encoded {
        key: key(record, symbols),
        value: serde_json::to_vec(&exported).expect("invariant: a record always serializes"),
    }
}

/// The record's key: the first ticker its events name, else the first account, else
/// `exchange`.
fn key(record: &Record, symbols: &Symbols) -> String {
    let Entry::Command { events, .. } = &record.entry else {
        return "exchange".to_owned();
    };
    if let Some(ticker) = events.iter().find_map(event_ticker) {
        return format!("ticker:{}", symbols.symbol(ticker));
    }
    let account = events
        .iter()
        .find_map(|event| event.accounts().into_iter().flatten().next());
    match account {
        Some(account) => format!("account:{}", account.0),
        None => "exchange".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::{Action, Command, Credits, Event, StateHash, TransferReason};

    fn symbol(text: &str) -> Symbol {
        Symbol::new(text).expect("a valid symbol")
    }

    #[test]
    fn a_listing_teaches_its_symbol_and_a_transfer_is_keyed_by_its_payer() {
        let mut symbols = Symbols::default();
        let listing = Record {
            seq: 1,
            timestamp_ns: 10,
            entry: Entry::Command {
                command: Command::operator(Action::CreateTicker {
                    symbol: symbol("MNAD"),
                }),
                events: vec![Event::TickerCreated {
                    ticker: TickerId(1),
                    symbol: symbol("MNAD"),
                }]
                .into(),
            },
        };
        let encoded = encode(&listing, &mut symbols);
        assert_eq!(encoded.key, "ticker:MNAD");
        let parsed = ExportedRecord::parse(&encoded.value).unwrap();
        assert_eq!(
            parsed,
            ExportedRecord::Command {
                seq: 1,
                timestamp_ns: 10,
                actor: None,
                events: vec![WireEvent::TickerCreated {
                    symbol: symbol("MNAD")
                }],
            }
        );
        let (payer, payee) = (AccountId(3), AccountId(4));
        let transfer = Record {
            seq: 2,
            timestamp_ns: 11,
            entry: Entry::Command {
                command: Command::by(
                    payer,
                    Action::TransferCredits {
                        to: payee,
                        amount: Credits(5),
                    },
                ),
                events: vec![Event::CreditsTransferred {
                    from: payer,
                    to: payee,
                    amount: Credits(5),
                    reason: TransferReason::Payment,
                }]
                .into(),
            },
        };
        let encoded = encode(&transfer, &mut symbols);
        assert_eq!(encoded.key, "account:3");
        let text = String::from_utf8(encoded.value).unwrap();
        assert!(
            text.contains(r#""type":"credits_transferred","from":3,"to":4,"amount":5"#),
            "{text}"
        );
        assert!(text.contains(r#""actor":3"#), "{text}");
    }

    #[test]
    fn a_checkpoint_carries_its_hash_in_hex() {
        let checkpoint = Record {
            seq: 7,
            timestamp_ns: 12,
            entry: Entry::Checkpoint {
                state_hash: StateHash([0xab; 32]),
            },
        };
        let encoded = encode(&checkpoint, &mut Symbols::default());
        assert_eq!(encoded.key, "exchange");
        let parsed = ExportedRecord::parse(&encoded.value).unwrap();
        assert_eq!(parsed.seq(), 7);
        assert_eq!(parsed.timestamp_ns(), 12);
        assert_eq!(
            parsed,
            ExportedRecord::Checkpoint {
                seq: 7,
                timestamp_ns: 12,
                state_hash: "ab".repeat(32),
            }
        );
    }
}
