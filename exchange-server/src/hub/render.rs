//! Rendering: one log record becomes the channel messages it causes, each serialized once.
//!
//! Within a record the messages go out in this order: trades (in event order), `book`
//! level changes (by ticker, bids before asks, by price), `quote` changes (by ticker),
//! `activity` entries (in event order), then account messages (in event order; for a trade the taker's fill before the maker's,
//! for a transfer the payer's before the payee's). Balances follow, from
//! [`super::Published::balances`], by account id.

use super::channel::ChannelKey;
use super::message::{ServerMessage, WirePosition};
use super::mirror::{Changes, Mirror};
use crate::activity::{Activity, ActivityEntry};
use crate::wire::{WireEvent, WireRole, WireTransferDirection, WireTransferReason};
use exchange_core::log::Seq;
use exchange_core::{AccountId, AccountView, Credits, Event};
use std::sync::Arc;

/// One rendered message and the channel it belongs to.
#[derive(Clone, Debug)]
pub(crate) struct Rendered {
    /// Its channel.
    pub(crate) key: ChannelKey,
    /// Its JSON text, shared by every subscriber.
    pub(crate) text: Arc<str>,
}

/// The name every connection gives its own account channel.
const ACCOUNT: &str = "account";

/// The public activity feed's channel.
const ACTIVITY: &str = "activity";

/// When a record happened: its seq and the sequencer's time in milliseconds.
#[derive(Clone, Copy, Debug)]
struct At {
    seq: Seq,
    time_ms: u64,
}

/// Messages collected while walking a record's events.
#[derive(Default)]
struct Outbox {
    trades: Vec<Rendered>,
    activity: Vec<Rendered>,
    account: Vec<Rendered>,
}

/// Applies a command record's events to `mirror` and renders the messages they cause.
pub(crate) fn render_record(
    mirror: &mut Mirror,
    seq: Seq,
    timestamp_ns: u64,
    events: &[Event],
) -> Vec<Rendered> {
    let at = At {
        seq,
        time_ms: timestamp_ns / 1_000_000,
    };
    let mut changes = Changes::default();
    let mut outbox = Outbox::default();
    for event in events {
        mirror.apply(event, &mut changes);
        if let Some(activity) = mirror.activity(event) {
            outbox.activity.push(activity_message(at, activity));
        }
        event_messages(mirror, at, event, &mut outbox);
    }
    let mut rendered = outbox.trades;
    for ((ticker, side, price), level) in changes.levels(mirror) {
        let key = ChannelKey::Book(ticker);
        let channel = key.name(|t| mirror.symbol(t));
        let message = ServerMessage::Book {
            channel: &channel,
            seq,
            side: side.into(),
            price,
            quantity: level.quantity,
            orders: level.orders,
        };
        rendered.push(Rendered {
            key,
            text: message.to_text(),
        });
    }
    for (ticker, quote) in changes.quotes(mirror) {
        rendered.push(quote_message(
            mirror,
            ChannelKey::Quotes(ticker),
            seq,
            quote,
        ));
    }
    rendered.extend(outbox.activity);
    rendered.extend(outbox.account);
    rendered
}

/// An `activity` message for the public feed.
fn activity_message(at: At, activity: Activity) -> Rendered {
    let message = ServerMessage::Activity {
        channel: ACTIVITY,
        entry: ActivityEntry {
            seq: at.seq,
            time_ms: at.time_ms,
            activity,
        },
    };
    Rendered {
        key: ChannelKey::Activity,
        text: message.to_text(),
    }
}

/// A `quote` message: a change, or a snapshot at the hub's seq.
pub(crate) fn quote_message(
    mirror: &Mirror,
    key: ChannelKey,
    seq: Seq,
    quote: crate::wire::QuoteBody,
) -> Rendered {
    let channel = key.name(|t| mirror.symbol(t));
    let message = ServerMessage::Quote {
        channel: &channel,
        seq,
        quote,
    };
    Rendered {
        key,
        text: message.to_text(),
    }
}

/// A `balance` message for an account's balances after record `seq`.
pub(crate) fn balance_message(mirror: &Mirror, seq: Seq, account: &AccountView) -> Rendered {
    let positions = account
        .positions
        .iter()
        .map(|position| WirePosition {
            symbol: mirror.symbol(position.ticker),
            available: position.available,
            held: position.held,
        })
        .collect();
    let message = ServerMessage::Balance {
        channel: ACCOUNT,
        seq,
        credits_available: account.credits_available,
        credits_held: account.credits_held,
        positions,
    };
    Rendered {
        key: ChannelKey::Account(account.id),
        text: message.to_text(),
    }
}

/// The trade and account messages of one event.
fn event_messages(mirror: &Mirror, at: At, event: &Event, outbox: &mut Outbox) {
    match *event {
        Event::Trade { .. } => trade_messages(mirror, at, event, outbox),
        Event::OrderAccepted { account, .. }
        | Event::OrderRested { account, .. }
        | Event::OrderCancelled { account, .. }
        | Event::RemainderCancelled { account, .. }
        | Event::OrderAmended { account, .. } => {
            let message = ServerMessage::Order {
                channel: ACCOUNT,
                seq: at.seq,
                event: WireEvent::new(event, |t| mirror.symbol(t)),
            };
            outbox.account.push(to_account(account, &message));
        }
        Event::CreditsTransferred {
            from,
            to,
            amount,
            reason,
        } => {
            let reason = reason.into();
            let out = (WireTransferDirection::Out, Some(to));
            outbox.account.push(transfer(at, from, out, amount, reason));
            let into = (WireTransferDirection::In, Some(from));
            outbox.account.push(transfer(at, to, into, amount, reason));
        }
        Event::CreditsDeposited { account, amount } => {
            let into = (WireTransferDirection::In, None);
            let reason = WireTransferReason::Deposit;
            outbox
                .account
                .push(transfer(at, account, into, amount, reason));
        }
        Event::AlertTriggered {
            account,
            direction,
            threshold,
            balance,
        } => {
            let message = ServerMessage::Alert {
                channel: ACCOUNT,
                seq: at.seq,
                direction: direction.into(),
                threshold,
                balance,
            };
            outbox.account.push(to_account(account, &message));
        }
        Event::AccountCreated { .. }
        | Event::TickerCreated { .. }
        | Event::TickerStatusChanged { .. }
        | Event::SharesIssued { .. }
        | Event::SharesTransferred { .. }
        | Event::AccountClosed { .. }
        | Event::AlertSet { .. }
        | Event::AlertCleared { .. }
        | Event::AlertRearmed { .. } => {}
    }
}

/// A trade's public `trade` message and its two `fill` messages, taker's first.
fn trade_messages(mirror: &Mirror, at: At, event: &Event, outbox: &mut Outbox) {
    let Event::Trade {
        ticker,
        price,
        quantity,
        maker_order,
        maker_account,
        taker_order,
        taker_account,
        taker_side,
    } = *event
    else {
        unreachable!("event_messages passes only trades here");
    };
    let symbol = mirror.symbol(ticker);
    let key = ChannelKey::Trades(ticker);
    let channel = key.name(|_| symbol);
    let trade = ServerMessage::Trade {
        channel: &channel,
        seq: at.seq,
        time_ms: at.time_ms,
        symbol,
        price,
        quantity,
        taker_side: taker_side.into(),
    };
    outbox.trades.push(Rendered {
        key,
        text: trade.to_text(),
    });
    let sides = [
        (taker_account, taker_order, taker_side, WireRole::Taker),
        (
            maker_account,
            maker_order,
            taker_side.opposite(),
            WireRole::Maker,
        ),
    ];
    for (account, order_id, side, role) in sides {
        let fill = ServerMessage::Fill {
            channel: ACCOUNT,
            seq: at.seq,
            time_ms: at.time_ms,
            order_id,
            symbol,
            side: side.into(),
            price,
            quantity,
            role,
        };
        outbox.account.push(to_account(account, &fill));
    }
}

/// A `transfer` message for `account`: its direction and counterparty (none for a deposit).
fn transfer(
    at: At,
    account: AccountId,
    (direction, counterparty): (WireTransferDirection, Option<AccountId>),
    amount: Credits,
    reason: WireTransferReason,
) -> Rendered {
    let message = ServerMessage::Transfer {
        channel: ACCOUNT,
        seq: at.seq,
        time_ms: at.time_ms,
        direction,
        counterparty,
        amount,
        reason,
    };
    to_account(account, &message)
}

fn to_account(account: AccountId, message: &ServerMessage<'_>) -> Rendered {
    Rendered {
        key: ChannelKey::Account(account),
        text: message.to_text(),
    }
}
