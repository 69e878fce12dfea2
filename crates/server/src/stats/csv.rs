//! CSV for spreadsheets: `;`-separated (what Swedish Excel expects), CRLF line ends, a UTF-8 BOM
//! first so Excel reads å, ä and ö right, and every cell that a spreadsheet could run as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) neutralised with a leading `'`.
//! A cell holding `;`, `"`, a line break or leading/trailing space is quoted, `"` doubled.

/// The byte-order mark that opens every file.
pub const BOM: &str = "\u{feff}";

/// A CSV document being written.
#[derive(Debug, Clone)]
pub struct Csv {
    out: String,
}

impl Default for Csv {
    fn default() -> Self {
        Csv { out: BOM.to_owned() }
    }
}

/// One cell as written (neutralised, then quoted when needed).
pub fn cell(raw: &str) -> String {
    let guarded = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{raw}") } else { raw.to_owned() };
    let needs_quotes = guarded.contains([';', '"', '\n', '\r', ',']) || guarded.trim() != guarded;
    if needs_quotes { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

impl Csv {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one row.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        let line: Vec<String> = cells.into_iter().map(|c| cell(c.as_ref())).collect();
        self.out.push_str(&line.join(";"));
        self.out.push_str("\r\n");
        self
    }

    /// Appends an empty line (between two tables of one file).
    pub fn blank(&mut self) -> &mut Self {
        self.out.push_str("\r\n");
        self
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_opens_with_the_bom_and_separates_cells_with_semicolons() {
        let mut c = Csv::new();
        c.row(["vecka", "antal"]).row(["2026-W05", "3"]);
        assert_eq!(c.finish(), "\u{feff}vecka;antal\r\n2026-W05;3\r\n");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(cell("+46701234567"), "'+46701234567");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tcmd"), "'\tcmd");
        assert_eq!(cell("\r=1"), "\"'\r=1\"");
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("12"), "12");
    }

    #[test]
    fn separators_quotes_and_line_breaks_inside_a_cell_are_quoted() {
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("säger \"hej\""), "\"säger \"\"hej\"\"\"");
        assert_eq!(cell("rad\nrad"), "\"rad\nrad\"");
        assert_eq!(cell(" kant"), "\" kant\"");
        assert_eq!(cell("Åre, Östersund"), "\"Åre, Östersund\"");
    }
}
