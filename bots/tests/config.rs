//! Strategy configurations: every rule a configuration can break is named, and the bots'
//! command lines end with that reason (exit code 2) instead of a panic.

use bots::strategies::{
    MarketMakerConfig, NoiseConfig, OrchestratorConfig, RandomTraderConfig, TrendConfig,
    ValueConfig,
};
use bots::InvalidConfig;
use std::process::Command;

/// The rule that a default configuration changed by `edit` breaks, or `None` if it is valid.
fn broken<C: Default>(
    edit: impl FnOnce(&mut C),
    validate: fn(&C) -> Result<(), InvalidConfig>,
) -> Option<&'static str> {
    let mut config = C::default();
    edit(&mut config);
    validate(&config).err().map(|InvalidConfig(rule)| rule)
}

#[test]
fn the_default_configurations_are_valid() {
    assert_eq!(broken(|_| {}, MarketMakerConfig::validate), None);
    assert_eq!(broken(|_| {}, NoiseConfig::validate), None);
    assert_eq!(broken(|_| {}, TrendConfig::validate), None);
    assert_eq!(broken(|_| {}, OrchestratorConfig::validate), None);
    assert_eq!(broken(|_| {}, RandomTraderConfig::validate), None);
    assert_eq!(broken(|_| {}, ValueConfig::validate), None);
}

#[test]
fn a_broken_rule_is_named() {
    let maker = MarketMakerConfig::validate;
    let cases = [
        (
            broken(|c| c.spread_floor_ticks = 6, maker),
            "the spread must not be below the spread floor",
        ),
        (
            broken(|c| c.fallback_ask_ticks = c.fallback_bid_ticks, maker),
            "the fallback bid must be below the fallback ask",
        ),
        (
            broken(|c| c.skew_step_shares = 0, maker),
            "the skew step must be at least 1 share",
        ),
        (
            broken(|c| c.funding_failures_max = 0, NoiseConfig::validate),
            "the failures allowed for lack of funds must be at least 1",
        ),
        (
            broken(|c| c.short_window_samples = 20, TrendConfig::validate),
            "the short window must be shorter than the long window",
        ),
        (
            broken(|c| c.stake_credits = 0, OrchestratorConfig::validate),
            "the stake must be at least 1 credit",
        ),
        (
            broken(|c| c.arrival_per_mille = 1001, RandomTraderConfig::validate),
            "the arrival rate must be at most 1,000 per mille",
        ),
        (
            broken(|c| c.value = 10, ValueConfig::validate),
            "the value must be above its noise plus its margin",
        ),
        (
            broken(|c| c.position_max_shares = 0, ValueConfig::validate),
            "the position limit must allow at least one order",
        ),
    ];
    for (found, rule) in cases {
        assert_eq!(found, Some(rule));
    }
}

#[test]
fn a_bot_given_a_bad_flag_says_why_and_exits_2() {
    let cases = [
        (
            env!("CARGO_BIN_EXE_market-maker"),
            "--level-quantity",
            "0",
            "market-maker: invalid configuration: the level quantity must be at least 1 share",
        ),
        (
            env!("CARGO_BIN_EXE_noise-trader"),
            "--funding-failures-max",
            "0",
            "noise-trader: invalid configuration: the failures allowed for lack of funds must be at least 1",
        ),
        (
            env!("CARGO_BIN_EXE_trend-follower"),
            "--short-window",
            "40",
            "trend-follower: invalid configuration: the short window must be shorter than the long window",
        ),
        (
            env!("CARGO_BIN_EXE_orchestrator"),
            "--stake",
            "0",
            "orchestrator: invalid configuration: the stake must be at least 1 credit",
        ),
        (
            env!("CARGO_BIN_EXE_value-trader"),
            "--value",
            "10",
            "value-trader: invalid configuration: the value must be above its noise plus its margin",
        ),
    ];
    for (program, flag, value, message) in cases {
        // The configuration is checked before the bot connects: nothing listens at this
        // address, and the bot never gets as far as trying it.
        let output = Command::new(program)
            .args([
                "--url",
                "http://127.0.0.1:9",
                "--token",
                "unused",
                flag,
                value,
            ])
            .env("RUST_LOG", "off")
            .output()
            .expect("the bot runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{program}: {stderr}");
        assert_eq!(stderr.trim(), message, "{program}");
    }
}
