//! Connection limits: how many connections the server holds open, in all and per client, and
//! how long a client may take to send a request.
//!
//! Without them one client could open thousands of idle connections and exhaust the server's
//! file descriptors (the slowloris attack). A connection takes a [`ConnectionSlot`] when it is
//! accepted and gives it back when it closes; a WebSocket keeps the slot of the connection it
//! was upgraded from, so live sockets count too.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The limits on connections; [`ConnectionLimits::default`] suits a local market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once (HTTP and WebSocket), from all clients together. The default
    /// stays under the usual limit of 1,024 open files per process.
    pub open_max: usize,
    /// Connections open at once from one IP address. Behind a reverse proxy every
    /// connection comes from the proxy's address: raise this, and let the proxy limit clients.
    pub per_client_max: usize,
    /// How long a client may take to send a request's headers, counted from when the server
    /// starts waiting for them; a kept-alive connection idle this long is closed too.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body, once its headers arrived.
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            open_max: 1_000,
            per_client_max: 100,
            header_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(15),
        }
    }
}

/// Why a connection was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds [`ConnectionLimits::open_max`] connections.
    ServerFull {
        /// The limit.
        open_max: usize,
    },
    /// The client's address holds [`ConnectionLimits::per_client_max`] connections.
    ClientFull {
        /// The limit.
        per_client_max: usize,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ServerFull { open_max } => write!(
                f,
                "the server has {open_max} connections open, its limit; try again shortly"
            ),
            Refusal::ClientFull { per_client_max } => write!(
                f,
                "your address has {per_client_max} connections open, the limit per client; \
                 close some or reuse them"
            ),
        }
    }
}

/// The open connections, counted in all and per client address.
#[derive(Debug)]
pub struct Connections {
    limits: ConnectionLimits,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    open: usize,
    /// Only addresses with at least one open connection.
    by_client: HashMap<IpAddr, usize>,
}

impl Connections {
    /// No connections yet, under `limits`.
    ///
    /// # Panics
    /// If either limit is zero: the server could then serve nobody.
    pub fn new(limits: ConnectionLimits) -> Arc<Self> {
        assert!(
            limits.open_max > 0 && limits.per_client_max > 0,
            "connection limits must be at least 1"
        );
        Arc::new(Self {
            limits,
            counts: Mutex::default(),
        })
    }

    /// The limits.
    pub fn limits(&self) -> ConnectionLimits {
        self.limits
    }

    /// Takes a slot for a new connection from `client`, or says why there is none.
    pub fn open(self: &Arc<Self>, client: IpAddr) -> Result<ConnectionSlot, Refusal> {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if counts.open >= self.limits.open_max {
            return Err(Refusal::ServerFull {
                open_max: self.limits.open_max,
            });
        }
        let mine = counts.by_client.entry(client).or_insert(0);
        if *mine >= self.limits.per_client_max {
            return Err(Refusal::ClientFull {
                per_client_max: self.limits.per_client_max,
            });
        }
        *mine += 1;
        counts.open += 1;
        Ok(ConnectionSlot {
            connections: Arc::clone(self),
            client,
        })
    }

    /// How many connections are open.
    pub fn open_count(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .open
    }

    fn close(&self, client: IpAddr) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.open = counts
            .open
            .checked_sub(1)
            .expect("invariant: a slot was counted");
        let mine = counts
            .by_client
            .get_mut(&client)
            .expect("invariant: a slot's client is counted");
        *mine -= 1;
        if *mine == 0 {
            counts.by_client.remove(&client);
        }
    }
}

/// One open connection's place in the count; dropping it closes the place.
#[derive(Debug)]
pub struct ConnectionSlot {
    connections: Arc<Connections>,
    client: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.connections.close(self.client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(open_max: usize, per_client_max: usize) -> ConnectionLimits {
        ConnectionLimits {
            open_max,
            per_client_max,
            ..ConnectionLimits::default()
        }
    }

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

    #[test]
    fn one_client_cannot_take_more_than_its_share() {
        let connections = Connections::new(limits(10, 2));
        let first = connections.open(A).unwrap();
        let _second = connections.open(A).unwrap();
        assert_eq!(
            connections.open(A).unwrap_err(),
            Refusal::ClientFull { per_client_max: 2 }
        );
        let _other = connections.open(B).expect("another client is still served");
        drop(first);
        let _again = connections.open(A).expect("a closed slot is free again");
        assert_eq!(connections.open_count(), 3);
    }

    #[test]
    fn the_server_refuses_everyone_once_full_and_recovers_as_connections_close() {
        let connections = Connections::new(limits(2, 2));
        let first = connections.open(A).unwrap();
        let _second = connections.open(B).unwrap();
        assert_eq!(
            connections.open(B).unwrap_err(),
            Refusal::ServerFull { open_max: 2 }
        );
        drop(first);
        let _third = connections.open(B).unwrap();
        assert_eq!(connections.open_count(), 2);
    }

    #[test]
    fn closing_every_connection_forgets_the_client() {
        let connections = Connections::new(limits(10, 3));
        let slots: Vec<_> = (0..3).map(|_| connections.open(A).unwrap()).collect();
        drop(slots);
        assert_eq!(connections.open_count(), 0);
        let counts = connections.counts.lock().unwrap();
        assert!(counts.by_client.is_empty());
    }

    #[test]
    #[should_panic(expected = "at least 1")]
    fn limits_of_zero_are_refused() {
        Connections::new(limits(10, 0));
    }
}
