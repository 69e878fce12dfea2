//! The HTTP ceiling: a bare axum server (same axum, tokio and release profile as Trygg's server)
//! whose `POST /api/reports` reads the body and answers 201 with a small JSON receipt, with no
//! parsing, validation or database. Whatever Trygg reaches is measured against this.
//!
//! usage: ceiling-http [--addr 127.0.0.1:0]   (prints the URL it listens on, runs until killed)

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};

const RECEIPT: &str = r#"{"id":"01900000-0000-7000-8000-000000000000","receipt_code":"ABCD-EFGH-JKMN-PQRS","received_at":"2026-01-15T13:30:00Z"}"#;

async fn submit(body: Bytes) -> impl IntoResponse {
    // Touch the body so that reading it cannot be optimised away.
    let status = if body.is_empty() { StatusCode::BAD_REQUEST } else { StatusCode::CREATED };
    (status, [(header::CONTENT_TYPE, "application/json")], RECEIPT)
}

/// A bare axum server answering submits with a fixed receipt: the HTTP ceiling.
#[derive(clap::Parser)]
#[command(name = "ceiling-http")]
struct Args {
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let a = <Args as clap::Parser>::parse();
    let addr = a.addr.as_str();
    let app = Router::new().route("/api/reports", post(submit)).route("/healthz", get(|| async { "ok" }));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ceiling-http: cannot listen on {addr}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(a) => println!("ceiling-http listening at http://{a}/"),
        Err(e) => eprintln!("ceiling-http: {e}"),
    }
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("ceiling-http: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
