//! Routing events back to the bots: fills and finished orders to their owners (by client
//! order id), trades to everyone, transfers and alerts to their accounts' bots, new and
//! closed orchestrated accounts to their orchestrators.

use super::orders::Tracked;
use super::runner::{Delivery, Simulation};
use crate::strategy::{Input, OrderDone, OwnOrder};
use exchange_core::log::{Entry, EventLog, Record};
use exchange_core::{AccountId, Event, OrderId, Side, TransferReason};

impl<L: EventLog> Simulation<L> {
    /// Routes every event of an accepted command's record.
    pub(super) fn route(&mut self, record: &Record) {
        let Entry::Command { events, .. } = &record.entry else {
            unreachable!("outcomes carry command records only")
        };
        for event in events.iter() {
            self.mark_stale(event);
            self.route_event(event);
        }
    }

    /// Marks the portfolios of the accounts an event names for rebuilding (a rebuild that
    /// finds nothing changed costs only time).
    fn mark_stale(&mut self, event: &Event) {
        for account in event.accounts().into_iter().flatten() {
            if let Some(id) = self.bot_of(account) {
                self.bot_mut(id).expect("running").stale = true;
            }
        }
    }

    /// Turns one event into inputs.
    fn route_event(&mut self, event: &Event) {
        match *event {
            Event::AccountCreated {
                account,
                orchestrated_by: Some(orchestrator),
                ..
            } => self.start_trader(account, orchestrator),
            Event::OrderAccepted {
                order,
                account,
                ticker,
                side,
                quantity,
                client_order_id: Some(client_id),
                ..
            } => {
                assert_eq!(ticker, self.ticker, "bots trade the simulation's ticker");
                self.accepted(order, account, side, client_id.0, quantity.0);
            }
            Event::Trade {
                price,
                quantity,
                maker_order,
                taker_order,
                ..
            } => self.traded(maker_order, taker_order, price.0, quantity.0),
            Event::OrderRested {
                order,
                side,
                price,
                quantity,
                ..
            } => self.rested(order, side, price.0, quantity.0),
            Event::OrderCancelled { order, .. } | Event::RemainderCancelled { order, .. } => {
                self.finished(order)
            }
            Event::OrderAmended {
                order,
                price,
                quantity,
                ..
            } => self.amended(order, price.0, quantity.0),
            Event::CreditsTransferred {
                from,
                to,
                amount,
                reason: TransferReason::Payment,
            } => {
                // Only payments, as the network runner: funding and liquidation proceeds
                // are the orchestrator's own money coming and going, not transfers to it.
                let input = Input::TransferReceived {
                    from,
                    amount: amount.0,
                };
                self.deliver(to, input);
            }
            Event::AlertTriggered {
                account,
                direction,
                threshold,
                balance,
            } => {
                let input = Input::Alert {
                    direction,
                    threshold: threshold.0,
                    balance: balance.0,
                };
                self.deliver(account, input);
            }
            Event::AccountClosed { account } => {
                if let Some(id) = self.bot_of(account) {
                    self.stop(id);
                }
            }
            _ => {}
        }
    }

    /// An accepted order of a bot: tracked until it is done.
    fn accepted(
        &mut self,
        order: OrderId,
        account: AccountId,
        side: Side,
        client_id: u64,
        remaining: u64,
    ) {
        if let Some(bot) = self.bot_of(account) {
            let tracked = Tracked {
                bot,
                client_id,
                side,
                remaining,
            };
            self.orders.accepted(order, tracked);
        }
    }

    /// A bot's order came to rest: into its portfolio.
    fn rested(&mut self, order: OrderId, side: Side, price: u64, remaining: u64) {
        let Some(tracked) = self.orders.get(order) else {
            return;
        };
        if let Some(bot) = self.bot_mut(tracked.bot) {
            let own = OwnOrder {
                side,
                price,
                remaining,
            };
            bot.rested(tracked.client_id, own);
        }
    }

    /// A bot's resting order was amended: the tracker and its portfolio follow.
    fn amended(&mut self, order: OrderId, price: u64, remaining: u64) {
        let Some(tracked) = self.orders.amended(order, remaining) else {
            return;
        };
        if let Some(bot) = self.bot_mut(tracked.bot) {
            bot.amended(tracked.client_id, price, remaining);
        }
    }

    /// A trade: fills to both owners, then the trade to everyone.
    fn traded(&mut self, maker: OrderId, taker: OrderId, price: u64, quantity: u64) {
        self.filled(maker, price, quantity);
        self.filled(taker, price, quantity);
        self.tape.trade(price, quantity);
        self.inbox.push_back(Delivery::Trade { price, quantity });
    }

    /// One side of a trade, to its owner: the fill, and the order's end if it is filled.
    fn filled(&mut self, order: OrderId, price: u64, quantity: u64) {
        let Some((tracked, done)) = self.orders.filled(order, quantity) else {
            return;
        };
        let Tracked {
            bot,
            client_id,
            side,
            ..
        } = tracked;
        if let Some(running) = self.bot_mut(bot) {
            running.filled(client_id, quantity);
        }
        let fill = Input::Filled {
            client_id,
            side,
            price,
            quantity,
        };
        self.inbox.push_back(Delivery::To(bot, fill));
        if done {
            let why = OrderDone::Filled;
            self.inbox
                .push_back(Delivery::To(bot, Input::Done { client_id, why }));
        }
    }

    /// An order cancelled, or a remainder dropped: the order's end, to its owner.
    fn finished(&mut self, order: OrderId) {
        if let Some(tracked) = self.orders.closed(order) {
            let client_id = tracked.client_id;
            if let Some(bot) = self.bot_mut(tracked.bot) {
                bot.cancelled(client_id);
            }
            let why = OrderDone::Cancelled;
            let done = Input::Done { client_id, why };
            self.inbox.push_back(Delivery::To(tracked.bot, done));
        }
    }

    /// An input to the bot running on `account`, if any.
    fn deliver(&mut self, account: AccountId, input: Input) {
        if let Some(id) = self.bot_of(account) {
            self.inbox.push_back(Delivery::To(id, input));
        }
    }
}
