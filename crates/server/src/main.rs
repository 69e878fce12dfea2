//! Reads configuration, then serves (default) or runs a subcommand.

use std::io::BufRead;
use trygg_server::{cli, config::Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return std::process::ExitCode::from(2);
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

    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => trygg_server::serve(config).await,
        Some("create-user") => create_user(config, &args[1..]).await,
        Some(_) => {
            eprintln!("{}", cli::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn create_user(config: Config, args: &[String]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let a = cli::parse_create_user(args).map_err(|e| format!("{e}\n{}", cli::USAGE))?;
    let password = match std::env::var("TRYGG_NEW_USER_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!("Password for {} (one line):", a.email);
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let db = trygg_server::store::Db::connect(&config.database_url, 2).await?;
    cli::create_user(&db, &a.email, &a.name, &a.role, &password).await?;
    db.close().await;
    println!("created {} ({})", a.email, a.role);
    Ok(())
}
