//! Parses the command line (clap), reads the configuration, then serves (the default) or runs a
//! maintenance command.

use clap::Parser;
use std::io::BufRead;
use std::process::ExitCode;
use trygg_server::cli::{Cli, Command};
use trygg_server::config::Config;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    let command = Cli::parse().command();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_json {
        builder.json().init()
    } else {
        builder.init()
    }

    let result = match command {
        Command::Serve => serve(config).await,
        Command::CreateUser { email, name, role } => create_user(config, &email, name.as_deref(), &role).await,
        Command::RotateKey => rotate_key(config).await,
        Command::NewKey => new_key(&config),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Refuses to start without the secret key (in production mode, or with a named key file that
/// is missing), saying what to do, before anything else happens.
async fn serve(config: Config) -> Result<(), Error> {
    if let Err(e) = config.keys() {
        let file = config.key_file();
        let mode = if config.production { " in production mode (TRYGG_PRODUCTION=true)" } else { "" };
        return Err(format!(
            "Trygg will not start{mode} without its secret key: {e}.\n\
             Give the key in TRYGG_SECRET_KEY, or as a key file at {} (TRYGG_SECRET_KEY_FILE).\n\
             A new installation makes one with `trygg-server new-key > {}` (mode 0600).\n\
             The key seals the TOTP secrets and reporters' names in the database: back it up, apart from the database.",
            file.display(),
            file.display()
        )
        .into());
    }
    trygg_server::serve(config).await
}

async fn create_user(config: Config, email: &str, name: Option<&str>, role: &str) -> Result<(), Error> {
    let password = match std::env::var("TRYGG_NEW_USER_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!("Password for {email} (one line):");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let keys = config.keys()?;
    let db = trygg_server::store::Db::connect(&config.database_url, 2).await?;
    trygg_server::cli::create_user(&db, &keys, email, name.unwrap_or(email), role, &password).await?;
    db.close().await;
    println!("created {email} ({role})");
    Ok(())
}

/// `rotate-key`: every sealed value made with an older key is re-sealed with the current one.
async fn rotate_key(config: Config) -> Result<(), Error> {
    let keys = config.existing_keys()?.ok_or(
        "no secret key is configured (TRYGG_SECRET_KEY or the key file): add the new key line to the key file first",
    )?;
    let db = trygg_server::store::Db::connect(&config.database_url, 2).await?;
    let done = db.rotate_sealed(&keys).await;
    db.close().await;
    let done = done?;
    println!(
        "key {}: re-sealed {} value(s), sealed {} plain value(s), re-indexed {} risk flag(s), {} value(s) could not be opened",
        keys.current_id(),
        done.resealed,
        done.sealed,
        done.reindexed,
        done.failed.len()
    );
    if done.failed.is_empty() {
        return Ok(());
    }
    for (table, column, id) in &done.failed {
        eprintln!("does not open: {table}.{column} of row {id}");
    }
    Err("some values could not be opened: is every old key line still in the key file?".into())
}

/// `new-key`: a key line with the next free id, on standard output (nothing is written).
fn new_key(config: &Config) -> Result<(), Error> {
    let next = match config.existing_keys()? {
        Some(keys) => keys.ids().max().unwrap_or(0) + 1,
        None => {
            print!("{}", trygg_server::config::KEY_FILE_HEADER);
            1
        }
    };
    println!("{}", trygg_server::crypto::key_line(next, &trygg_server::crypto::random_key()));
    Ok(())
}
