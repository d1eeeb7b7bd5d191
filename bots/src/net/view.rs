//! [`BotView`]: what the runner knows of the market and of the bot's account, kept from
//! REST reads, command answers and WebSocket messages, and the [`Input`]s each change
//! means for the strategy. No I/O: the runner fetches, this applies.

use super::cursor::Cursor;
use super::orders::{Change, OwnOrders};
use super::wire::{
    AccountBody, CancelledBody, FillBody, OrderBody, OrderEvent, OrderResultBody, PositionBody,
    QuoteBody, ServerMessage, TransferBody, TransferDirection, TransferReason, WireLevel,
};
use crate::strategy::{Input, Level, MarketView, Portfolio};
use exchange_core::AccountId;

/// A fresh read of the bot's state over REST, all at or after record `seq`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The quote, read first: its seq is the read's.
    pub quote: QuoteBody,
    /// The account.
    pub account: AccountBody,
    /// Its open orders on the ticker.
    pub open_orders: Vec<OrderBody>,
    /// Orders the bot thought open that no longer are, read one by one.
    pub ended_orders: Vec<OrderBody>,
    /// Its latest fills (newest first), to report those the bot missed.
    pub fills: Vec<FillBody>,
    /// Its latest transfers (newest first), to report those the bot missed.
    pub transfers: Vec<TransferBody>,
}

/// The bot's picture of its ticker and its account.
#[derive(Clone, Debug)]
pub struct BotView {
    /// The ticker it trades.
    pub ticker: String,
    /// The top of the ticker's book.
    pub market: MarketView,
    /// Its balances and resting orders.
    pub portfolio: Portfolio,
    /// Its orders, by exchange id.
    pub orders: OwnOrders,
    /// Its place in the stream of records.
    pub cursor: Cursor,
    /// Whether the account stream's transfers are reported (false when they come from
    /// another source: Kafka).
    pub transfers_from_stream: bool,
}

impl BotView {
    /// An empty view of `ticker`; client order ids are handed out after `client_id_base`.
    pub fn new(ticker: &str, client_id_base: u64) -> Self {
        Self {
            ticker: ticker.to_owned(),
            market: MarketView::default(),
            portfolio: Portfolio::default(),
            orders: OwnOrders::new(client_id_base),
            cursor: Cursor::default(),
            transfers_from_stream: true,
        }
    }

    /// Applies a fresh read. After the first one, what happened since the last record
    /// handled is reported: fills, transfers in, orders that ended. Alerts that fired in
    /// between cannot be read back, so they are not.
    pub fn apply_snapshot(&mut self, snapshot: &Snapshot, inputs: &mut Vec<Input>) {
        let seq = snapshot.quote.seq;
        let resuming = self.cursor.last();
        let catching_up = self.portfolio.account.is_some();
        if catching_up {
            let missed = |s: u64| s > resuming && s <= seq;
            for fill in snapshot.fills.iter().rev().filter(|f| missed(f.seq)) {
                self.on_fill(fill, inputs);
            }
            for transfer in snapshot.transfers.iter().rev().filter(|t| missed(t.seq)) {
                self.on_transfer(transfer, inputs);
            }
        }
        for order in snapshot.open_orders.iter().chain(&snapshot.ended_orders) {
            if order.symbol == self.ticker {
                self.orders.refreshed(order, &mut self.portfolio, inputs);
            }
        }
        self.set_balances(
            snapshot.account.credits_available,
            snapshot.account.credits_held,
            &snapshot.account.positions,
        );
        self.portfolio.account = Some(AccountId(snapshot.account.account_id));
        let quote = &snapshot.quote;
        self.set_quote(quote.bid, quote.ask, quote.last_price, inputs);
        self.cursor.synced(seq);
        self.orders.forget_through(self.cursor.complete_through());
    }

    /// Applies one WebSocket message, if it is new, reporting what it means; returns
    /// whether it was new.
    pub fn apply_message(&mut self, message: &ServerMessage, inputs: &mut Vec<Input>) -> bool {
        let Some(seq) = message.record_seq() else {
            return false;
        };
        if !self.cursor.admit(seq) {
            return false;
        }
        match message {
            ServerMessage::Quote {
                bid,
                ask,
                last_price,
                ..
            } => self.set_quote(*bid, *ask, *last_price, inputs),
            ServerMessage::Trade {
                price, quantity, ..
            } => {
                self.market.last_price = Some(*price);
                inputs.push(Input::Trade {
                    price: *price,
                    quantity: *quantity,
                });
            }
            ServerMessage::Order { event, .. } => self.on_order_event(seq, event, inputs),
            ServerMessage::Fill(fill) => self.on_fill(fill, inputs),
            ServerMessage::Balance {
                credits_available,
                credits_held,
                positions,
                ..
            } => self.set_balances(*credits_available, *credits_held, positions),
            ServerMessage::Transfer(transfer) => self.on_transfer(transfer, inputs),
            ServerMessage::Alert {
                direction,
                threshold,
                balance,
                ..
            } => inputs.push(Input::Alert {
                direction: (*direction).into(),
                threshold: *threshold,
                balance: *balance,
            }),
            ServerMessage::Subscribed { .. }
            | ServerMessage::Resync { .. }
            | ServerMessage::Error { .. }
            | ServerMessage::Other => {}
        }
        self.orders.forget_through(self.cursor.complete_through());
        true
    }

    /// Applies the answer to an order command (place, amend, cancel).
    pub fn apply_answer(&mut self, answer: &OrderResultBody, inputs: &mut Vec<Input>) {
        let Some(order) = &answer.order else {
            return;
        };
        if order.symbol != self.ticker {
            return;
        }
        let fills: Vec<(u64, u64)> = answer
            .fills
            .iter()
            .filter(|fill| fill.order_id == order.id && fill.seq == answer.seq)
            .map(|fill| (fill.price, fill.quantity))
            .collect();
        self.orders
            .answered(answer.seq, order, &fills, &mut self.portfolio, inputs);
    }

    /// Applies the answer to a cancel-all.
    pub fn apply_cancelled(&mut self, answer: &CancelledBody, inputs: &mut Vec<Input>) {
        let Some(seq) = answer.seq else {
            return;
        };
        for order in answer.cancelled.iter().filter(|o| o.symbol == self.ticker) {
            self.orders
                .answered(seq, order, &[], &mut self.portfolio, inputs);
        }
    }

    fn on_order_event(&mut self, seq: u64, event: &OrderEvent, inputs: &mut Vec<Input>) {
        let (order, change) = match *event {
            OrderEvent::OrderAccepted {
                order,
                ref symbol,
                side,
                price,
                quantity,
                client_order_id,
            } => {
                if *symbol == self.ticker {
                    let side = side.into();
                    self.orders
                        .accepted(seq, order, client_order_id, side, price, quantity);
                }
                return;
            }
            OrderEvent::OrderRested { order, quantity } => (order, Change::Rested { quantity }),
            OrderEvent::OrderCancelled { order } | OrderEvent::RemainderCancelled { order } => {
                (order, Change::Cancelled)
            }
            OrderEvent::OrderAmended {
                order,
                price,
                quantity,
            } => (order, Change::Amended { price, quantity }),
            OrderEvent::Other => return,
        };
        self.orders
            .message(seq, order, change, &mut self.portfolio, inputs);
    }

    fn on_fill(&mut self, fill: &FillBody, inputs: &mut Vec<Input>) {
        if fill.symbol != self.ticker {
            return;
        }
        let change = Change::Traded {
            price: fill.price,
            quantity: fill.quantity,
        };
        self.orders
            .message(fill.seq, fill.order_id, change, &mut self.portfolio, inputs);
    }

    /// Only payments from another account count as received transfers: an orchestrator's
    /// own funding and liquidation flows, and deposits, do not.
    fn on_transfer(&mut self, transfer: &TransferBody, inputs: &mut Vec<Input>) {
        let payment_in = self.transfers_from_stream
            && transfer.direction == TransferDirection::In
            && transfer.reason == TransferReason::Payment;
        if let (true, Some(from)) = (payment_in, transfer.counterparty) {
            inputs.push(Input::TransferReceived {
                from: AccountId(from),
                amount: transfer.amount,
            });
        }
    }

    fn set_balances(&mut self, available: u64, held: u64, positions: &[PositionBody]) {
        let position = positions.iter().find(|p| p.symbol == self.ticker);
        let portfolio = &mut self.portfolio;
        portfolio.credits_available = available;
        portfolio.credits_held = held;
        portfolio.shares_available = position.map_or(0, |p| p.available);
        portfolio.shares_held = position.map_or(0, |p| p.held);
    }

    /// Sets the top of the book; reports [`Input::Quote`] if the bid or ask changed.
    fn set_quote(
        &mut self,
        bid: Option<WireLevel>,
        ask: Option<WireLevel>,
        last_price: Option<u64>,
        inputs: &mut Vec<Input>,
    ) {
        let (bid, ask): (Option<Level>, Option<Level>) = (bid.map(Into::into), ask.map(Into::into));
        let changed = bid != self.market.bid || ask != self.market.ask;
        self.market.bid = bid;
        self.market.ask = ask;
        if last_price.is_some() {
            self.market.last_price = last_price;
        }
        if changed {
            inputs.push(Input::Quote);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(value: serde_json::Value) -> ServerMessage {
        serde_json::from_value(value).expect("a server message")
    }

    fn snapshot(seq: u64) -> Snapshot {
        Snapshot {
            quote: QuoteBody {
                seq,
                bid: None,
                ask: Some(WireLevel {
                    price: 35,
                    quantity: 3,
                }),
                last_price: None,
            },
            account: AccountBody {
                account_id: 4,
                status: "active".into(),
                credits_available: 500,
                credits_held: 0,
                positions: vec![PositionBody {
                    symbol: "MNAD".into(),
                    available: 12,
                    held: 0,
                }],
            },
            open_orders: Vec::new(),
            ended_orders: Vec::new(),
            fills: Vec::new(),
            transfers: Vec::new(),
        }
    }

    #[test]
    fn messages_keep_the_view_and_report_inputs() {
        let mut view = BotView::new("MNAD", 0);
        let mut inputs = Vec::new();
        view.apply_snapshot(&snapshot(5), &mut inputs);
        assert_eq!(inputs, [Input::Quote]);
        assert_eq!(view.portfolio.shares_available, 12);
        inputs.clear();
        let stale = json!({"type":"quote","channel":"quotes:MNAD","seq":5,"bid":null,"ask":null,"last_price":null});
        view.apply_message(&message(stale), &mut inputs);
        assert!(inputs.is_empty(), "a record the read reflects is dropped");
        let transfer = json!({"type":"transfer","channel":"account","seq":6,"time_ms":1,"direction":"in","counterparty":2,"amount":150,"reason":"payment"});
        view.apply_message(&message(transfer), &mut inputs);
        let funding = json!({"type":"transfer","channel":"account","seq":7,"time_ms":1,"direction":"in","counterparty":2,"amount":150,"reason":"funding"});
        view.apply_message(&message(funding), &mut inputs);
        assert_eq!(
            inputs,
            [Input::TransferReceived {
                from: AccountId(2),
                amount: 150
            }]
        );
        let balance = json!({"type":"balance","channel":"account","seq":7,"credits_available":800,"credits_held":0,"positions":[]});
        view.apply_message(&message(balance), &mut inputs);
        assert_eq!(view.portfolio.credits_available, 800);
        assert_eq!(view.portfolio.shares_available, 0);
    }

    #[test]
    fn a_resync_reports_the_fills_and_transfers_missed() {
        let mut view = BotView::new("MNAD", 0);
        let mut inputs = Vec::new();
        view.apply_snapshot(&snapshot(5), &mut inputs);
        let placed = json!({"type":"order","channel":"account","seq":6,"event":{"type":"order_accepted","order":3,"symbol":"MNAD","side":"sell","price":35,"quantity":2,"client_order_id":1}});
        view.apply_message(&message(placed), &mut inputs);
        let rested = json!({"type":"order","channel":"account","seq":6,"event":{"type":"order_rested","order":3,"quantity":2}});
        view.apply_message(&message(rested), &mut inputs);
        assert_eq!(view.portfolio.orders[&1].remaining, 2);
        inputs.clear();
        let mut later = snapshot(9);
        later.ended_orders.push(OrderBody {
            id: 3,
            symbol: "MNAD".into(),
            side: crate::net::wire::WireSide::Sell,
            price: Some(35),
            remaining: 0,
            status: crate::net::wire::OrderStatus::Filled,
            client_order_id: Some(1),
            updated_seq: 8,
        });
        let fill = |seq| FillBody {
            seq,
            order_id: 3,
            symbol: "MNAD".into(),
            side: crate::net::wire::WireSide::Sell,
            price: 35,
            quantity: 1,
        };
        later.fills = vec![fill(8), fill(7), fill(6)];
        view.apply_snapshot(&later, &mut inputs);
        let filled = inputs
            .iter()
            .filter(|i| matches!(i, Input::Filled { .. }))
            .count();
        assert_eq!(filled, 2, "the fills of 7 and 8: {inputs:?}");
        assert!(inputs.contains(&Input::Done {
            client_id: 1,
            why: crate::OrderDone::Filled
        }));
        assert!(view.portfolio.orders.is_empty());
    }
}
