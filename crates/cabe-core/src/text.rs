//! Text from outside (a file's metadata, a server's reply) as an error message shows it.

/// `s` on one line — control characters escaped as Rust writes them (`\n`) — and at most
/// `max` characters, `…` marking a cut. A file or a server may put anything in a name or an
/// error field, and cabe's errors are one line.
pub fn shown(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().take(max) {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn control_characters_are_escaped_and_long_text_cut() {
        assert_eq!(shown("qwen3moe", 80), "qwen3moe");
        assert_eq!(shown("q\nLicense\r\t\u{1b}", 80), r"q\nLicense\r\t\u{1b}");
        assert_eq!(shown("número", 80), "número");
        assert_eq!(shown(&"a".repeat(100), 80), format!("{}…", "a".repeat(80)));
        assert_eq!(shown(&"a".repeat(80), 80), "a".repeat(80));
    }
}
