//! BIND zone-file rendering (RFC 1035 §5.1 master-file syntax).

use std::fmt::Write as _;

use super::{RecordData, RequiredRecord, RequiredRecords};

/// The most bytes one TXT character-string holds (RFC 1035 §3.3.14: a length octet).
pub const MAX_TXT_STRING_BYTES: usize = 255;

/// A TXT record's text as zone-file RDATA: quoted character-strings of at most 255 bytes
/// each, separated by spaces (RFC 1035 §3.3.14, §5.1).
///
/// Inside the quotes `"` and `\` are escaped with a backslash, and every byte outside
/// printable ASCII (controls, DEL, the bytes of non-ASCII characters) is written `\DDD` in
/// decimal, so the output is one line of printable ASCII whatever the text. A split may fall
/// inside a multi-byte character: DNS strings are bytes, and joining them gives the text
/// back. An empty text is one empty string, `""`.
///
/// ```
/// use workmail_org::dns::quoted_txt;
///
/// assert_eq!(quoted_txt("v=spf1 include:amazonses.com ~all"), "\"v=spf1 include:amazonses.com ~all\"");
/// assert_eq!(quoted_txt("say \"hi\""), r#""say \"hi\"""#);
/// let long = "a".repeat(300);
/// assert_eq!(quoted_txt(&long), format!("\"{}\" \"{}\"", "a".repeat(255), "a".repeat(45)));
/// ```
pub fn quoted_txt(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_quoted_txt(&mut out, text);
    out
}

fn write_quoted_txt(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        out.push_str("\"\"");
        return;
    }
    for (index, chunk) in bytes.chunks(MAX_TXT_STRING_BYTES).enumerate() {
        if index > 0 {
            out.push(' ');
        }
        out.push('"');
        for &byte in chunk {
            match byte {
                b'"' | b'\\' => {
                    out.push('\\');
                    out.push(char::from(byte));
                }
                0x20..=0x7e => out.push(char::from(byte)),
                _ => {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\{byte:03}");
                }
            }
        }
        out.push('"');
    }
}

/// Appends `NAME. TTL IN TYPE DATA` (no newline).
pub(crate) fn write_line(out: &mut String, record: &RequiredRecord) {
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{}. {} IN {} ",
        record.host(),
        record.ttl(),
        record.kind()
    );
    match record.data() {
        RecordData::Txt(text) => write_quoted_txt(out, text),
        RecordData::Mx {
            preference,
            exchange,
        } => {
            let _ = write!(out, "{preference} {exchange}.");
        }
        RecordData::Cname(target) => {
            let _ = write!(out, "{target}.");
        }
    }
}

/// The whole set as zone-file text, one comment and one line per record.
pub(crate) fn snippet(records: &RequiredRecords) -> String {
    let mut out = String::with_capacity(128 * (records.len() + 1));
    let _ = writeln!(
        out,
        "; Amazon WorkMail records for {} in {}",
        records.domain(),
        records.region()
    );
    for record in records {
        let purpose = record.purpose();
        let _ = writeln!(out, "; {purpose}: {}", purpose.description());
        write_line(&mut out, record);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_non_printable_bytes() {
        assert_eq!(quoted_txt("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quoted_txt("tab\there"), r#""tab\009here""#);
        assert_eq!(quoted_txt("é"), r#""\195\169""#);
        assert_eq!(quoted_txt(""), "\"\"");
        assert_eq!(quoted_txt("; ( )"), "\"; ( )\"");
    }

    #[test]
    fn splits_at_255_bytes_counting_escaped_bytes_once() {
        let text = "\"".repeat(256);
        let out = quoted_txt(&text);
        let expected = format!("\"{}\" \"\\\"\"", "\\\"".repeat(255));
        assert_eq!(out, expected);
        assert_eq!(
            quoted_txt(&"x".repeat(255)),
            format!("\"{}\"", "x".repeat(255))
        );
        assert_eq!(quoted_txt(&"x".repeat(510)).matches('"').count(), 4);
    }
}
