//! Small helpers for site paths and addresses, shared by every stage (a leaf: it uses no
//! other module of bundel).

use std::path::Path;

/// Decodes `%xx` escapes (`a%20b` -> `a b`); invalid sequences stay as they are, and bytes
/// that are not UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A relative path as a site path, with `/` between its parts on every system.
pub fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_keeps_invalid_ones() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("caf%C3%A9%zz"), "café%zz");
        assert_eq!(slash(Path::new("a/./b/c.md")), "a/b/c.md");
    }
}
