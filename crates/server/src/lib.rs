//! Trygg's server: the JSON API and the built browser app on one port.
//!
//! `main.rs` reads the configuration and calls [`serve`]; tests call [`build`] and serve the
//! router on a port of their own.

// The workspace's `release` profile is tuned for the wasm download (size, `panic = "abort"`).
// A server built with it would die on a panic instead of answering the JSON 500 of its
// catch-panic layer, so that combination does not compile: build the server with
// `--profile server` (speed, unwinding), as scripts/run.sh and the benchmarks do.
#[cfg(panic = "abort")]
compile_error!("trygg-server must unwind on a panic: build it with `cargo build --profile server`, not `--release`");

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod duty;
pub mod error;
pub mod evidence;
pub mod jobs;
pub mod openapi;
pub mod region_time;
pub mod routes;
pub mod state;
pub mod stats;
pub mod store;

use config::Config;
use state::AppState;
use std::sync::Arc;
use store::Db;

/// Connects to the database (running migrations), creates the bootstrap administrator if
/// configured and no user exists, and returns the ready router with its state.
pub async fn build(config: Config) -> Result<(axum::Router, AppState), Box<dyn std::error::Error + Send + Sync>> {
    config.proxy_nets()?;
    let keys = Arc::new(config.keys()?);
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    if let (Some(email), Some(password)) = (&config.bootstrap_admin_email, Config::bootstrap_admin_password())
        && db.count_users().await? == 0
    {
        use secrecy::ExposeSecret;
        // The first administrator also handles reports (admin + coordinator).
        cli::create_user(&db, &keys, email, "Administratör", "admin,coordinator", password.expose_secret()).await?;
        tracing::info!("bootstrap administrator created");
    }
    let writers = match db {
        Db::Sqlite(_) => 1,
        Db::Postgres(_) => 4,
    };
    db.seal_plain(&keys).await?;
    let writer = store::writer::ReportWriter::spawn(db.for_writer().await?, keys.clone(), writers);
    let lookup_log = store::lookup_log::LookupLog::spawn(db.for_writer().await?, writers.min(2));
    let ages = store::purge::Ages {
        session_idle_ms: config.session_idle_minutes * 60_000,
        replay_keep_ms: config.replay_keep_days * 86_400_000,
    };
    let clock = clock::Clock::system();
    let every = std::time::Duration::from_secs(config.purge_minutes * 60);
    store::purge::spawn(db.clone(), keys.clone(), clock.clone(), every, ages);
    let password_checks = Arc::new(tokio::sync::Semaphore::new(auth::password_check_slots(config.password_checks)));
    let anchor_path = config
        .audit_anchor_file
        .clone()
        .unwrap_or_else(|| store::audit::AnchorFile::default_path(&config.database_url));
    let anchor = Arc::new(store::audit::AnchorFile::new(anchor_path, keys.clone()));
    anchor.advance(&db).await?;
    if let Ok(Some(recorded)) = anchor.read()
        && recorded.seq > db.audit_head().await?.0
    {
        tracing::error!(anchor = %anchor.path().display(), anchor_seq = recorded.seq,
            "the access log ends before the head this server recorded: entries were removed or an old copy was restored");
    }
    anchor.clone().spawn(db.clone());
    let flood = Arc::new(store::flood::FloodCounter::default());
    flood.clone().spawn(db.clone(), clock.clone());
    let jobs = jobs::spawn(db.clone(), clock.clone(), keys.clone(), &config);
    let state = AppState {
        db,
        config: Arc::new(config),
        writer,
        lookup_log,
        keys,
        password_checks,
        anchor,
        flood,
        clock,
        jobs,
    };
    Ok((app::router(state.clone()), state))
}

/// Serves until Ctrl-C or SIGTERM, then drains connections and closes the pool.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let addr = config.addr;
    let (router, state) = build(config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!(%local, backend = state.db.backend(), "listening");
    println!("Trygg is running at http://{local}/");
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    state.db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
