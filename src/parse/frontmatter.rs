//! Splitting a Markdown file into its YAML front matter and its body, and decoding
//! source bytes into text with a positioned error when they are not UTF-8.

use crate::diagnostics::Pos;

/// A Markdown file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences, if there was front matter.
    pub yaml: Option<&'a str>,
    /// The line of the file the YAML starts on (for positions).
    pub yaml_line: u32,
    pub body: &'a str,
    /// The line of the file the body starts on.
    pub body_line: u32,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SplitError {
    pub pos: Pos,
    pub message: &'static str,
    pub help: &'static str,
}

/// Front matter is the text between a first line of `---` and the next line of `---`.
/// A file that does not start with `---` has no front matter.
pub(crate) fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let mut offset = (first_end + 1).min(text.len());
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        if text[offset..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: Some(&text[first_end + 1..offset]),
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError {
        pos: Pos::START,
        message: "front matter is not closed",
        help: "front matter starts with a line `---` and must end with another line `---` before the Markdown body",
    })
}

/// Whether `c` is a control character that has no place in text: C0 controls other than
/// tab, line feed and carriage return, DEL and the C1 controls. A NUL or an escape byte
/// in a title would reach every page that shows it (and HTML forbids them).
pub(crate) fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// The control characters of `text` that have no place in it, with their byte offsets.
pub(crate) fn forbidden_controls(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices()
        .filter(|&(_, c)| is_forbidden_control(c))
}

/// Whether `c` is a bidirectional embedding, override or isolate (U+202A-U+202E,
/// U+2066-U+2069): invisible, they make text show in another order than it is written,
/// so what a reviewer reads in a pull request is not what readers of the site see
/// ("Trojan Source"). The marks U+200E and U+200F, which right-to-left text uses, are
/// not among them.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How a control character is named in messages: `U+0000`.
pub(crate) fn control_name(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Why a file's bytes are not text rungs reads: where the first byte that is not UTF-8
/// is, and whether the file looks like UTF-16 (what Windows tools often save as
/// "Unicode"), which is named so the fix is plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotUtf8 {
    pub pos: Pos,
    pub utf16: bool,
}

impl NotUtf8 {
    /// The message for a file described as `what` ("this file", "site.toml").
    pub(crate) fn message(&self, what: &str) -> String {
        if self.utf16 {
            format!("{what} is UTF-16 text, not UTF-8")
        } else {
            format!("{what} is not valid UTF-8")
        }
    }

    pub(crate) const HELP: &'static str = "save the file with UTF-8 encoding";
}

/// Whether bytes start like UTF-16: a byte-order mark, or two characters of ASCII text
/// each followed (or preceded) by a zero byte.
fn looks_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => true,
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] => a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0,
        _ => false,
    }
}

/// Decodes a file's bytes, pointing at the first byte that is not UTF-8.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    if looks_utf16(&bytes) {
        return Err(NotUtf8 {
            pos: Pos::new(1, 1),
            utf16: true,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Valid by construction: `valid` is a UTF-8 prefix.
        let column = std::str::from_utf8(&valid[line_start..])
            .map(|s| s.chars().count())
            .unwrap_or(0) as u32
            + 1;
        NotUtf8 {
            pos: Pos::new(line, column),
            utf16: false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_line_numbers() {
        let s = split("---\ntitle: x\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_fence_means_no_front_matter() {
        let s = split("# Title\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n---\n");
    }

    #[test]
    fn handles_crlf_and_bom() {
        let s = split("\u{feff}---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("title: x\r\n"));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let e = split("---\ntitle: x\n\n# Body\n").unwrap_err();
        assert_eq!(e.pos, Pos::START);
    }

    #[test]
    fn decode_points_at_the_first_bad_byte() {
        let e = decode(b"ok\nab\xffcd".to_vec()).unwrap_err();
        assert_eq!(e.pos, Pos::new(2, 3));
        assert!(!e.utf16);
    }

    #[test]
    fn utf16_is_named_with_or_without_its_byte_order_mark() {
        let le: Vec<u8> = "title: x\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "title: x\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for bytes in [
            [vec![0xFF, 0xFE], le.clone()].concat(),
            [vec![0xFE, 0xFF], be.clone()].concat(),
            le,
            be,
        ] {
            let e = decode(bytes).unwrap_err();
            assert!(e.utf16, "{e:?}");
            assert_eq!(
                e.message("this file"),
                "this file is UTF-16 text, not UTF-8"
            );
        }
        // Text that merely starts with a control character is not taken for UTF-16.
        assert!(decode(b"\0\0ab".to_vec()).is_ok());
    }
}
