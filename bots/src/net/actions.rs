//! Carrying out a strategy's [`Action`]s over REST, one at a time, and turning the answers
//! into [`Input`]s. A refusal becomes [`Input::Rejected`] at once, with the code of the
//! error body. An order command's answer updates the view's orders at once (so the next
//! call sees them), and its fills and ends, like a started trader
//! ([`Input::TraderStarted`]), wait in the inbox until the WebSocket has delivered the
//! answer's record and with it the balances after it.

use super::codes::{self, static_code};
use super::error::NetError;
use super::runner::Runner;
use super::wire::{OrderResultBody, PlaceOrderBody};
use crate::strategy::{Action, ActionKind, Input};
use exchange_core::AccountId;
use std::time::Duration;

/// The longest a refused action waits for the `Retry-After` the server asked for.
pub const RETRY_AFTER_WAIT_MAX: Duration = Duration::from_secs(2);

/// An action that failed: what it was, its order, and why.
type Failure = (ActionKind, Option<u64>, NetError);

impl Runner {
    /// Carries out one action; returns the inputs it causes. Only a fatal refusal (the
    /// account can no longer act) is an error.
    pub(super) async fn execute(&mut self, action: Action) -> Result<Vec<Input>, NetError> {
        let mut inputs = Vec::new();
        let outcome = match action {
            Action::Place { .. }
            | Action::Cancel { .. }
            | Action::CancelAll
            | Action::Amend { .. } => self.execute_order_action(action, &mut inputs).await,
            Action::TransferToOrchestrator { amount } => self.transfer(amount, &mut inputs).await,
            Action::SetAlert {
                direction,
                threshold,
            } => self.rest.set_alert(direction, threshold).await,
            Action::ClearAlert { direction } => self.rest.clear_alert(direction).await,
            Action::StartTrader { .. } | Action::Liquidate { .. } | Action::LiquidateAll => {
                self.orchestrate(action, &mut inputs).await
            }
            Action::Exit => {
                self.exit_requested = true;
                Ok(())
            }
        };
        if let Err(error) = outcome {
            let (kind, client_id) = what(&action);
            self.refused((kind, client_id, error), &mut inputs).await?;
        }
        Ok(inputs)
    }

    async fn execute_order_action(
        &mut self,
        action: Action,
        inputs: &mut Vec<Input>,
    ) -> Result<(), NetError> {
        let ticker = self.config.ticker.clone();
        let answer: OrderResultBody = match action {
            Action::Place {
                client_id,
                side,
                price,
                time_in_force,
                quantity,
            } => {
                let body =
                    PlaceOrderBody::new(&ticker, side, price, time_in_force, quantity, client_id);
                self.rest.place(&body).await?
            }
            Action::Cancel { client_id } => match self.view.orders.order_id(client_id) {
                Some(id) => self.rest.cancel(id).await?,
                None => self.rest.cancel_by_client_id(client_id).await?,
            },
            Action::Amend {
                client_id,
                price,
                quantity,
            } => {
                let Some(id) = self.view.orders.order_id(client_id) else {
                    inputs.push(Input::Rejected {
                        kind: ActionKind::Amend,
                        client_id: Some(client_id),
                        code: codes::UNKNOWN_ORDER,
                    });
                    return Ok(());
                };
                self.rest.amend(id, price, quantity).await?
            }
            Action::CancelAll => {
                let cancelled = self.rest.cancel_all(&ticker).await?;
                if let Some(seq) = cancelled.seq {
                    let mut answered = Vec::new();
                    self.view.apply_cancelled(&cancelled, &mut answered);
                    self.inbox.answered(seq, answered);
                }
                return Ok(());
            }
            _ => unreachable!("execute passes only order actions here"),
        };
        let mut answered = Vec::new();
        self.view.apply_answer(&answer, &mut answered);
        self.inbox.answered(answer.seq, answered);
        Ok(())
    }

    async fn transfer(&mut self, amount: u64, inputs: &mut Vec<Input>) -> Result<(), NetError> {
        let Some(email) = &self.config.orchestrator_email else {
            inputs.push(Input::Rejected {
                kind: ActionKind::Transfer,
                client_id: None,
                code: codes::NO_ORCHESTRATOR,
            });
            return Ok(());
        };
        self.rest.transfer(email, amount).await
    }

    async fn orchestrate(
        &mut self,
        action: Action,
        inputs: &mut Vec<Input>,
    ) -> Result<(), NetError> {
        if !self.traders.can_start() {
            inputs.push(Input::Rejected {
                kind: ActionKind::Orchestrate,
                client_id: None,
                code: codes::NOT_ORCHESTRATING,
            });
            return Ok(());
        }
        match action {
            Action::StartTrader { credits } => {
                let name = format!("{} trader", self.config.name);
                let name: String = name.chars().take(60).collect();
                let created = self.rest.create_account(credits, &name).await?;
                let account = AccountId(created.account_id);
                self.traders.start(&self.config, account, created.token);
                tracing::info!(bot = %self.config.name, %account, credits, "trader started");
                let started = vec![Input::TraderStarted { account }];
                self.inbox.answered(created.seq, started);
            }
            Action::Liquidate { account } => {
                self.rest.liquidate(account.0).await?;
                self.traders.stop(account);
            }
            Action::LiquidateAll => {
                for account in self.rest.liquidate_all().await?.liquidated {
                    self.traders.stop(AccountId(account));
                }
            }
            _ => unreachable!("execute passes only orchestrator actions here"),
        }
        Ok(())
    }

    /// A failed action: fatal if the account can no longer act, else
    /// [`Input::Rejected`] (after the server's `Retry-After`, within reason).
    async fn refused(&mut self, failure: Failure, inputs: &mut Vec<Input>) -> Result<(), NetError> {
        let (kind, client_id, error) = failure;
        if error.is_fatal() {
            return Err(error);
        }
        let code = match &error {
            NetError::Refused { code, .. } => static_code(code),
            NetError::Http { .. } => codes::NETWORK,
            NetError::BadAnswer { .. } => codes::BAD_ANSWER,
            _ => codes::UNKNOWN,
        };
        tracing::debug!(bot = %self.config.name, %error, "action refused");
        if let NetError::Refused {
            retry_after_s: Some(seconds),
            ..
        } = error
        {
            tokio::time::sleep(Duration::from_secs(seconds).min(RETRY_AFTER_WAIT_MAX)).await;
        }
        inputs.push(Input::Rejected {
            kind,
            client_id,
            code,
        });
        Ok(())
    }
}

/// Which kind of action, and which order, a rejection answers.
fn what(action: &Action) -> (ActionKind, Option<u64>) {
    match *action {
        Action::Place { client_id, .. } => (ActionKind::Place, Some(client_id)),
        Action::Cancel { client_id } => (ActionKind::Cancel, Some(client_id)),
        Action::CancelAll => (ActionKind::Cancel, None),
        Action::Amend { client_id, .. } => (ActionKind::Amend, Some(client_id)),
        Action::TransferToOrchestrator { .. } => (ActionKind::Transfer, None),
        Action::SetAlert { .. } | Action::ClearAlert { .. } => (ActionKind::Alert, None),
        Action::StartTrader { .. }
        | Action::Liquidate { .. }
        | Action::LiquidateAll
        | Action::Exit => (ActionKind::Orchestrate, None),
    }
}
