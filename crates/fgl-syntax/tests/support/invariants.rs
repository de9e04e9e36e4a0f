//! Well-formedness checks shared by the robustness tests and the fuzz target (which includes this
//! file by path).

use fgl_syntax::{FileId, Span};

/// Checks a span against the source: within it, on character boundaries, in file 0.
pub fn check_span(source: &str, span: Span, what: &str) -> Result<(), String> {
    let (start, end) = (span.start as usize, span.end as usize);
    if span.file != FileId(0) {
        return Err(format!("{what}: span {span:?} is in another file"));
    }
    if !(start <= end && end <= source.len()) {
        return Err(format!(
            "{what}: span {start}..{end} is inverted or outside the source (len {})",
            source.len()
        ));
    }
    if !source.is_char_boundary(start) || !source.is_char_boundary(end) {
        return Err(format!("{what}: span {start}..{end} splits a character"));
    }
    Ok(())
}

/// Whether the S-expression has an `(error)` node. String literals are skipped: they are
/// rendered with `{:?}` (so quotes inside are escaped) and their text may spell "(error)".
pub fn has_error_node(sexp: &str) -> bool {
    let bytes = sexp.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'(' if !in_string && bytes[i..].starts_with(b"(error)") => return true,
            _ => {}
        }
        i += 1;
    }
    false
}
