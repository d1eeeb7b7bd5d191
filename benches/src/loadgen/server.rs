//! The server under load: started in this process, or one already running at a `--url`.
//!
//! [`InProcessServer`] runs the real exchange (sled log with one `fdatasync` per batch, auth
//! store, hub, warp) on 127.0.0.1 with a free port, over a temporary data directory
//! bootstrapped with [`bootstrap_toml`](super::bootstrap_toml), on a tokio runtime of its
//! own: its threads are not the load generator's, but the machine's cores are shared.

use std::net::SocketAddr;
use std::num::NonZeroU32;

use exchange_server::server::{start, BootstrapSource, RunningServer, ServeConfig};

use super::bootstrap::write_bootstrap;
use super::error::LoadgenError;

/// The in-process server's order rate limit per account: high enough never to throttle
/// the load (the default, 1,000/s, would: the HTTP clients share [`super::TRADERS`]
/// accounts).
pub const ORDERS_PER_SECOND_UNTHROTTLED: NonZeroU32 = match NonZeroU32::new(1_000_000) {
    Some(rate) => rate,
    None => unreachable!(),
};

/// The in-process server's connection limits, in all and per client: every connection of
/// the load comes from 127.0.0.1, and the default per-client limit (100) would refuse most
/// of the fan-out's subscribers. The process's open-file limit still applies.
pub const CONNECTIONS_UNCAPPED: usize = 100_000;

/// Worker threads of the in-process server's runtime (the machine has 2 cores).
pub const SERVER_WORKERS: usize = 2;

/// Where the load goes: a server's base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `http://HOST:PORT`, without a trailing slash.
    base_url: String,
}

impl Target {
    /// The server at `url`, which must be `http://HOST[:PORT]` (no TLS, no path).
    pub fn parse(url: &str) -> Result<Target, LoadgenError> {
        let base_url = url.trim_end_matches('/');
        let Some(authority) = base_url.strip_prefix("http://") else {
            return Err(LoadgenError::Url(format!(
                "{url} is not an http:// address (the load generator speaks plain HTTP)"
            )));
        };
        if authority.is_empty() || authority.contains('/') {
            return Err(LoadgenError::Url(format!(
                "{url} must be http://HOST:PORT, without a path"
            )));
        }
        Ok(Target {
            base_url: base_url.to_owned(),
        })
    }

    /// The server listening on `addr`.
    pub fn at(addr: SocketAddr) -> Target {
        Target {
            base_url: format!("http://{addr}"),
        }
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        assert!(path.starts_with('/'), "a path starts with a slash");
        format!("{}{path}", self.base_url)
    }

    /// `HOST:PORT`, to connect to and to name in the `Host` header.
    pub fn authority(&self) -> &str {
        // `parse` and `at` only make http:// URLs.
        self.base_url.trim_start_matches("http://")
    }

    /// The WebSocket endpoint, `ws://HOST:PORT/ws`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.authority())
    }
}

/// The exchange, started in this process on its own runtime over a temporary directory.
///
/// Start and stop it from synchronous code (it blocks on its own runtime), never from
/// inside an async task.
pub struct InProcessServer {
    /// Its address.
    pub target: Target,
    running: Option<RunningServer>,
    runtime: tokio::runtime::Runtime,
    data: tempfile::TempDir,
}

impl InProcessServer {
    /// Writes the bootstrap file, then starts the server on 127.0.0.1 with a free port.
    pub fn start() -> Result<InProcessServer, LoadgenError> {
        let data = tempfile::Builder::new()
            .prefix("loadgen-")
            .tempdir()
            .map_err(LoadgenError::Io)?;
        let bootstrap = data.path().join("bootstrap.toml");
        write_bootstrap(&bootstrap).map_err(LoadgenError::Io)?;
        let listen = SocketAddr::from(([127, 0, 0, 1], 0));
        let mut config = ServeConfig::new(data.path().join("data"), listen);
        config.bootstrap = BootstrapSource::File(bootstrap);
        config.rate_limits.orders_per_second = ORDERS_PER_SECOND_UNTHROTTLED;
        config.connections.open_max = CONNECTIONS_UNCAPPED;
        config.connections.per_client_max = CONNECTIONS_UNCAPPED;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(SERVER_WORKERS)
            .thread_name("exchange-server")
            .enable_all()
            .build()
            .map_err(LoadgenError::Io)?;
        let running = runtime.block_on(start(config))?;
        Ok(InProcessServer {
            target: Target::at(running.addr),
            running: Some(running),
            runtime,
            data,
        })
    }

    /// The temporary data directory (removed when the server is stopped).
    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    /// Stops the server in order (the sequencer drains) and removes its directory.
    pub fn stop(mut self) -> Result<(), LoadgenError> {
        if let Some(running) = self.running.take() {
            self.runtime.block_on(running.stop());
        }
        let InProcessServer { runtime, data, .. } = self;
        drop(runtime);
        data.close().map_err(LoadgenError::Io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loadgen_targets_are_plain_http_addresses() {
        let target = Target::parse("http://127.0.0.1:7070/").expect("a plain address");
        assert_eq!(target.url("/health"), "http://127.0.0.1:7070/health");
        assert_eq!(target.ws_url(), "ws://127.0.0.1:7070/ws");
        assert_eq!(target.authority(), "127.0.0.1:7070");
        assert!(Target::parse("https://127.0.0.1:7070").is_err());
        assert!(Target::parse("127.0.0.1:7070").is_err());
        assert!(Target::parse("http://127.0.0.1:7070/api").is_err());
        assert!(Target::parse("http://").is_err());
    }
}
