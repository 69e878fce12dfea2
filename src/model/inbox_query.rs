//! The inbox filters and their URL form.

/// The inbox filters, as they stand in the page's URL and go to `GET /api/reports` and
/// `/counts`. Each is a wire value; empty means "any".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InboxQuery {
    pub status: String,
    pub severity: String,
    pub kind: String,
    pub role: String,
    pub phase: String,
    /// A coordinator's id, `me` or `none`.
    pub assignee: String,
    /// `YYYY-MM-DD`, received on or after.
    pub from: String,
    /// `YYYY-MM-DD`, received on or before.
    pub to: String,
    /// Free-text search words.
    pub q: String,
    /// `newest` (default, also empty) or `oldest`.
    pub sort: String,
}

impl InboxQuery {
    /// The parameter names, in the order they appear in URLs.
    pub const KEYS: [&'static str; 10] =
        ["status", "severity", "kind", "role", "phase", "assignee", "from", "to", "q", "sort"];

    fn slot(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "status" => &mut self.status,
            "severity" => &mut self.severity,
            "kind" => &mut self.kind,
            "role" => &mut self.role,
            "phase" => &mut self.phase,
            "assignee" => &mut self.assignee,
            "from" => &mut self.from,
            "to" => &mut self.to,
            "q" => &mut self.q,
            "sort" => &mut self.sort,
            _ => return None,
        })
    }

    pub fn get(&self, key: &str) -> &str {
        match key {
            "status" => &self.status,
            "severity" => &self.severity,
            "kind" => &self.kind,
            "role" => &self.role,
            "phase" => &self.phase,
            "assignee" => &self.assignee,
            "from" => &self.from,
            "to" => &self.to,
            "q" => &self.q,
            "sort" => &self.sort,
            _ => "",
        }
    }

    /// Sets one filter (trimmed); unknown keys are ignored.
    pub fn set(&mut self, key: &str, value: &str) {
        if let Some(slot) = self.slot(key) {
            *slot = value.trim().to_owned();
        }
    }

    /// From decoded `(key, value)` pairs, such as the page's query; unknown keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = InboxQuery::default();
        for (k, v) in pairs {
            q.set(k, v);
        }
        if q.sort == "newest" {
            q.sort.clear();
        }
        q
    }

    /// The filters that are set, as `(key, value)` pairs for the API.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        Self::KEYS.iter().filter(|k| !self.get(k).is_empty()).map(|k| (*k, self.get(k).to_owned())).collect()
    }

    /// The same filters with another status (empty: all), for the status counts' links.
    pub fn with_status(&self, status: &str) -> Self {
        InboxQuery { status: status.to_owned(), ..self.clone() }
    }

    /// True when any filter other than status and sort is set (the "more filters" panel opens).
    pub fn has_detail_filters(&self) -> bool {
        ["severity", "kind", "role", "phase", "assignee", "from", "to"].iter().any(|k| !self.get(k).is_empty())
    }

    /// The inbox URL with these filters, e.g. `/samordnare/inkorg?status=new&q=kniv`.
    pub fn url(&self, path: &str) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            return path.to_owned();
        }
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect();
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (UTF-8 bytes).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
