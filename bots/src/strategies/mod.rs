//! The strategies, one file each.

pub mod market_maker;
pub mod noise;
pub mod orchestrator;
pub mod random_trader;
pub mod trend;
pub mod value;

pub use market_maker::{InventoryTarget, MarketMaker, MarketMakerConfig, Quote};
pub use noise::{NoiseConfig, NoiseTrader};
pub use orchestrator::{LaunchReason, Orchestrator, OrchestratorConfig};
pub use random_trader::{RandomTrader, RandomTraderConfig, SizeWeight};
pub use trend::{TrendConfig, TrendFollower};
pub use value::{ValueConfig, ValueTrader};

#[cfg(test)]
mod testing;
