//! A small JSON reader and writer for the few fixed shapes the reporter's start bundle reads and
//! writes (the outbox, the receipts, the server's receipt, error envelope, answers and notices),
//! so that bundle carries no `serde_json` (about 40 KB of its wasm before wasm-opt). Not a general
//! JSON library: it checks that a text is JSON and hands out the raw text of an object's members
//! or an array's items, which the shape's own decoder (in [`wire`] or next to the shape) turns
//! into values. Every value it hands out has been checked against the JSON grammar (RFC 8259),
//! nested at most [`MAX_DEPTH`] deep. Pages outside the start bundle may still use `serde_json`;
//! the tests in [`wire`] prove both read and write the same forms.

pub mod wire;

/// How deeply arrays and objects may nest (serde_json's own limit is 128).
pub const MAX_DEPTH: usize = 64;

/// The members of a JSON object: each key (decoded) with its value's raw JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<'a>(Vec<(String, &'a str)>);

impl<'a> Object<'a> {
    /// The raw value of the first member called `key`.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// A member that must be a string.
    pub fn string(&self, key: &str) -> Option<String> {
        string(self.get(key)?)
    }

    /// A member that must be a whole number fitting `T`.
    pub fn number<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        number(self.get(key)?)
    }
}

/// `text` as an object (whitespace around it allowed), or `None` if it is anything else.
pub fn object(text: &str) -> Option<Object<'_>> {
    let mut s = Scan::new(text);
    let mut members = Vec::new();
    s.open(b'{')?;
    if !s.close(b'}') {
        loop {
            let key = string(s.raw_string()?)?;
            s.ws();
            s.expect(b':')?;
            members.push((key, s.raw_value(1)?));
            if s.close(b'}') {
                break;
            }
            s.expect(b',')?;
            s.ws();
        }
    }
    s.end()?;
    Some(Object(members))
}

/// `text` as an array: the raw text of each item, or `None` if it is not an array.
pub fn array(text: &str) -> Option<Vec<&str>> {
    let mut s = Scan::new(text);
    let mut items = Vec::new();
    s.open(b'[')?;
    if !s.close(b']') {
        loop {
            items.push(s.raw_value(1)?);
            if s.close(b']') {
                break;
            }
            s.expect(b',')?;
        }
    }
    s.end()?;
    Some(items)
}

/// `text` checked as one JSON value, without the whitespace around it.
pub fn value(text: &str) -> Option<&str> {
    let mut s = Scan::new(text);
    let raw = s.raw_value(0)?;
    s.end()?;
    Some(raw)
}

/// `text` as a string, decoded (escapes, surrogate pairs).
pub fn string(text: &str) -> Option<String> {
    let mut s = Scan::new(text);
    let raw = s.raw_string()?;
    s.end()?;
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw[1..raw.len() - 1].chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => {
                let high = hex4(&mut chars)?;
                if (0xDC00..0xE000).contains(&high) {
                    return None;
                }
                if (0xD800..0xDC00).contains(&high) {
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(high)?
                }
            }
            c => c, // `"`, `\` or `/`: the scan let no other through
        });
    }
    Some(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    (0..4).try_fold(0, |n, _| Some(n * 16 + chars.next()?.to_digit(16)?))
}

/// `text` as a whole number of type `T` (no fraction, no exponent, in range).
pub fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    let text = value(text)?;
    if text.starts_with('+') { None } else { text.parse().ok() }
}

/// Appends `s` as a JSON string (escaped as serde_json does: `"`, `\` and control characters).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes one object, member by member, in the order given.
pub struct ObjectWriter(String);

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter("{".into())
    }
}

impl ObjectWriter {
    /// A member whose value is already JSON text.
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        write_string(&mut self.0, key);
        self.0.push(':');
        self.0.push_str(json);
        self
    }

    pub fn string(self, key: &str, value: &str) -> Self {
        let mut json = String::new();
        write_string(&mut json, value);
        self.raw(key, &json)
    }

    pub fn number(self, key: &str, value: u64) -> Self {
        self.raw(key, &value.to_string())
    }

    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Items that are JSON text already, as one array.
pub fn write_array<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item.as_ref());
    }
    out.push(']');
    out
}

/// A cursor over the text that checks the grammar as it goes.
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan { text, at: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// Whitespace, then `open`, then whitespace.
    fn open(&mut self, open: u8) -> Option<()> {
        self.ws();
        self.expect(open)?;
        self.ws();
        Some(())
    }

    /// Whitespace, then `close` if it is next (taken).
    fn close(&mut self, close: u8) -> bool {
        self.ws();
        self.expect(close).is_some()
    }

    /// Nothing but whitespace left.
    fn end(&mut self) -> Option<()> {
        self.ws();
        (self.at == self.text.len()).then_some(())
    }

    fn digits(&mut self) -> usize {
        let from = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - from
    }

    /// One value (after whitespace), as its raw text; `depth` = how deep it sits.
    fn raw_value(&mut self, depth: usize) -> Option<&'a str> {
        self.ws();
        let from = self.at;
        match self.peek()? {
            b'"' => {
                self.raw_string()?;
            }
            open @ (b'[' | b'{') if depth < MAX_DEPTH => {
                let close = if open == b'[' { b']' } else { b'}' };
                self.at += 1;
                if !self.close(close) {
                    loop {
                        self.ws();
                        if open == b'{' {
                            self.raw_string()?;
                            self.ws();
                            self.expect(b':')?;
                        }
                        self.raw_value(depth + 1)?;
                        if self.close(close) {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let _ = self.expect(b'-');
                match self.peek()? {
                    b'0' => self.at += 1,
                    b'1'..=b'9' => {
                        self.digits();
                    }
                    _ => return None,
                }
                if self.expect(b'.').is_some() && self.digits() == 0 {
                    return None;
                }
                if matches!(self.peek(), Some(b'e' | b'E')) {
                    self.at += 1;
                    if matches!(self.peek(), Some(b'+' | b'-')) {
                        self.at += 1;
                    }
                    if self.digits() == 0 {
                        return None;
                    }
                }
            }
            _ => {
                let word = ["true", "false", "null"].into_iter().find(|w| self.text[from..].starts_with(w))?;
                self.at += word.len();
            }
        }
        Some(&self.text[from..self.at])
    }

    /// A string with its quotes, checked: no raw control characters, only known escapes.
    fn raw_string(&mut self) -> Option<&'a str> {
        let from = self.at;
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    self.at += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                        b'u' => {
                            let hex = self.text.as_bytes().get(self.at + 1..self.at + 5)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.at += 5;
                        }
                        _ => return None,
                    }
                }
                0..0x20 => return None,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        Some(&self.text[from..self.at])
    }
}

#[cfg(test)]
mod tests;
