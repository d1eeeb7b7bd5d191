//! A local Kafka-protocol broker: tansu (crates.io, `scripts/tansu.sh install`), run as a
//! child process on 127.0.0.1 for the Kafka tests, the benchmark and local use.
//!
//! The binary is `$TANSU` if set, else `tansu` on the `PATH`, else `~/.cargo/bin/tansu`.
//! Its storage is in memory or in a SQLite file (which survives a restart of the broker).

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::time::Instant;

/// How long a started broker may take to answer before starting counts as failed.
pub const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the broker keeps its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Storage {
    /// In memory: gone when the broker stops.
    Memory,
    /// A SQLite database in this directory (created if missing), kept across restarts.
    Sqlite(PathBuf),
}

/// Why the broker could not be started.
#[derive(Debug, thiserror::Error)]
pub enum TansuError {
    /// No tansu binary was found.
    #[error(
        "tansu not found (looked at $TANSU, the PATH and ~/.cargo/bin): run \
         `scripts/tansu.sh install`, or set TANSU to the binary"
    )]
    NotFound,
    /// The process could not be started or a port could not be found.
    #[error("starting tansu: {0}")]
    Io(#[from] std::io::Error),
    /// The broker did not answer in time.
    #[error("tansu on port {port} did not answer within {READY_TIMEOUT:?} (its log: {log})")]
    NotReady {
        /// Its port.
        port: u16,
        /// Its log file.
        log: String,
    },
}

/// A running local broker. Dropping it kills the broker.
pub struct Tansu {
    binary: PathBuf,
    port: u16,
    storage: Storage,
    log: PathBuf,
    child: Option<Child>,
}

impl Tansu {
    /// The tansu binary: `$TANSU`, else `tansu` on the `PATH`, else `~/.cargo/bin/tansu`.
    pub fn binary() -> Result<PathBuf, TansuError> {
        if let Some(path) = std::env::var_os("TANSU").filter(|path| !path.is_empty()) {
            let path = PathBuf::from(path);
            return if path.is_file() {
                Ok(path)
            } else {
                Err(TansuError::NotFound)
            };
        }
        let on_path = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
            .map(|dir| dir.join("tansu"));
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
        let in_cargo = cargo_home.map(|home| home.join("bin").join("tansu"));
        on_path
            .chain(in_cargo)
            .find(|path| path.is_file())
            .ok_or(TansuError::NotFound)
    }

    /// Starts a broker on a free port of 127.0.0.1 and waits until it answers. Its log
    /// goes to `log`.
    pub async fn start(storage: Storage, log: &Path) -> Result<Self, TansuError> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        let mut tansu = Self {
            binary: Self::binary()?,
            port,
            storage,
            log: log.to_owned(),
            child: None,
        };
        tansu.restart().await?;
        Ok(tansu)
    }

    /// `127.0.0.1:PORT`, for `--kafka-brokers`.
    pub fn broker(&self) -> String {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)).to_string()
    }

    /// Kills the broker at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // It may have died by itself; either way it is gone after `wait`.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the broker again on the same port and storage (killing it first if it runs),
    /// and waits until it answers.
    pub async fn restart(&mut self) -> Result<(), TansuError> {
        self.kill();
        let url = format!("tcp://{}", self.broker());
        let (storage, dir) = match &self.storage {
            Storage::Memory => ("memory://tansu/".to_owned(), std::env::temp_dir()),
            // tansu opens `sqlite://NAME` relative to its working directory.
            Storage::Sqlite(dir) => {
                std::fs::create_dir_all(dir)?;
                ("sqlite://tansu.db".to_owned(), dir.clone())
            }
        };
        if let Some(parent) = self.log.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        let child = Command::new(&self.binary)
            .args(["broker", "--listener-url", &url])
            .args(["--advertised-listener-url", &url])
            .args(["--storage-engine", &storage])
            .current_dir(dir)
            .env_remove("STORAGE_ENGINE")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        self.child = Some(child);
        self.wait_ready().await
    }

    /// Waits until the broker answers a metadata request.
    async fn wait_ready(&mut self) -> Result<(), TansuError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        while Instant::now() < deadline {
            let broker = self.broker();
            let answers = async move {
                let client = rskafka::client::ClientBuilder::new(vec![broker])
                    .build()
                    .await?;
                client.list_topics().await
            };
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(2), answers).await {
                return Ok(());
            }
            let exited = self
                .child
                .as_mut()
                .map_or(Ok(None), |child| child.try_wait())?;
            if exited.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(TansuError::NotReady {
            port: self.port,
            log: self.log.display().to_string(),
        })
    }
}

impl Drop for Tansu {
    fn drop(&mut self) {
        self.kill();
    }
}
