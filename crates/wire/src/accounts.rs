//! `/api/accounts…`, `/api/invitations…` and `/api/account…`: administrators invite, list and
//! change accounts; an invitee accepts an invitation; everyone changes their own password and
//! language. Also the account rules both sides check (lengths, states, languages).

use serde::{Deserialize, Serialize};

/// Longest display name (characters).
pub const NAME_MAX: usize = 100;
/// Longest e-mail address (characters).
pub const EMAIL_MAX: usize = 254;
/// Shortest password (characters); the server refuses shorter ones.
pub const PASSWORD_MIN: usize = 12;
/// The languages an account can choose.
pub const LANGS: [&str; 2] = ["sv", "en"];

/// A role's name, for the OpenAPI schema of the role lists (`trygg_wire::roles`).
#[cfg(feature = "openapi")]
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Coordinator,
    Admin,
    Analyst,
    Responder,
}

/// An account's state.
pub mod states {
    /// May sign in.
    pub const ACTIVE: &str = "active";
    /// Invited, the invitation not accepted yet: no password, cannot sign in.
    pub const INVITED: &str = "invited";
    /// May not sign in (also every deleted, pseudonymised account).
    pub const DISABLED: &str = "disabled";
}

/// One account as administrators see it (no secret, no password, no TOTP secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    /// Empty once the account is deleted (pseudonymised).
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub display_name: String,
    /// Any of `coordinator`, `admin`, `analyst`, `responder`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<AccountRole>))]
    pub roles: Vec<String>,
    /// `active`, `invited` or `disabled`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(active|invited|disabled)$"))]
    pub state: String,
    /// Deleted: pseudonymised, its history kept under "Borttagen användare N".
    pub deleted: bool,
    /// `sv` or `en`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(sv|en)$"))]
    pub lang: String,
    /// Whether TOTP two-factor sign-in is switched on.
    pub totp_enabled: bool,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_login_at: Option<String>,
    /// When the open invitation ends (only while `invited`).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub invitation_expires_at: Option<String>,
    /// Send it back with a change: a change made on an older version is refused (409 with
    /// the newer state).
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accounts {
    /// Every account, by name.
    pub accounts: Vec<Account>,
}

/// `POST /api/accounts`: invite a person.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub display_name: String,
    /// At least one of `coordinator`, `admin`, `analyst`, `responder`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<AccountRole>, min_items = 1))]
    pub roles: Vec<String>,
    /// The invitation mail's language and the account's first one: `sv` (when left out) or `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(sv|en)$"))]
    pub lang: Option<String>,
}

/// The answer to an invitation: the account, and the one-time link for the administrator to
/// pass on (shown once; only a hash of its token is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub account: Account,
    /// `/samordnare/inbjudan#<token>`: the token in the fragment never reaches a server's log.
    pub link: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
}

/// `POST /api/accounts/{id}/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RolesChange {
    /// At least one of `coordinator`, `admin`, `analyst`, `responder`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<AccountRole>, min_items = 1))]
    pub roles: Vec<String>,
    /// The version the administrator saw.
    #[serde(default)]
    pub version: i64,
}

/// The body of a change that needs nothing but the version seen (disable, enable, reset
/// two-factor, delete, new invitation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionSeen {
    #[serde(default)]
    pub version: i64,
}

/// `POST /api/invitations/lookup` and the token part of `/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationToken {
    /// The token from the link's fragment.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub token: String,
}

/// Who an invitation is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationInfo {
    pub email: String,
    pub display_name: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
}

/// `POST /api/invitations/accept`: the invitee's password; then two-factor enrolment follows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitation {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub token: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 1024))]
    pub password: String,
}

/// `POST /api/account/password`: the holder's own password, with a current code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    #[serde(default)]
    pub old_password: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 1024))]
    pub new_password: String,
    /// A current code from the authenticator app (when two-factor sign-in is on).
    #[serde(default)]
    pub code: String,
}

/// `POST /api/account/lang`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LangChange {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(sv|en)$"))]
    pub lang: String,
}

/// Error codes of the accounts API (`error.code`).
pub mod codes {
    /// 409: the change would leave no active administrator.
    pub const LAST_ADMIN: &str = "last_admin";
    /// 409: the account is deleted; nothing more can be changed.
    pub const DELETED: &str = "account_deleted";
    /// 410: the invitation's time is over.
    pub const INVITATION_EXPIRED: &str = "invitation_expired";
    /// 410: the invitation was already used.
    pub const INVITATION_USED: &str = "invitation_used";
    /// 410: the invitation was withdrawn (a newer one, or the account disabled).
    pub const INVITATION_REVOKED: &str = "invitation_revoked";
    /// 404: no such invitation.
    pub const INVITATION_UNKNOWN: &str = "invitation_unknown";
    /// 403: the account is disabled (told only after a correct password).
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
}

/// Field errors of the account forms, as `(field, kind)`: empty when `invite` passes.
pub fn check_invite(invite: &Invite) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    let email = invite.email.trim();
    if email.is_empty() {
        errors.push(("email", "required"));
    } else if email.chars().count() > EMAIL_MAX
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
        || !email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
    {
        errors.push(("email", "invalid"));
    }
    let name = invite.display_name.trim();
    if name.is_empty() {
        errors.push(("display_name", "required"));
    } else if name.chars().count() > NAME_MAX {
        errors.push(("display_name", "too_long"));
    } else if name.chars().any(char::is_control) {
        errors.push(("display_name", "invalid_characters"));
    }
    errors.extend(check_roles(&invite.roles));
    if invite.lang.as_deref().is_some_and(|l| !LANGS.contains(&l)) {
        errors.push(("lang", "invalid"));
    }
    errors
}

/// `roles` must be non-empty and every one known.
pub fn check_roles(roles: &[String]) -> Option<(&'static str, &'static str)> {
    if roles.is_empty() {
        Some(("roles", "required"))
    } else if roles.iter().any(|r| !crate::roles::ALL.contains(&r.as_str())) {
        Some(("roles", "invalid"))
    } else {
        None
    }
}

/// `roles` without duplicates, in the order of [`crate::roles::ALL`].
pub fn normalized_roles(roles: &[String]) -> Vec<String> {
    crate::roles::ALL.iter().filter(|r| roles.iter().any(|x| x == *r)).map(|r| (*r).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(email: &str, name: &str, roles: &[&str]) -> Invite {
        Invite {
            email: email.into(),
            display_name: name.into(),
            roles: roles.iter().map(|r| (*r).into()).collect(),
            lang: None,
        }
    }

    #[test]
    fn an_invitation_needs_an_address_a_name_and_known_roles() {
        assert!(check_invite(&invite("a@b.se", "A B", &["coordinator"])).is_empty());
        assert_eq!(check_invite(&invite("", "A", &["admin"])), vec![("email", "required")]);
        assert_eq!(check_invite(&invite("a b@c.se", "A", &["admin"])), vec![("email", "invalid")]);
        assert_eq!(check_invite(&invite("a@b.se", " ", &["admin"])), vec![("display_name", "required")]);
        assert_eq!(check_invite(&invite("a@b.se", "A", &[])), vec![("roles", "required")]);
        assert_eq!(check_invite(&invite("a@b.se", "A", &["root"])), vec![("roles", "invalid")]);
        let in_lang = |lang: &str| Invite { lang: Some(lang.into()), ..invite("a@b.se", "A", &["admin"]) };
        assert!(check_invite(&in_lang("en")).is_empty());
        assert_eq!(check_invite(&in_lang("de")), vec![("lang", "invalid")]);
    }

    #[test]
    fn roles_are_normalized_to_the_known_order_without_duplicates() {
        let r = normalized_roles(&["admin".into(), "coordinator".into(), "admin".into()]);
        assert_eq!(r, vec!["coordinator".to_owned(), "admin".to_owned()]);
    }
}
