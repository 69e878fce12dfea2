//! The server's command line (clap): `serve` (the default), `create-user` (how the first
//! administrator and later accounts are made: there is no default account and no default
//! password), `rotate-key` and `new-key` (the secret key's life, see README).

use crate::auth::{MIN_PASSWORD_CHARS, hash_password};
use crate::store::Db;

/// `trygg-server [COMMAND]`: serve (the default) or one of the maintenance commands.
/// Configuration comes from the environment (see README), not from flags.
#[derive(Debug, clap::Parser)]
#[command(name = "trygg-server", version, about = "Trygg: the JSON API and the browser app on one port")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Serve the app and the API (the default; configuration: see README)
    Serve,
    /// Create an account. The password is read from the environment variable
    /// TRYGG_NEW_USER_PASSWORD or, if unset, from the first line of standard input
    CreateUser {
        #[arg(long)]
        email: String,
        /// Display name (default: the e-mail address)
        #[arg(long)]
        name: Option<String>,
        /// One role or several, comma-separated: coordinator, admin, analyst, responder
        /// (an admin reads no report unless also coordinator: `--role admin,coordinator`)
        #[arg(long, default_value = "coordinator")]
        role: String,
    },
    /// Re-seal every sealed value (TOTP secrets, reporters' name, phone, e-mail) whose key is
    /// not the current one (the key file's last line), in small batches, while servers serve
    RotateKey,
    /// Print a new key line (`KID BASE64`, the next free id) to add to the key file
    NewKey,
}

impl Cli {
    /// What to run: `serve` when no command is given.
    pub fn command(self) -> Command {
        self.command.unwrap_or(Command::Serve)
    }
}

/// Validates and stores a new, active account. `role` is one role or several, comma-separated
/// (`admin,coordinator`).
pub async fn create_user(
    db: &Db,
    keys: &crate::crypto::Keys,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err("the e-mail address is not valid".into());
    }
    let roles: Vec<String> = role.split(',').map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
    if trygg_wire::accounts::check_roles(&roles).is_some() {
        return Err("the roles must be one or more of coordinator, admin, analyst, responder".into());
    }
    let roles = trygg_wire::accounts::normalized_roles(&roles);
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("the password must have at least {MIN_PASSWORD_CHARS} characters").into());
    }
    let hash = hash_password(password).map_err(|e| e.to_string())?;
    let Some(id) = db.create_user(&email, name.trim(), &roles, &hash).await? else {
        return Err("an account with this e-mail already exists".into());
    };
    // An account change is an audit entry (who was made is named by id: the log holds no e-mail).
    let detail = format!("account {id}: created, roles {}", roles.join(","));
    let entry =
        crate::store::audit::Entry { user_id: None, action: "user.create", report_id: None, reason: Some(&detail) };
    db.audit(keys, &entry).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Cli, Command};
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("trygg-server").chain(args.iter().copied())).map(Cli::command)
    }

    #[test]
    fn no_command_serves() {
        assert_eq!(parse(&[]).unwrap(), Command::Serve);
        assert_eq!(parse(&["serve"]).unwrap(), Command::Serve);
    }

    #[test]
    fn create_user_keeps_its_flags_and_defaults() {
        assert_eq!(
            parse(&["create-user", "--email", "a@b.se", "--name", "A B", "--role", "admin"]).unwrap(),
            Command::CreateUser { email: "a@b.se".into(), name: Some("A B".into()), role: "admin".into() }
        );
        assert_eq!(
            parse(&["create-user", "--email", "a@b.se"]).unwrap(),
            Command::CreateUser { email: "a@b.se".into(), name: None, role: "coordinator".into() }
        );
        assert!(parse(&["create-user"]).is_err(), "--email is required");
        assert!(parse(&["create-user", "--email"]).is_err(), "--email needs a value");
        assert!(parse(&["create-user", "--email", "a@b.se", "--bogus"]).is_err());
    }

    #[test]
    fn the_key_commands_parse_and_unknown_ones_do_not() {
        assert_eq!(parse(&["rotate-key"]).unwrap(), Command::RotateKey);
        assert_eq!(parse(&["new-key"]).unwrap(), Command::NewKey);
        assert!(parse(&["frobnicate"]).is_err());
    }
}
