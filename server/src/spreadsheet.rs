//! CSV files as the people who receive them open them: in a spreadsheet.
//!
//! A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return,
//! which some programs skip before looking) is read as a formula by Excel,
//! LibreOffice and Google Sheets. Residents write titles and options, and
//! under post-moderation they reach the open-data file at once, so every cell
//! of every CSV the server writes gets OWASP's treatment: such a cell starts
//! with a `'`, which spreadsheets show as text and never evaluate.

use std::borrow::Cow;

use serde::Serialize;

use crate::errors::{ApiError, ApiResult};

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell that a spreadsheet shows and never evaluates.
pub fn inert_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Rows as CSV text with a header line (from the row type's field names),
/// every cell made inert.
pub fn csv_text<T: Serialize>(rows: impl IntoIterator<Item = T>) -> ApiResult<String> {
    let failed = |e: csv::Error| ApiError::internal(format!("CSV: {e}"));
    // Serialise first (the csv crate names the columns from the fields), then
    // treat each cell: no row type can forget a field.
    let mut plain = csv::Writer::from_writer(Vec::new());
    for row in rows {
        plain.serialize(row).map_err(failed)?;
    }
    let plain = plain
        .into_inner()
        .map_err(|e| ApiError::internal(format!("CSV: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(plain.as_slice());
    let mut inert = csv::Writer::from_writer(Vec::new());
    for record in reader.records() {
        let record = record.map_err(failed)?;
        inert
            .write_record(record.iter().map(inert_cell).map(|c| c.into_owned()))
            .map_err(failed)?;
    }
    let bytes = inert
        .into_inner()
        .map_err(|e| ApiError::internal(format!("CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ApiError::internal(format!("CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row<'a> {
        title: &'a str,
        count: u64,
    }

    #[test]
    fn formula_cells_become_text_and_others_stay_as_they_are() {
        let rows = [
            Row {
                title: "=HYPERLINK(\"http://evil.example\",\"klik\")",
                count: 1,
            },
            Row {
                title: "+31 6 1234",
                count: 2,
            },
            Row {
                title: "-1+1",
                count: 3,
            },
            Row {
                title: "@SUM(A1:A2)",
                count: 4,
            },
            Row {
                title: "\tverstopt",
                count: 5,
            },
            Row {
                title: "\r=1",
                count: 6,
            },
            Row {
                title: "Een AED bij de kerk, = gewoon",
                count: 7,
            },
        ];
        let text = csv_text(rows).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let titles: Vec<String> = reader
            .records()
            .map(|r| r.unwrap().get(0).unwrap().to_string())
            .collect();
        assert_eq!(
            titles,
            [
                "'=HYPERLINK(\"http://evil.example\",\"klik\")",
                "'+31 6 1234",
                "'-1+1",
                "'@SUM(A1:A2)",
                "'\tverstopt",
                "'\r=1",
                "Een AED bij de kerk, = gewoon",
            ]
        );
        assert!(text.starts_with("title,count\n"));
    }
}
