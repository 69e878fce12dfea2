//! The reader against the JSON grammar and hostile input, checked against `serde_json` as the
//! reference: what one accepts, the other accepts, with the same strings and numbers.

use super::*;

/// Texts both must accept, with what `serde_json` reads from them.
const GOOD: &[&str] = &[
    r#"{}"#,
    r#"[]"#,
    r#" { "a" : [ 1 , -2.5e+3 , 0.0 , true , false , null ] , "b" : { } } "#,
    r#""plain""#,
    r#""\"\\\/\b\f\n\r\t\u00e5\u00E5""#,
    r#""\ud83d\ude00 and 😀 and å""#,
    r#"[[[[]]]]"#,
    r#"{"a":1,"a":2}"#,
    "0",
    "-0",
    "1E2",
    "[\"\u{7f}\"]",
];

/// Texts both must refuse.
const BAD: &[&str] = &[
    "",
    " ",
    "{",
    "}",
    "[1,]",
    "[,1]",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{a:1}",
    "{'a':1}",
    "[01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[+1]",
    "[-]",
    "[NaN]",
    "[Infinity]",
    "[tru]",
    "[nul]",
    "[true false]",
    "\"unterminated",
    "\"bad escape \\x\"",
    "\"short \\u12\"",
    "\"raw\ncontrol\"",
    "\"raw\ttab\"",
    "[1] [2]",
    "{} x",
    "<html>",
];

#[test]
fn what_serde_json_accepts_this_reader_accepts_and_the_reverse() {
    for text in GOOD {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "serde refuses {text}");
        assert_eq!(value(text), Some(text.trim()), "{text}");
    }
    for text in BAD {
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde takes {text}");
        assert_eq!(value(text), None, "{text}");
    }
}

#[test]
fn strings_decode_as_serde_json_decodes_them() {
    for text in GOOD.iter().filter(|t| t.starts_with('"')).chain(&[r#""""#, r#""\u0000""#]) {
        assert_eq!(string(text), serde_json::from_str::<String>(text).ok(), "{text}");
    }
    // A lone surrogate passes the grammar but is no text: refused where it is decoded.
    for text in [r#""lone high \ud83d""#, r#""lone low \ude00""#, r#""high then text \ud83dx""#, r#""\ud83d\u0041""#] {
        assert!(serde_json::from_str::<String>(text).is_err(), "serde takes {text}");
        assert_eq!(string(text), None, "{text}");
    }
    assert_eq!(string("7"), None);
    assert_eq!(string("null"), None);
}

#[test]
fn written_strings_are_what_serde_json_writes() {
    for s in ["", "plain", "\"quoted\" \\ back", "line\nbreak\r\t\u{8}\u{c}", "\u{0}\u{1f}\u{7f}", "å 😀 </script>"]
    {
        let mut out = String::new();
        write_string(&mut out, s);
        assert_eq!(out, serde_json::to_string(s).unwrap());
        assert_eq!(string(&out).as_deref(), Some(s));
    }
}

#[test]
fn whole_numbers_must_fit_their_type() {
    assert_eq!(number::<u64>("18446744073709551615"), Some(u64::MAX));
    assert_eq!(number::<u64>("18446744073709551616"), None);
    assert_eq!(number::<u64>("-1"), None);
    assert_eq!(number::<u64>("1.0"), None);
    assert_eq!(number::<u64>("1e3"), None);
    assert_eq!(number::<u64>(" 42 "), Some(42));
    assert_eq!(number::<u16>("70000"), None);
    assert_eq!(number::<i64>("-7"), Some(-7));
    assert_eq!(number::<u64>("\"7\""), None);
    assert_eq!(number::<u64>("+7"), None);
}

#[test]
fn objects_and_arrays_hand_out_raw_members() {
    let o = object(r#" {"a": [1, {"b": "}"}] , "s":"x\"y", "n": null} "#).unwrap();
    assert_eq!(o.get("a"), Some(r#"[1, {"b": "}"}]"#));
    assert_eq!(o.string("s").as_deref(), Some("x\"y"));
    assert_eq!(o.get("n"), Some("null"));
    assert_eq!(o.get("missing"), None);
    assert_eq!(array(r#"[ 1 ,"two", [3] ]"#), Some(vec!["1", "\"two\"", "[3]"]));
    assert_eq!(array("{}"), None);
    assert_eq!(object("[]"), None);
    assert_eq!(object(r#"{"a":1"#), None);
    assert_eq!(array(r#"[1,{"a":}]"#), None, "a broken item spoils the array");
}

#[test]
fn nesting_is_limited_and_deep_input_does_not_overflow_the_stack() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(value(&ok).is_some());
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(value(&deep), None);
    let hostile = "[".repeat(1_000_000);
    assert_eq!(value(&hostile), None);
    assert_eq!(array(&format!("[{}]", "{\"a\":".repeat(100_000))), None);
}

#[test]
fn the_writers_write_json_that_reads_back() {
    let json = ObjectWriter::default().string("k", "v\"").number("n", u64::MAX).raw("r", "[1,null]").finish();
    assert_eq!(json, r#"{"k":"v\"","n":18446744073709551615,"r":[1,null]}"#);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    assert_eq!(ObjectWriter::default().finish(), "{}");
    assert_eq!(write_array(["1", "{}"]), "[1,{}]");
    assert_eq!(write_array(Vec::<String>::new()), "[]");
}
