//! Counts of what the bots did and what became of it.

use super::translate::{action_index, ACTION_NAMES};
use crate::strategy::Action;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the bots did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Activity {
    /// Actions the strategies asked for.
    pub agent_actions: u64,
    /// Calls of strategies (one per input delivered).
    pub strategy_calls: u64,
    /// Commands submitted to the engine (the setup's not included).
    pub commands: u64,
    /// Of those, refused (by the engine, or by the runner for want of an orchestrator).
    pub rejected: u64,
    /// Refusals by rejection code.
    pub rejections: BTreeMap<&'static str, u64>,
    /// Traders started by orchestrators.
    pub traders_started: u64,
    /// Traders that exited or were liquidated.
    pub traders_exited: u64,
    /// Traders started to replace one that had exited.
    pub traders_relaunched: u64,
    /// Actions by kind, in the order of [`ACTION_NAMES`].
    #[serde(skip)]
    by_kind: [u64; ACTION_NAMES.len()],
}

impl Activity {
    /// Counts one action.
    pub(super) fn action(&mut self, action: &Action) {
        self.agent_actions += 1;
        self.by_kind[action_index(action)] += 1;
    }

    /// Counts one refusal.
    pub(super) fn refusal(&mut self, code: &'static str) {
        self.rejected += 1;
        *self.rejections.entry(code).or_default() += 1;
    }

    /// Actions by kind, by name.
    pub fn actions_by_kind(&self) -> BTreeMap<&'static str, u64> {
        ACTION_NAMES
            .iter()
            .zip(self.by_kind)
            .map(|(name, count)| (*name, count))
            .collect()
    }
}
