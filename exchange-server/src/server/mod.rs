//! `exchange serve`: the running exchange.
//!
//! [`start`] opens the data directory (the event log in `DIR/log`, the auth store in
//! `DIR/auth`), applies the bootstrap file if the log is empty, rebuilds the history from
//! the log, starts the sequencer and the publisher, and serves HTTP and WebSocket on the
//! listening address, within [`connections::ConnectionLimits`] ([`listener`]); with [`ServeConfig::kafka`] it also starts the Kafka exporter.
//! [`RunningServer::stop`] shuts it down in order: no new connections, then the sequencer
//! drains and stops, then the exporter publishes what is durable and stops.

pub mod app;
pub mod bootstrap;
pub mod connections;
pub mod listener;
pub mod metrics;
pub mod sequencer;

use crate::auth::{AuthError, AuthStore};
use crate::history::History;
use crate::http::rate_limit::{RateLimitConfig, RateLimits};
use crate::hub::{Hub, HubConfig};
use crate::kafka::{ExportSource, Exporter, KafkaConfig, Symbols};
use app::{now_ms, App, Policy};
use bootstrap::{Bootstrap, BootstrapError};
use connections::{ConnectionLimits, Connections};
use exchange_core::log::{EventLog, LogError, SledLog};
use exchange_core::{Journal, JournalConfig, JournalError};
use metrics::Metrics;
use sequencer::Sequencer;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Requests that may wait for the sequencer before clients get 503 `overloaded`.
pub const QUEUE_MAX_DEFAULT: usize = 16_384;
/// How often expired sessions and idle rate-limit keys are purged.
pub const HOUSEKEEPING_PERIOD: Duration = Duration::from_secs(60);

/// Which bootstrap to apply to an empty log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BootstrapSource {
    /// The demo shipped with the server ([`bootstrap::DEMO`]).
    Demo,
    /// A file.
    File(PathBuf),
    /// None: start with an empty exchange.
    Empty,
}

/// Everything `exchange serve` is configured with.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The data directory: `log/` and `auth/` inside.
    pub data_dir: PathBuf,
    /// Where to listen.
    pub listen: SocketAddr,
    /// What to apply to an empty log.
    pub bootstrap: BootstrapSource,
    /// Cookie, CSRF, session and signup policies.
    pub policy: Policy,
    /// Rate limits.
    pub rate_limits: RateLimitConfig,
    /// The sequencer's queue length.
    pub queue_max: usize,
    /// Checkpoints and snapshots.
    pub journal: JournalConfig,
    /// The hub's limits.
    pub hub: HubConfig,
    /// How many connections the server holds open and how long clients may take to send.
    pub connections: ConnectionLimits,
    /// Where to export the log, if anywhere (off by default: no broker needed).
    pub kafka: Option<KafkaConfig>,
}

impl ServeConfig {
    /// A configuration with the defaults, on `data_dir` and `listen`.
    pub fn new(data_dir: PathBuf, listen: SocketAddr) -> Self {
        Self {
            data_dir,
            listen,
            bootstrap: BootstrapSource::Demo,
            policy: Policy {
                secure: false,
                allowed_origins: Vec::new(),
                session_ttl_ms: 24 * 60 * 60 * 1000,
                signup_credits: 1_000,
                ticket_ttl_ms: 30_000,
            },
            rate_limits: RateLimitConfig::default(),
            queue_max: QUEUE_MAX_DEFAULT,
            journal: JournalConfig::default(),
            hub: HubConfig::default(),
            connections: ConnectionLimits::default(),
            kafka: None,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data directory could not be created.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The event log could not be opened or replayed.
    #[error("event log in {path}: {source}")]
    Log {
        /// The log directory.
        path: PathBuf,
        /// Why.
        source: JournalError,
    },
    /// The auth store could not be opened.
    #[error("auth store in {path}: {source}")]
    Auth {
        /// The auth directory.
        path: PathBuf,
        /// Why.
        source: AuthError,
    },
    /// The bootstrap file could not be read or applied.
    #[error("{0}")]
    Bootstrap(#[from] BootstrapError),
    /// The bootstrap file could not be read.
    #[error("bootstrap file {path}: {source}")]
    BootstrapFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The listening address could not be bound.
    #[error("listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A thread could not be started.
    #[error("starting the sequencer: {0}")]
    Thread(std::io::Error),
}

/// A started server.
pub struct RunningServer {
    /// The address it listens on (with the real port if 0 was asked for).
    pub addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<()>,
    housekeeping: JoinHandle<()>,
    sequencer: Sequencer,
    exporter: Option<Exporter>,
}

impl RunningServer {
    /// Waits until the server stops by itself (it does not, unless its task fails).
    pub async fn wait(&mut self) {
        let _ = (&mut self.server).await;
    }

    /// Stops accepting, lets in-flight requests finish, then stops the sequencer once
    /// every handle to it is gone.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.server.await;
        self.housekeeping.abort();
        let _ = self.housekeeping.await;
        let sequencer = self.sequencer;
        let _ = tokio::task::spawn_blocking(move || sequencer.join()).await;
        if let Some(exporter) = self.exporter {
            exporter.stop().await;
        }
    }
}

/// Creates the data directory `path` if it is missing.
pub fn create_data_dir(path: &Path) -> Result<(), ServeError> {
    std::fs::create_dir_all(path).map_err(|source| ServeError::DataDir {
        path: path.to_owned(),
        source,
    })
}

/// The log directory inside a data directory.
pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("log")
}

/// The auth store's directory inside a data directory.
pub fn auth_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("auth")
}

/// Opens everything and starts serving.
pub async fn start(config: ServeConfig) -> Result<RunningServer, ServeError> {
    let opening = config.clone();
    let opened = tokio::task::spawn_blocking(move || open(&opening))
        .await
        .map_err(|error| ServeError::Thread(std::io::Error::other(error.to_string())))??;
    let (journal, auth, history) = opened;
    let metrics = Arc::new(Metrics::new());
    let hub = Hub::new(journal.state(), journal.last_seq(), config.hub);
    let reader = journal.log().reader();
    let tickers = journal.state().tickers().into_iter();
    let symbols = Symbols::new(tickers.map(|ticker| (ticker.id, ticker.symbol)));
    let sequencer = Sequencer::start(
        journal,
        history,
        hub.clone(),
        Arc::clone(&metrics),
        config.queue_max,
    )
    .map_err(ServeError::Thread)?;
    let exporter = config.kafka.clone().map(|kafka| {
        let source = ExportSource {
            reader,
            durable: sequencer.durable.clone(),
            symbols,
        };
        Exporter::start(kafka, source, Arc::clone(&metrics))
    });
    let app = Arc::new(App {
        sequencer: sequencer.handle.clone(),
        auth,
        hub,
        metrics,
        rate_limits: RateLimits::new(config.rate_limits),
        policy: config.policy.clone(),
        tickers: RwLock::default(),
        signups_pending: Mutex::default(),
        connections: Connections::new(config.connections),
    });
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Listen {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: config.listen,
        source,
    })?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let filter = crate::http::filter(Arc::clone(&app));
    let server = tokio::spawn(listener::serve(
        listener,
        filter,
        Arc::clone(&app.connections),
        Arc::clone(&app.metrics),
        async {
            let _ = stopped.await;
        },
    ));
    let housekeeping = tokio::spawn(housekeeping(Arc::clone(&app)));
    drop(app);
    tracing::info!(%addr, "serving");
    Ok(RunningServer {
        addr,
        shutdown,
        server,
        housekeeping,
        sequencer,
        exporter,
    })
}

/// Opens the journal and the auth store, bootstraps an empty log, and rebuilds the history.
fn open(config: &ServeConfig) -> Result<(Journal<SledLog>, AuthStore, History), ServeError> {
    let data = &config.data_dir;
    create_data_dir(data)?;
    let log_path = log_dir(data);
    let log_error = |source: JournalError| ServeError::Log {
        path: log_path.clone(),
        source,
    };
    let (mut journal, recovery) =
        Journal::open_dir(&log_path, config.journal).map_err(log_error)?;
    for (seq, error) in &recovery.refused_snapshots {
        tracing::warn!(seq, %error, "snapshot refused");
    }
    tracing::info!(
        snapshot = ?recovery.snapshot,
        replayed = recovery.replayed,
        last_seq = journal.last_seq(),
        "event log opened"
    );
    let auth_path = auth_dir(data);
    let auth = AuthStore::open(&auth_path).map_err(|source| ServeError::Auth {
        path: auth_path,
        source,
    })?;
    if let Some(bootstrap) = load_bootstrap(&config.bootstrap)? {
        let timestamp_ns = now_ms().saturating_mul(1_000_000);
        if bootstrap.apply(&mut journal, &auth, timestamp_ns, now_ms())? {
            tracing::info!(
                records = journal.last_seq(),
                "bootstrap applied to the empty log"
            );
        }
    }
    let history = rebuild_history(journal.log()).map_err(|e| log_error(e.into()))?;
    Ok((journal, auth, history))
}

/// The bootstrap to apply, if any.
fn load_bootstrap(source: &BootstrapSource) -> Result<Option<Bootstrap>, ServeError> {
    let text = match source {
        BootstrapSource::Empty => return Ok(None),
        BootstrapSource::Demo => bootstrap::DEMO.to_owned(),
        BootstrapSource::File(path) => {
            std::fs::read_to_string(path).map_err(|source| ServeError::BootstrapFile {
                path: path.clone(),
                source,
            })?
        }
    };
    Ok(Some(Bootstrap::parse(&text)?))
}

/// The history of the whole log.
fn rebuild_history<L: EventLog>(log: &L) -> Result<History, LogError> {
    let mut history = History::new();
    for record in log.read_from(1) {
        history.apply(&record?);
    }
    tracing::info!(records = history.last_seq(), "history rebuilt");
    Ok(history)
}

/// Purges expired sessions and idle rate-limit keys, forever.
async fn housekeeping(app: Arc<App>) {
    let mut every = tokio::time::interval(HOUSEKEEPING_PERIOD);
    loop {
        every.tick().await;
        app.rate_limits.retain_recent();
        let auth = app.auth.clone();
        let purged =
            tokio::task::spawn_blocking(move || auth.purge_expired_sessions(now_ms())).await;
        match purged {
            Ok(Ok(0)) => {}
            Ok(Ok(count)) => tracing::info!(count, "expired sessions purged"),
            Ok(Err(error)) => tracing::warn!(%error, "purging expired sessions failed"),
            Err(error) => tracing::warn!(%error, "the purge task stopped"),
        }
    }
}
