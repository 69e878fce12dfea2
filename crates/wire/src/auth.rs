//! `/api/auth…`: the sign-in body, who is signed in (`Me`), and the two-factor enrolment.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Login {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

// A signed-in (or half signed-in) coordinator: `POST /api/auth/login` and `GET /api/auth/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// Every role the account holds (`trygg_wire::roles`): several per person.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::accounts::AccountRole>))]
    pub roles: Vec<String>,
    /// The language the holder chose (`sv` or `en`): the app's and their e-mails' language.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(sv|en)$"))]
    pub lang: String,
    /// True until the second factor is entered (`POST /api/auth/totp`).
    pub mfa_required: bool,
    /// True while the account has no two-factor sign-in and the server requires one: only
    /// `POST /api/auth/totp/setup` and `/confirm` (and me, logout) work until it is switched on.
    pub enrolment_required: bool,
    /// Whether the account has TOTP two-factor sign-in switched on.
    pub totp_enabled: bool,
    /// Send this in the `X-CSRF-Token` header on every POST/PATCH made with this session.
    pub csrf_token: String,
}

impl Me {
    /// Whether the account holds `role` (one of `trygg_wire::roles`).
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(crate::roles::ADMIN)
    }

    /// Whether the account reads and handles reports (the inbox).
    pub fn is_coordinator(&self) -> bool {
        self.has(crate::roles::COORDINATOR)
    }

    /// Signed in all the way: neither the code step nor enrolment is pending.
    pub fn is_signed_in(&self) -> bool {
        !self.mfa_required && !self.enrolment_required
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolment {
    /// Base32 secret, for typing into an app by hand.
    pub secret: String,
    /// `otpauth://totp/…` for the QR code.
    pub otpauth_uri: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeBody {
    /// The six digits from the app.
    #[serde(default)]
    pub code: String,
    /// Instead of `code`: one unused recovery code.
    #[serde(default)]
    pub recovery_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    /// Shown once: each works a single time when the phone is lost.
    pub recovery_codes: Vec<String>,
}
