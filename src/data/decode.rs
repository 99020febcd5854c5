//! Bytes to text. Excel in Dutch settings writes UTF-8 with a BOM ("CSV UTF-8"),
//! Windows-1252 ("CSV (gescheiden door lijstscheidingsteken)") or UTF-16 with a BOM
//! ("Unicode-tekst"); all three must load without configuration.

use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::diagnostic::Diagnostic;

/// Decodes `bytes`; `label` is the encoding named in the override sidecar, if any.
/// The returned text has no BOM and only `\n` line ends, so line numbers match what an
/// editor shows for the original file.
pub(super) fn decode(
    bytes: &[u8],
    label: Option<&str>,
    source: &Path,
) -> Result<String, Diagnostic> {
    let sidecar = super::sidecar_path(source);
    let text = match label {
        Some(label) => {
            // The sidecar already validated the label. A byte-order mark is written by
            // the program that made the file, so it beats a label copied from elsewhere.
            let (bytes, enc) = match Encoding::for_bom(bytes) {
                Some((bom_enc, len)) => (&bytes[len..], bom_enc),
                None => (
                    bytes,
                    Encoding::for_label(label.as_bytes()).unwrap_or(UTF_8),
                ),
            };
            match enc.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(t) => t.into_owned(),
                None => {
                    let (line, col) = first_bad_position(bytes, enc);
                    return Err(Diagnostic::new(
                        source,
                        line,
                        col,
                        format!("this file is not valid {} text", enc.name()),
                    )
                    .with_hint(format!(
                        "check `encoding:` in {sidecar}, or save the file again as \"CSV UTF-8\""
                    )));
                }
            }
        }
        None => sniff(bytes, source, &sidecar)?,
    };
    Ok(normalize_newlines(text))
}

fn sniff(bytes: &[u8], source: &Path, sidecar: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(
            Diagnostic::file(source, "this is an Excel workbook, not a CSV text file").with_hint(
                "open it in Excel and use Save As > \"CSV UTF-8 (door komma's gescheiden)\"",
            ),
        );
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let body = &bytes[len..];
        return enc
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned())
            .ok_or_else(|| {
                let (line, col) = first_bad_position(body, enc);
                Diagnostic::new(
                    source,
                    line,
                    col,
                    format!(
                        "the file starts with a {} byte-order mark but is not valid {} text",
                        enc.name(),
                        enc.name()
                    ),
                )
                .with_hint("save the file again from Excel as \"CSV UTF-8\"")
            });
    }
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        let (line, col) = position(&bytes[..i]);
        return Err(Diagnostic::new(source, line, col, "this is not a text file, or it is UTF-16 without a byte-order mark")
            .with_hint(format!("save it as \"CSV UTF-8\", or name the encoding in {sidecar}, e.g. `encoding: utf-16le`")));
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Ok(t.to_string());
    }
    // Not UTF-8: Excel's legacy "CSV" in Dutch settings is Windows-1252. Bytes that are
    // unassigned there (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean it is something else.
    if let Some(i) = bytes
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        let (line, col) = position(&bytes[..i]);
        return Err(Diagnostic::new(source, line, col, format!("cannot tell the encoding: byte 0x{:02X} is neither UTF-8 nor Windows-1252", bytes[i]))
            .with_hint(format!("save the file as \"CSV UTF-8\", or name its encoding in {sidecar}, e.g. `encoding: macintosh`")));
    }
    Ok(WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned())
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    // CRLF from Windows, and lone CR from old Mac exports, both end a line.
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// 1-based line and column just after `prefix`, counting characters of the valid prefix.
fn position(prefix: &[u8]) -> (usize, usize) {
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

fn first_bad_position(bytes: &[u8], enc: &'static Encoding) -> (usize, usize) {
    if enc == UTF_8 {
        if let Err(e) = std::str::from_utf8(bytes) {
            return position(&bytes[..e.valid_up_to()]);
        }
    }
    (0, 0)
}
