//! CSV as spreadsheets read it: RFC 4180 quoting, and cells that a
//! spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage
//! return at the start) made inert with a leading apostrophe, so that a
//! practice titled `=HYPERLINK(…)` stays text on an editor's machine.

/// One cell, quoted when it must be.
pub fn cell(value: &str, out: &mut String) {
    let inert = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = inert || value.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if inert {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

/// The first line of a document: a UTF-8 byte-order mark, without which
/// Excel reads the file as the machine's legacy code page and garbles
/// every Arabic, Chinese, Russian and accented name, then the column names.
pub fn header<'a>(columns: impl IntoIterator<Item = &'a str>, out: &mut String) {
    out.push('\u{feff}');
    line(columns, out);
}

/// One line of cells, ended by CRLF as RFC 4180 asks.
pub fn line<'a>(cells: impl IntoIterator<Item = &'a str>, out: &mut String) {
    for (index, value) in cells.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        cell(value, out);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: &str) -> String {
        let mut out = String::new();
        cell(value, &mut out);
        out
    }

    #[test]
    fn plain_cells_stay_plain_and_others_are_quoted() {
        assert_eq!(one("CERT-FR"), "CERT-FR");
        assert_eq!(one("a, b"), "\"a, b\"");
        assert_eq!(one("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(one("two\nlines"), "\"two\nlines\"");
        assert_eq!(one("سلام"), "سلام");
    }

    #[test]
    fn formulas_are_made_inert() {
        assert_eq!(
            one("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(one("+1"), "\"'+1\"");
        assert_eq!(one("-1"), "\"'-1\"");
        assert_eq!(one("@SUM(A1)"), "\"'@SUM(A1)\"");
    }

    #[test]
    fn lines_end_with_crlf() {
        let mut out = String::new();
        line(["a", "b,c"], &mut out);
        assert_eq!(out, "a,\"b,c\"\r\n");
    }
}
