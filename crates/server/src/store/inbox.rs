//! The coordinators' inbox: filtered, sorted, keyset-paginated lists and counts per status.
//! One query builder serves both backends (sqlx writes the right placeholders for each).

use super::{Db, on_db};
use sqlx::{FromRow, QueryBuilder};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    Nobody,
    User(Uuid),
}

/// What to show. Every filter is optional; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub kind: Option<&'static str>,
    pub role: Option<&'static str>,
    pub phase: Option<&'static str>,
    pub assignee: Option<Assignee>,
    /// Received at or after (Unix ms).
    pub from_ms: Option<i64>,
    /// Received before (Unix ms).
    pub to_ms: Option<i64>,
    /// Case-insensitive words that must all appear in the description or place.
    pub text: Option<String>,
    pub oldest_first: bool,
}

/// One row of the inbox.
#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub seq: i64,
    pub id: Uuid,
    pub received_at: i64,
    pub occurred_at: i64,
    pub kind: String,
    pub channel: String,
    pub role: String,
    pub phase: Option<String>,
    pub identity: String,
    /// The description's first [`EXCERPT_CHARS`] + 1 characters (one more, to tell a cut).
    /// The list carries no name and no place: only a full read, which is logged, shows them.
    pub excerpt: String,
    pub status: String,
    pub severity: Option<String>,
    pub assignee_id: Option<Uuid>,
    /// New to this coordinator, or the reporter wrote since they last opened it.
    pub unread: bool,
}

/// How much of a description an inbox row carries, in characters.
pub const EXCERPT_CHARS: usize = 120;

/// The search words of a free-text query: runs of letters and digits, lower-cased, at most 8.
/// Everything else (punctuation, operators, quotes) only separates words, so a query can never
/// be read as search syntax.
pub fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(8).map(str::to_lowercase).collect()
}

/// An FTS5 query: every word must appear, each as a word prefix (`"kniv"*` finds "kniven").
fn fts5_query(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
}

/// A PostgreSQL `to_tsquery`: every word, each as a prefix.
fn tsquery(words: &[String]) -> String {
    words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ")
}

macro_rules! push_filters {
    ($qb:expr, $f:expr, $skip_status:expr, $pg:expr, $fts_joined:expr) => {{
        let f: &Filter = $f;
        $qb.push(" WHERE 1 = 1");
        let eq = [
            ("status", if $skip_status { None } else { f.status }),
            ("severity", f.severity),
            ("kind", f.kind),
            ("role", f.role),
            ("phase", f.phase),
        ];
        for (col, v) in eq {
            if let Some(v) = v {
                $qb.push(format!(" AND r.{col} = ")).push_bind(v);
            }
        }
        match f.assignee {
            Some(Assignee::Nobody) => {
                $qb.push(" AND r.assignee_id IS NULL");
            }
            Some(Assignee::User(u)) => {
                $qb.push(" AND r.assignee_id = ").push_bind(u);
            }
            None => {}
        }
        if let Some(t) = f.from_ms {
            $qb.push(" AND r.received_at >= ").push_bind(t);
        }
        if let Some(t) = f.to_ms {
            $qb.push(" AND r.received_at < ").push_bind(t);
        }
        if let Some(text) = &f.text {
            let words = search_words(text);
            if words.is_empty() {
                // Text with nothing searchable in it matches nothing (rather than everything).
                $qb.push(" AND 1 = 0");
            } else if $pg {
                $qb.push(" AND r.search @@ to_tsquery('simple', ").push_bind(tsquery(&words)).push(")");
            } else if $fts_joined {
                $qb.push(" AND reports_fts MATCH ").push_bind(fts5_query(&words));
            } else {
                $qb.push(" AND r.seq IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ")
                    .push_bind(fts5_query(&words))
                    .push(")");
            }
        }
    }};
}

/// How many of the newest reports a PostgreSQL text search reads before it asks the index.
const SEARCH_WINDOW: i64 = 5_000;

/// How a page is read.
#[derive(Clone, Copy)]
enum Plan {
    /// The reports table, with the filters.
    Plain,
    /// SQLite: driven by the FTS index (rowid = seq).
    FtsJoin,
    /// Only the newest (or, oldest first, the oldest) `n` reports past the cursor.
    Window(i64),
}

/// The SELECT of one inbox page, for either backend.
fn select_page<'a, DB>(
    f: &'a Filter,
    user: Uuid,
    cursor: Option<i64>,
    limit: i64,
    plan: Plan,
    is_pg: bool,
) -> QueryBuilder<'a, DB>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let fts_joined = matches!(plan, Plan::FtsJoin);
    let order_col = if fts_joined { "reports_fts.rowid" } else { "r.seq" };
    let (cmp, dir) = if f.oldest_first { (">", "ASC") } else { ("<", "DESC") };
    let mut qb = QueryBuilder::new(
        "SELECT r.seq, r.id, r.received_at, r.occurred_at, r.kind, r.channel, r.role, r.phase, r.identity,
         SUBSTR(r.description, 1, 121) AS excerpt, r.status, r.severity, r.assignee_id,
         (rr.read_at IS NULL OR COALESCE(r.last_reporter_at, 0) > rr.read_at) AS unread FROM ",
    );
    match plan {
        Plan::Plain => {
            qb.push("reports r");
        }
        Plan::FtsJoin => {
            qb.push("reports_fts JOIN reports r ON r.seq = reports_fts.rowid");
        }
        Plan::Window(n) => {
            qb.push("(SELECT * FROM reports");
            if let Some(c) = cursor {
                qb.push(format!(" WHERE seq {cmp} ")).push_bind(c);
            }
            qb.push(format!(" ORDER BY seq {dir} LIMIT ")).push_bind(n).push(") r");
        }
    }
    qb.push(" LEFT JOIN report_reads rr ON rr.report_id = r.id AND rr.user_id = ");
    qb.push_bind(user);
    push_filters!(qb, f, false, is_pg, fts_joined);
    if let Some(c) = cursor {
        qb.push(format!(" AND {order_col} {cmp} ")).push_bind(c);
    }
    qb.push(format!(" ORDER BY {order_col} {dir}"));
    qb.push(" LIMIT ").push_bind(limit);
    qb
}

impl Db {
    /// One page of the inbox for `user`; `cursor` is the `seq` of the previous page's last row.
    pub async fn inbox(
        &self,
        f: &Filter,
        user: Uuid,
        cursor: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Row>, sqlx::Error> {
        let searching = f.text.as_deref().is_some_and(|t| !search_words(t).is_empty());
        let Db::Postgres(pool) = self else {
            // SQLite: a text search walks the FTS index newest first (its rowid is the
            // report's seq) and stops at the page's end, instead of collecting every match.
            return self.inbox_query(f, user, cursor, limit, if searching { Plan::FtsJoin } else { Plan::Plain }).await;
        };
        if !searching {
            return self.inbox_query(f, user, cursor, limit, Plan::Plain).await;
        }
        // PostgreSQL cannot estimate how many rows a prefix search matches, so it may walk the
        // whole table for a rare word, or build a huge bitmap for common ones. Decide by data
        // instead: look among the newest WINDOW rows first; a full page there is the answer.
        // Fewer matches mean the words are rare, and then the GIN index is the fast way.
        let page = self.inbox_query(f, user, cursor, limit, Plan::Window(SEARCH_WINDOW)).await?;
        if page.len() as i64 >= limit {
            return Ok(page);
        }
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL enable_indexscan = off").execute(&mut *tx).await?;
        sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut *tx).await?;
        let mut qb = select_page(f, user, cursor, limit, Plan::Plain, true);
        let rows = qb.build_query_as::<Row>().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    async fn inbox_query(
        &self,
        f: &Filter,
        user: Uuid,
        cursor: Option<i64>,
        limit: i64,
        plan: Plan,
    ) -> Result<Vec<Row>, sqlx::Error> {
        let is_pg = matches!(self, Db::Postgres(_));
        on_db!(self, |pool| {
            let mut qb = select_page(f, user, cursor, limit, plan, is_pg);
            qb.build_query_as::<Row>().fetch_all(pool).await
        })
    }

    /// How many reports match `f` in each status (the status filter itself is ignored), each
    /// count stopping at `cap`: an inbox needs "12 new" exactly, not whether 40,000 or 400,000
    /// closed reports match, and counting every closed report of a decade costs a full scan.
    pub async fn status_counts(&self, f: &Filter, cap: i64) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
        let is_pg = matches!(self, Db::Postgres(_));
        let mut out = Vec::with_capacity(3);
        for status in ["new", "in_progress", "closed"] {
            let n: i64 = on_db!(self, |pool| {
                let mut qb = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM reports r");
                push_filters!(qb, f, true, is_pg, false);
                qb.push(" AND r.status = ").push_bind(status);
                qb.push(" LIMIT ").push_bind(cap).push(") AS matching");
                qb.build_query_scalar().fetch_one(pool).await
            })?;
            out.push((status, n));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{fts5_query, search_words, tsquery};

    #[test]
    fn search_words_are_letters_and_digits_only_so_no_query_syntax_gets_through() {
        assert_eq!(search_words("Kniv  HÄMTNING"), ["kniv", "hämtning"]);
        assert_eq!(search_words("100% \"a\" OR b* -c:d"), ["100", "a", "or", "b", "c", "d"]);
        assert!(search_words("%% ** ()").is_empty());
        assert_eq!(search_words("a b c d e f g h i j").len(), 8);
        let w = search_words("kniv storgatan");
        assert_eq!(fts5_query(&w), "\"kniv\"* \"storgatan\"*");
        assert_eq!(tsquery(&w), "kniv:* & storgatan:*");
    }
}
