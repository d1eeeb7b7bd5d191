//! Strategy actions as engine commands. Orders are named by the client order ids the
//! strategies chose; the bot's ticker and its orchestrator are filled in from the runner's
//! knowledge of the bot.

use super::bot::{Bot, BotId};
use crate::strategy::{Action, ActionKind};
use exchange_core::{
    Action as Request, ClientOrderId, Command, Credits, NewOrder, OrderRef, OrderType, Price,
    Quantity, SelfTrade,
};

/// Who asked for a command, to answer a rejection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Origin {
    /// The bot.
    pub(super) bot: BotId,
    /// What kind of action it was.
    pub(super) kind: ActionKind,
    /// The order concerned, if any.
    pub(super) client_id: Option<u64>,
}

/// What the runner does for one action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// Submit the command; answer a rejection to the origin.
    Submit(Command, Origin),
    /// Refuse without asking the engine, with a rejection code.
    Refuse(Origin, &'static str),
    /// Stop the bot.
    Exit,
}

/// The code for a transfer to an orchestrator when the runner knows of none: the engine's
/// own code for a missing account.
const NO_ORCHESTRATOR: &str = "unknown_account";

/// A request, the kind of action it answers and the order it concerns.
type Requested = (Request, ActionKind, Option<u64>);

/// What the runner does for `action` of bot `id`.
pub(super) fn translate(action: &Action, bot: &Bot, id: BotId) -> Step {
    let origin = |kind, client_id| Origin {
        bot: id,
        kind,
        client_id,
    };
    let (request, kind, client_id) = match *action {
        Action::Exit => return Step::Exit,
        Action::TransferToOrchestrator { amount } => match bot.payee {
            Some(to) => {
                let amount = Credits(amount);
                let request = Request::TransferCredits { to, amount };
                (request, ActionKind::Transfer, None)
            }
            None => return Step::Refuse(origin(ActionKind::Transfer, None), NO_ORCHESTRATOR),
        },
        Action::Place { .. } | Action::Cancel { .. } | Action::CancelAll | Action::Amend { .. } => {
            order_request(action, bot)
        }
        Action::SetAlert { .. }
        | Action::ClearAlert { .. }
        | Action::StartTrader { .. }
        | Action::Liquidate { .. }
        | Action::LiquidateAll => account_request(action),
    };
    Step::Submit(Command::by(bot.account, request), origin(kind, client_id))
}

/// The request for an action on the bot's orders.
fn order_request(action: &Action, bot: &Bot) -> Requested {
    let client = |client_id| OrderRef::Client(ClientOrderId(client_id));
    match *action {
        Action::Place {
            client_id,
            side,
            price,
            time_in_force,
            quantity,
        } => {
            let order_type = match price {
                Some(price) => OrderType::Limit {
                    price: Price(price),
                    time_in_force,
                },
                None => OrderType::Market,
            };
            let order = NewOrder {
                ticker: bot.ticker,
                side,
                order_type,
                quantity: Quantity(quantity),
                client_order_id: Some(ClientOrderId(client_id)),
                self_trade: SelfTrade::CancelResting,
            };
            (
                Request::PlaceOrder(order),
                ActionKind::Place,
                Some(client_id),
            )
        }
        Action::Cancel { client_id } => {
            let order = client(client_id);
            (
                Request::CancelOrder { order },
                ActionKind::Cancel,
                Some(client_id),
            )
        }
        Action::CancelAll => {
            let ticker = Some(bot.ticker);
            (
                Request::CancelAllOrders { ticker },
                ActionKind::Cancel,
                None,
            )
        }
        Action::Amend {
            client_id,
            price,
            quantity,
        } => {
            let request = Request::AmendOrder {
                order: client(client_id),
                price: Price(price),
                quantity: Quantity(quantity),
            };
            (request, ActionKind::Amend, Some(client_id))
        }
        _ => unreachable!("not an order action: {action:?}"),
    }
}

/// The request for an alert or orchestration action.
fn account_request(action: &Action) -> Requested {
    match *action {
        Action::SetAlert {
            direction,
            threshold,
        } => {
            let threshold = Credits(threshold);
            let request = Request::SetAlert {
                direction,
                threshold,
            };
            (request, ActionKind::Alert, None)
        }
        Action::ClearAlert { direction } => {
            (Request::ClearAlert { direction }, ActionKind::Alert, None)
        }
        Action::StartTrader { credits } => {
            let initial_credits = Credits(credits);
            let request = Request::CreateOrchestratedAccount { initial_credits };
            (request, ActionKind::Orchestrate, None)
        }
        Action::Liquidate { account } => {
            let request = Request::LiquidateAccount { account };
            (request, ActionKind::Orchestrate, None)
        }
        Action::LiquidateAll => (Request::LiquidateAll, ActionKind::Orchestrate, None),
        _ => unreachable!("not an alert or orchestration action: {action:?}"),
    }
}

/// Every action's name, for the report, in the order of the variants of [`Action`].
pub const ACTION_NAMES: [&str; 11] = [
    "place",
    "cancel",
    "cancel_all",
    "amend",
    "transfer_to_orchestrator",
    "set_alert",
    "clear_alert",
    "start_trader",
    "liquidate",
    "liquidate_all",
    "exit",
];

/// The position of an action's name in [`ACTION_NAMES`].
pub(super) fn action_index(action: &Action) -> usize {
    match action {
        Action::Place { .. } => 0,
        Action::Cancel { .. } => 1,
        Action::CancelAll => 2,
        Action::Amend { .. } => 3,
        Action::TransferToOrchestrator { .. } => 4,
        Action::SetAlert { .. } => 5,
        Action::ClearAlert { .. } => 6,
        Action::StartTrader { .. } => 7,
        Action::Liquidate { .. } => 8,
        Action::LiquidateAll => 9,
        Action::Exit => 10,
    }
}
