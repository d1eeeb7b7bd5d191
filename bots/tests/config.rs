//! Strategy configurations: every rule a configuration can break is named, and the bots'
//! command lines end with that reason (exit code 2) instead of a panic.

use bots::strategies::{
    MarketMakerConfig, NoiseConfig, OrchestratorConfig, RandomTraderConfig, TrendConfig,
};
use bots::InvalidConfig;
use std::process::Command;

/// The broken rule's message, or `None` if the configuration is valid.
fn broken(result: Result<(), InvalidConfig>) -> Option<&'static str> {
    result.err().map(|InvalidConfig(rule)| rule)
}

#[test]
fn the_default_configurations_are_valid() {
    assert_eq!(broken(MarketMakerConfig::default().validate()), None);
    assert_eq!(broken(NoiseConfig::default().validate()), None);
    assert_eq!(broken(TrendConfig::default().validate()), None);
    assert_eq!(broken(OrchestratorConfig::default().validate()), None);
    assert_eq!(broken(RandomTraderConfig::default().validate()), None);
}

#[test]
fn a_broken_rule_is_named() {
    let maker = |edit: fn(&mut MarketMakerConfig)| {
        let mut config = MarketMakerConfig::default();
        edit(&mut config);
        broken(config.validate())
    };
    assert_eq!(
        maker(|c| c.spread_floor_ticks = 6),
        Some("the spread must not be below the spread floor")
    );
    assert_eq!(
        maker(|c| c.fallback_ask_ticks = c.fallback_bid_ticks),
        Some("the fallback bid must be below the fallback ask")
    );
    assert_eq!(
        maker(|c| c.skew_step_shares = 0),
        Some("the skew step must be at least 1 share")
    );
    let noise = NoiseConfig {
        funding_failures_max: 0,
        ..NoiseConfig::default()
    };
    assert_eq!(
        broken(noise.validate()),
        Some("the failures allowed for lack of funds must be at least 1")
    );
    let trend = TrendConfig {
        short_window_samples: 20,
        ..TrendConfig::default()
    };
    assert_eq!(
        broken(trend.validate()),
        Some("the short window must be shorter than the long window")
    );
    let orchestrator = OrchestratorConfig {
        stake_credits: 0,
        ..OrchestratorConfig::default()
    };
    assert_eq!(
        broken(orchestrator.validate()),
        Some("the stake must be at least 1 credit")
    );
    let random = RandomTraderConfig {
        arrival_per_mille: 1001,
        ..RandomTraderConfig::default()
    };
    assert_eq!(
        broken(random.validate()),
        Some("the arrival rate must be at most 1,000 per mille")
    );
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
