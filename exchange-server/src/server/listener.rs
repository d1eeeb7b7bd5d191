//! The accept loop: serves the HTTP filter on a listener, within [`ConnectionLimits`].
//!
//! warp's own `serve` accepts every connection and waits for headers for as long as a client
//! likes, so this loop replaces it. Each accepted connection takes a [`ConnectionSlot`] or is
//! refused with 503 `too_many_connections`; hyper closes a connection whose request headers
//! take longer than [`ConnectionLimits::header_timeout`]; the client's address reaches the
//! routes as a [`ClientAddr`] request extension.
//!
//! [`ConnectionLimits`]: super::connections::ConnectionLimits
//! [`ConnectionLimits::header_timeout`]: super::connections::ConnectionLimits::header_timeout

use super::connections::{ConnectionSlot, Connections, Refusal};
use super::metrics::Metrics;
use crate::http::error::ApiError;
use hyper::body::Incoming;
use hyper::service::Service;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use warp::filters::BoxedFilter;
use warp::http::{Request, StatusCode};
use warp::reply::Response;

/// The address of the client that sent a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub SocketAddr);

/// The code of a refused connection's answer.
pub const REFUSED_CODE: &str = "too_many_connections";

/// Refused connections whose requests are read and discarded at once, so that closing them
/// does not reset the connection before the client reads the 503. Refusals beyond these are
/// closed without an answer: a flood of refused connections must not hold sockets open.
const REFUSALS_LINGERING_MAX: usize = 64;

/// How long a refused connection is read from before it is closed.
const REFUSAL_LINGER: Duration = Duration::from_secs(1);

/// How much of a refused connection's request is read before it is closed.
const REFUSAL_READ_BYTES_MAX: usize = 64 * 1024;

/// How long the loop waits after the system refuses to accept (out of file descriptors)
/// before it tries again.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Serves `filter` on `listener` until `stop` completes, then waits for the requests in
/// flight. Upgraded WebSockets are not waited for: the hub closes them.
pub async fn serve(
    listener: TcpListener,
    filter: BoxedFilter<(Response,)>,
    connections: Arc<Connections>,
    metrics: Arc<Metrics>,
    stop: impl Future<Output = ()>,
) {
    let header_timeout = connections.limits().header_timeout;
    let lingering = Arc::new(Semaphore::new(REFUSALS_LINGERING_MAX));
    let (stopping, stopped) = watch::channel(());
    let mut served = JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    accept_failed(&error).await;
                    continue;
                }
            },
            Some(_) = served.join_next() => continue,
            () = &mut stop => break,
        };
        let slot = match connections.open(client.ip()) {
            Ok(slot) => slot,
            Err(refusal) => {
                metrics.count_error(REFUSED_CODE);
                tracing::debug!(%client, %refusal, "connection refused");
                refuse(stream, refusal, &lingering);
                continue;
            }
        };
        let io = TokioIo::new(Counted {
            stream,
            _slot: slot,
        });
        let service = WithClientAddr {
            service: warp::service(filter.clone()),
            client: ClientAddr(client),
        };
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(io, service)
            .with_upgrades();
        let mut stopped = stopped.clone();
        served.spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopped.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                tracing::debug!(%client, %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    // Every connection waits for this one change; the value says nothing.
    let _ = stopping.send(());
    while served.join_next().await.is_some() {}
}

/// Answers a connection over the limits with 503 and closes it. The answer is written without
/// waiting: a new socket's send buffer is empty, so it fits.
fn refuse(stream: TcpStream, refusal: Refusal, lingering: &Arc<Semaphore>) {
    let error = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        REFUSED_CODE,
        refusal.to_string(),
    );
    let answer = refusal_bytes(&error);
    if !matches!(stream.try_write(&answer), Ok(written) if written == answer.len()) {
        return;
    }
    let Ok(permit) = Arc::clone(lingering).try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        let _ = tokio::time::timeout(REFUSAL_LINGER, discard_request(stream)).await;
    });
}

/// The raw HTTP/1.1 answer to a refused connection, which then closes.
fn refusal_bytes(error: &ApiError) -> Vec<u8> {
    let body = error.body_json();
    let mut answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(body.as_bytes());
    answer
}

/// Stops writing, then reads what the client sent until it closes or enough was read, so
/// that the close is orderly.
async fn discard_request(mut stream: TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = stream.shutdown().await;
    let mut buffer = [0u8; 4096];
    let mut read = 0;
    while read < REFUSAL_READ_BYTES_MAX {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

/// Logs a failed accept and, unless only that one connection failed, waits before the next.
async fn accept_failed(error: &io::Error) {
    let one_connection = matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    );
    if one_connection {
        return;
    }
    tracing::error!(%error, "accepting a connection failed; retrying shortly");
    tokio::time::sleep(ACCEPT_RETRY).await;
}

/// A connection's stream with its slot, which it keeps for as long as it is open, through an
/// upgrade to a WebSocket too.
pub struct Counted {
    stream: TcpStream,
    _slot: ConnectionSlot,
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// warp's service, with the client's address added to every request.
pub struct WithClientAddr<S> {
    service: S,
    client: ClientAddr,
}

impl<S> Service<Request<Incoming>> for WithClientAddr<S>
where
    S: tower_service::Service<Request<Incoming>> + Clone,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(self.client);
        // warp's service is always ready and cheap to clone (its filter is shared).
        self.service.clone().call(request)
    }
}
