//! The documents a municipality cites in its own paperwork (issue 14) stay true:
//! `docs/toegankelijkheid.md` and `docs/accessibility.md` (WCAG 2.1 A/AA, per criterion,
//! with the tests that show it) and `docs/privacy.md` and `docs/privacy.en.md` (what is
//! stored where). Every test they cite exists as a test function in the file they name;
//! both accessibility documents have one row for each of the 50 criteria, with the same
//! statuses; the storage keys the privacy documents name are the ones the widgets and the
//! console use, and nothing else is written to the browser's storage. Files only: no
//! server is started.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ACCESSIBILITY: [&str; 2] = ["docs/toegankelijkheid.md", "docs/accessibility.md"];
const PRIVACY: [&str; 2] = ["docs/privacy.md", "docs/privacy.en.md"];

/// Every success criterion of WCAG 2.1 at levels A and AA (EN 301 549 chapter 9).
const WCAG21_A_AA: [&str; 50] = [
    "1.1.1", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.3.1", "1.3.2", "1.3.3", "1.3.4",
    "1.3.5", "1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.4.5", "1.4.10", "1.4.11", "1.4.12", "1.4.13",
    "2.1.1", "2.1.2", "2.1.4", "2.2.1", "2.2.2", "2.3.1", "2.4.1", "2.4.2", "2.4.3", "2.4.4",
    "2.4.5", "2.4.6", "2.4.7", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "3.1.1", "3.1.2", "3.2.1",
    "3.2.2", "3.2.3", "3.2.4", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "4.1.1", "4.1.2", "4.1.3",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace above tests/")
        .to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `` `path/to/file.rs::name` `` in `text`.
fn cited_tests(text: &str) -> Vec<(String, String)> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|span| {
            let (file, name) = span.split_once(".rs::")?;
            let ident =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            (ident(name) && !file.contains(' ')).then(|| (format!("{file}.rs"), name.to_string()))
        })
        .collect()
}

/// Whether `source` has a function `name` marked as a test (`#[test]`, `#[tokio::test…]`).
fn has_test(source: &str, name: &str) -> bool {
    let lines: Vec<&str> = source.lines().collect();
    let head = |l: &str| {
        let l = l.trim_start();
        let l = l.strip_prefix("pub ").unwrap_or(l);
        l.strip_prefix("async ").unwrap_or(l).to_string()
    };
    let signature = format!("fn {name}(");
    lines.iter().enumerate().any(|(i, line)| {
        if !head(line).starts_with(&signature) {
            return false;
        }
        // The attributes (and doc comments) right above the function.
        lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim())
            .take_while(|l| l.starts_with("#[") || l.starts_with("//"))
            .any(|l| l.starts_with("#[") && (l.contains("test]") || l.contains("test(")))
    })
}

#[test]
fn every_test_the_documents_cite_exists() {
    let mut missing = Vec::new();
    for doc in ACCESSIBILITY.iter().chain(&PRIVACY) {
        let cited = cited_tests(&read(doc));
        // A document that cites nothing (or a parser that finds nothing) proves nothing.
        assert!(cited.len() >= 8, "{doc} cites only {} tests", cited.len());
        for (file, name) in cited {
            match std::fs::read_to_string(repo().join(&file)) {
                Ok(source) if has_test(&source, &name) => {}
                Ok(_) => missing.push(format!("{doc}: no test `{name}` in {file}")),
                Err(e) => missing.push(format!("{doc}: {file}: {e}")),
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn a_helper_function_or_a_renamed_test_does_not_count_as_a_cited_test() {
    let source = "/// Doc.\n#[tokio::test(flavor = \"multi_thread\")]\nasync fn a_real_one() {}\n\
                  #[test]\nfn another() {}\n/// Only a helper.\nfn helper() {}\n";
    assert!(has_test(source, "a_real_one"));
    assert!(has_test(source, "another"));
    assert!(!has_test(source, "helper"));
    assert!(!has_test(source, "a_real"));
    assert_eq!(
        cited_tests("see `a/b.rs::one_test`, `c.rs` and `x.rs::two` or `not a.rs::path here`"),
        vec![
            ("a/b.rs".to_string(), "one_test".to_string()),
            ("x.rs".to_string(), "two".to_string())
        ]
    );
}

/// The table rows of `doc`, by criterion: the cells after the name and the level.
fn criteria_rows(doc: &str) -> Vec<(String, Vec<String>)> {
    read(doc)
        .lines()
        .filter_map(|line| {
            let cells: Vec<String> = line
                .strip_prefix("| ")?
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect();
            let number = cells.first()?.split(' ').next()?.to_string();
            let is_criterion = number.split('.').count() == 3
                && number.split('.').all(|p| p.parse::<u8>().is_ok());
            is_criterion.then_some((number, cells))
        })
        .collect()
}

#[test]
fn both_accessibility_documents_cover_every_criterion_with_the_same_status() {
    let [nl, en] = ACCESSIBILITY.map(criteria_rows);
    for (doc, rows) in ACCESSIBILITY.iter().zip([&nl, &en]) {
        let numbers: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            numbers, WCAG21_A_AA,
            "{doc}: one row per criterion, in order"
        );
        for (number, cells) in rows.iter() {
            // criterion | level | W | P | C | how | test
            assert_eq!(cells.len(), 7, "{doc}, {number}: {cells:?}");
            assert!(
                matches!(cells[1].as_str(), "A" | "AA"),
                "{doc}, {number}: level {}",
                cells[1]
            );
            for status in &cells[2..5] {
                assert!(
                    ["✅", "—", "⚠️", "❔"].contains(&status.as_str()),
                    "{doc}, {number}: status {status:?}"
                );
            }
        }
    }
    for ((number, nl), (_, en)) in nl.iter().zip(&en) {
        assert_eq!(
            nl[1..5],
            en[1..5],
            "{number}: level and statuses differ between the Dutch and the English text"
        );
        let tests = |cells: &[String]| cited_tests(&cells[6]);
        assert_eq!(
            tests(nl),
            tests(en),
            "{number}: the two texts cite different tests"
        );
    }
}

/// `name: &str = "value"` in `source`.
fn string_const(source: &str, name: &str) -> String {
    let start = source
        .find(&format!("{name}: &str = \""))
        .unwrap_or_else(|| panic!("no constant {name}"));
    let rest = &source[start..];
    let value = &rest[rest.find('"').expect("a quote") + 1..];
    value[..value.find('"').expect("a closing quote")].to_string()
}

/// The first cells (`name`) of the rows of the tables that start with `| name |` in the
/// part of `text` before `until`.
fn storage_table_names(text: &str, until: &str) -> BTreeSet<String> {
    let part = &text[..text.find(until).unwrap_or_else(|| panic!("no {until:?}"))];
    part.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn the_privacy_documents_name_the_storage_the_code_uses() {
    let widgets_voter = read("widgets/src/voter.rs");
    let console_app = read("console/src/app.rs");
    let voter_key = string_const(&widgets_voter, "STORAGE_KEY");
    let console_lang = string_const(&console_app, "LANG_STORAGE_KEY");
    let session = mekaar_api::admin::SESSION_COOKIE;

    // The code writes the browser's storage under these keys only, and the widgets' requests
    // carry no cookies.
    let mut writes = Vec::new();
    for dir in ["widgets/src", "console/src", "console/src/screens"] {
        for entry in std::fs::read_dir(repo().join(dir)).expect(dir) {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("a source file");
                for line in source.lines().filter(|l| l.contains("set_item(")) {
                    writes.push(line.trim().to_string());
                }
                assert!(
                    !source.contains("set_cookie") && !source.contains(".cookie("),
                    "{}: writes a cookie from script",
                    path.display()
                );
            }
        }
    }
    writes.sort();
    assert_eq!(
        writes,
        [
            "let _ = s.set_item(STORAGE_KEY, &key);",
            "let _ = storage.set_item(LANG_STORAGE_KEY, lang.tag());",
        ],
        "the browser's storage is written in other places than the documents describe"
    );
    let api = read("widgets/src/api.rs");
    assert!(api.contains("set_credentials(RequestCredentials::Omit)"));
    assert_eq!(api.matches("RequestCredentials::").count(), 1, "Omit only");

    let expected: BTreeSet<String> = [voter_key.as_str(), session, console_lang.as_str()]
        .map(String::from)
        .into();
    for (doc, server_heading, cookie_heading) in [
        (
            PRIVACY[0],
            "## Op de server",
            "## Tekst voor de cookieverklaring",
        ),
        (
            PRIVACY[1],
            "## On the server",
            "## Text for the cookie statement",
        ),
    ] {
        let text = read(doc);
        assert_eq!(
            storage_table_names(&text, server_heading),
            expected,
            "{doc}: the device tables name other keys than the code uses"
        );
        // The statement to paste names the residents' key, and only that one.
        let statement = &text[text.find(cookie_heading).expect(cookie_heading)..];
        let pasted: BTreeSet<String> = statement
            .lines()
            .filter_map(|l| l.strip_prefix("> | `"))
            .filter_map(|l| l.split_once('`'))
            .map(|(name, _)| name.to_string())
            .collect();
        assert_eq!(pasted, BTreeSet::from([voter_key.clone()]), "{doc}");
        for key in &expected {
            assert!(text.contains(&format!("`{key}`")), "{doc} names `{key}`");
        }
    }
}
