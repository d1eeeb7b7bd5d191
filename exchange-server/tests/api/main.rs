//! The server over real HTTP and WebSocket on 127.0.0.1, one fresh server (random port,
//! temporary data directory, demo bootstrap) per test.

mod access;
mod activity;
mod auth;
mod connections;
mod live;
mod openapi;
mod orders;
mod restart;
mod support;
mod ui;
