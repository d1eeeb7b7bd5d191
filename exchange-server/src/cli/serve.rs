//! `exchange serve`: run the exchange until Ctrl-C or SIGTERM.

use super::CliError;
use crate::http::rate_limit::RateLimitConfig;
use crate::kafka::{Brokers, KafkaConfig, TOPIC_DEFAULT};
use crate::server::connections::ConnectionLimits;
use crate::server::{self, BootstrapSource, ServeConfig};
use clap::Args;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `exchange serve`. Every option can also be set by its environment variable.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The data directory: the event log in `DIR/log`, users and sessions in `DIR/auth`.
    #[arg(
        long,
        value_name = "DIR",
        env = "EXCHANGE_DATA_DIR",
        default_value = "data"
    )]
    pub data: PathBuf,
    /// Where to listen.
    #[arg(
        long,
        value_name = "ADDR",
        env = "EXCHANGE_LISTEN",
        default_value = "127.0.0.1:7070"
    )]
    pub listen: SocketAddr,
    /// A bootstrap TOML applied when the log is empty (default: the built-in demo market).
    #[arg(
        long,
        value_name = "FILE",
        env = "EXCHANGE_BOOTSTRAP",
        conflicts_with = "no_bootstrap"
    )]
    pub bootstrap: Option<PathBuf>,
    /// Start an empty exchange: apply no bootstrap.
    #[arg(long)]
    pub no_bootstrap: bool,
    /// Serve behind HTTPS: cookies get `Secure` and the own origin is `https://HOST`.
    #[arg(long, env = "EXCHANGE_SECURE")]
    pub secure: bool,
    /// Another origin allowed to send cookie-authenticated changes (repeatable).
    #[arg(
        long = "allowed-origin",
        value_name = "ORIGIN",
        env = "EXCHANGE_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// How long a session lasts (e.g. `24h`, `30m`).
    #[arg(long, value_name = "DURATION", env = "EXCHANGE_SESSION_TTL", default_value = "24h", value_parser = humantime::parse_duration)]
    pub session_ttl: Duration,
    /// Credits each new user receives at signup.
    #[arg(
        long,
        value_name = "CREDITS",
        env = "EXCHANGE_SIGNUP_CREDITS",
        default_value_t = 1_000
    )]
    pub signup_credits: u64,
    /// Signup and login attempts per minute, per client IP and per email.
    #[arg(long, value_name = "N", env = "EXCHANGE_AUTH_RATE", default_value_t = RateLimitConfig::default().auth_per_minute)]
    pub auth_rate: NonZeroU32,
    /// Order commands per second per account.
    #[arg(long, value_name = "N", env = "EXCHANGE_ORDER_RATE", default_value_t = RateLimitConfig::default().orders_per_second)]
    pub order_rate: NonZeroU32,
    /// Requests that may wait for the sequencer before clients get 503.
    #[arg(long, value_name = "N", env = "EXCHANGE_QUEUE", default_value_t = server::QUEUE_MAX_DEFAULT)]
    pub queue: usize,
    /// Connections the server holds open at once (HTTP and WebSocket), from all clients.
    #[arg(long, value_name = "N", env = "EXCHANGE_CONNECTIONS_MAX", default_value_t = ConnectionLimits::default().open_max as u64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub connections_max: u64,
    /// Connections open at once from one IP address (behind a reverse proxy, all of them).
    #[arg(long, value_name = "N", env = "EXCHANGE_CONNECTIONS_PER_CLIENT", default_value_t = ConnectionLimits::default().per_client_max as u64, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub connections_per_client: u64,
    /// How long a client may take to send a request's headers; an idle kept-alive
    /// connection is closed after this long too.
    #[arg(long, value_name = "DURATION", env = "EXCHANGE_HEADER_TIMEOUT", default_value = "15s", value_parser = timeout)]
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body.
    #[arg(long, value_name = "DURATION", env = "EXCHANGE_BODY_TIMEOUT", default_value = "15s", value_parser = timeout)]
    pub body_timeout: Duration,
    /// Publish every durable log record to Kafka (docs/kafka.md): the bootstrap brokers.
    /// Without it no broker is needed.
    #[arg(long, value_name = "HOST:PORT[,...]", env = "EXCHANGE_KAFKA_BROKERS")]
    pub kafka_brokers: Option<Brokers>,
    /// The Kafka topic the records go to (created with one partition if missing).
    #[arg(long, value_name = "TOPIC", env = "EXCHANGE_KAFKA_TOPIC", default_value = TOPIC_DEFAULT)]
    pub kafka_topic: String,
    /// The replication factor of the Kafka topic, when the exporter creates it.
    #[arg(long, value_name = "N", env = "EXCHANGE_KAFKA_REPLICATION", default_value_t = 1, value_parser = clap::value_parser!(i16).range(1..))]
    pub kafka_replication: i16,
    /// The most records the exporter puts in one Kafka produce request.
    #[arg(long, value_name = "N", env = "EXCHANGE_KAFKA_BATCH_RECORDS", default_value_t = 1_000, value_parser = clap::value_parser!(u16).range(1..=10_000))]
    pub kafka_batch_records: u16,
}

impl ServeArgs {
    /// The server configuration these arguments describe.
    pub fn config(&self) -> ServeConfig {
        let mut config = ServeConfig::new(self.data.clone(), self.listen);
        config.bootstrap = match (&self.bootstrap, self.no_bootstrap) {
            (_, true) => BootstrapSource::Empty,
            (Some(path), false) => BootstrapSource::File(path.clone()),
            (None, false) => BootstrapSource::Demo,
        };
        config.policy.secure = self.secure;
        config.policy.allowed_origins = self.allowed_origins.clone();
        config.policy.session_ttl_ms =
            u64::try_from(self.session_ttl.as_millis()).unwrap_or(u64::MAX);
        config.policy.signup_credits = self.signup_credits;
        config.rate_limits = RateLimitConfig {
            auth_per_minute: self.auth_rate,
            orders_per_second: self.order_rate,
        };
        config.queue_max = self.queue.max(1);
        config.connections = ConnectionLimits {
            open_max: usize::try_from(self.connections_max).unwrap_or(usize::MAX),
            per_client_max: usize::try_from(self.connections_per_client).unwrap_or(usize::MAX),
            header_timeout: self.header_timeout,
            body_timeout: self.body_timeout,
        };
        config.kafka = self.kafka_brokers.as_ref().map(|brokers| KafkaConfig {
            topic: self.kafka_topic.clone(),
            replication_factor: self.kafka_replication,
            batch_records_max: usize::from(self.kafka_batch_records),
            ..KafkaConfig::new(brokers.0.clone())
        });
        config
    }
}

/// A client timeout: from 1 ms to 1 hour.
fn timeout(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|error| error.to_string())?;
    if duration < Duration::from_millis(1) || duration > Duration::from_secs(3_600) {
        return Err(format!("{text} is not between 1ms and 1h"));
    }
    Ok(duration)
}

/// Runs the server until Ctrl-C or SIGTERM, then stops it in order.
pub fn run(args: &ServeArgs) -> Result<(), CliError> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let running = server::start(args.config()).await?;
        eprintln!(
            "exchange: serving on http://{} (data in {})",
            running.addr,
            args.data.display()
        );
        shutdown_signal().await;
        tracing::info!("stopping");
        running.stop().await;
        Ok(())
    })
}

/// Structured logs on stderr; `RUST_LOG` chooses what (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (in tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
