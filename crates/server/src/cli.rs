//! The `create-user` subcommand: how the first administrator (and later accounts) are made.
//! There is no default account and no default password.

use crate::auth::{MIN_PASSWORD_CHARS, hash_password};
use crate::store::Db;

pub const USAGE: &str = "usage:
  trygg-server                      serve the app and the API (configuration: see README)
  trygg-server create-user --email E --name N [--role admin|coordinator]
                                    create an account; the password is read from the
                                    environment variable TRYGG_NEW_USER_PASSWORD or, if unset,
                                    from the first line of standard input";

pub struct NewUserArgs {
    pub email: String,
    pub name: String,
    pub role: String,
}

pub fn parse_create_user(args: &[String]) -> Result<NewUserArgs, String> {
    let (mut email, mut name, mut role) = (None, None, "coordinator".to_owned());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--email" => email = Some(value()?),
            "--name" => name = Some(value()?),
            "--role" => role = value()?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let email = email.ok_or("--email is required")?;
    Ok(NewUserArgs { name: name.unwrap_or_else(|| email.clone()), email, role })
}

/// Validates and stores a new account.
pub async fn create_user(
    db: &Db,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err("the e-mail address is not valid".into());
    }
    if !matches!(role, "admin" | "coordinator") {
        return Err("the role must be admin or coordinator".into());
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("the password must have at least {MIN_PASSWORD_CHARS} characters").into());
    }
    let hash = hash_password(password).map_err(|e| e.to_string())?;
    if !db.create_user(&email, name.trim(), role, &hash).await? {
        return Err("an account with this e-mail already exists".into());
    }
    Ok(())
}
