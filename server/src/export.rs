//! Export, import, backup and restore: the whole database, or one community,
//! as versioned JSON Lines (the format is described in docs/export-format.md).
//! Exports are written in version 2 (a line per domain record: a community,
//! an initiative, a support, …; the store's `export_v2` knows the key
//! layouts); imports read version 1 (tree names, hex keys) and version 2.
//!
//! An export is made from a [`Store::snapshot`], a consistent copy taken
//! while writes wait, so it can be taken from a running server (the admin
//! route `GET /api/v1/admin/export`, which `backup` calls). An import goes
//! only into an empty data directory and reproduces every record byte for
//! byte; the counts of the counted sets are rebuilt from their members.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::store::{self, Record, Snapshot, Store, StoreError, V2Record};

/// The `format` of the header line.
pub const FORMAT: &str = "mekaar-export";
/// The version this server writes.
pub const VERSION: u64 = 2;
/// The versions this server reads.
pub const READS: [u64; 2] = [1, 2];
/// The media type of an export over HTTP.
pub const MEDIA_TYPE: &str = "application/jsonl";

/// What an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every table and set: restores the server exactly.
    All,
    /// One community's records; no server-wide tables.
    Community(String),
}

impl Scope {
    fn to_json(&self) -> serde_json::Value {
        match self {
            Scope::All => serde_json::Value::from("all"),
            Scope::Community(slug) => serde_json::json!({ "community": slug }),
        }
    }

    fn from_json(value: &serde_json::Value) -> Option<Scope> {
        match value {
            serde_json::Value::String(s) if s == "all" => Some(Scope::All),
            serde_json::Value::Object(map) if map.len() == 1 => map
                .get("community")
                .and_then(|c| c.as_str())
                .map(|c| Scope::Community(c.to_string())),
            _ => None,
        }
    }

    /// Whether `record` belongs in an export of this scope.
    pub fn keeps(&self, record: Record<'_>) -> bool {
        match self {
            Scope::All => store::is_exported(record),
            Scope::Community(slug) => store::belongs_to_community(record, slug),
        }
    }
}

#[derive(Debug)]
pub enum ExportError {
    Io(String, std::io::Error),
    Store(StoreError),
    /// The file is not a valid export; `line` counts from 1.
    Format {
        line: u64,
        message: String,
    },
    /// The header names another format version.
    Version(String),
    /// Import goes only into an empty data directory.
    NotEmpty(PathBuf),
    /// Nothing to export by that name.
    NoSuchCommunity(String),
    /// The server refused or failed the backup request.
    Http(String),
    /// An import failed after it began writing into the directory.
    Partial(PathBuf, Box<ExportError>),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Io(what, err) => write!(f, "{what}: {err}"),
            ExportError::Store(err) => write!(f, "{err}"),
            ExportError::Format { line, message } => {
                write!(f, "not a valid Mekaar export (line {line}): {message}")
            }
            ExportError::Version(found) => write!(
                f,
                "this export has format version {found}; this server reads versions 1 and 2 only"
            ),
            ExportError::NotEmpty(dir) => write!(
                f,
                "the data directory {} is not empty; import and restore only into an empty or new directory (choose another with --data-dir)",
                dir.display()
            ),
            ExportError::NoSuchCommunity(slug) => write!(f, "there is no community `{slug}`"),
            ExportError::Http(message) => write!(f, "{message}"),
            ExportError::Partial(dir, cause) => write!(
                f,
                "{cause}; {} now holds part of the import: remove it before trying again",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<StoreError> for ExportError {
    fn from(err: StoreError) -> Self {
        ExportError::Store(err)
    }
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ExportError {
    let what = what.into();
    move |err| ExportError::Io(what, err)
}

fn bad(line: u64, message: impl Into<String>) -> ExportError {
    ExportError::Format {
        line,
        message: message.into(),
    }
}

/// A consistent copy of what `scope` exports.
pub fn snapshot(store: &Store, scope: &Scope) -> Result<Snapshot, ExportError> {
    if let Scope::Community(slug) = scope {
        if store.community_get(slug)?.is_none() {
            return Err(ExportError::NoSuchCommunity(slug.clone()));
        }
    }
    Ok(store.snapshot(&|record| scope.keeps(record))?)
}

/// Writes `snapshot` as an export of `scope` (format [`VERSION`]); returns
/// the number of records.
pub fn write_snapshot(
    snapshot: &Snapshot,
    scope: &Scope,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    write_snapshot_version(snapshot, scope, VERSION, out)
}

/// Writes `snapshot` in format `version` (1 or 2: version 1 is kept for
/// tests of old files and for tools that still need it).
pub fn write_snapshot_version(
    snapshot: &Snapshot,
    scope: &Scope,
    version: u64,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    if !READS.contains(&version) {
        return Err(ExportError::Version(version.to_string()));
    }
    // Stored values are compact JSON (serde_json never writes a raw line
    // break): each goes into its line as it is, byte for byte.
    for (table, entries) in &snapshot.tables {
        if entries
            .iter()
            .any(|(_, value)| value.contains(&b'\n') || value.contains(&b'\r'))
        {
            return Err(ExportError::Store(StoreError::Corrupt(format!(
                "a value in {} holds a line break",
                store::v1_table_name(*table)
            ))));
        }
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let records = write_lines(snapshot, scope, version, &mut out)
        .and_then(|records| out.flush().map(|()| records))
        .map_err(io("writing the export"))?;
    Ok(records)
}

fn write_lines(
    snapshot: &Snapshot,
    scope: &Scope,
    version: u64,
    out: &mut impl Write,
) -> std::io::Result<u64> {
    let header = serde_json::json!({
        "format": FORMAT,
        "version": version,
        "created_at": humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        "scope": scope.to_json(),
    });
    writeln!(out, "{header}")?;
    let records = if version == 1 {
        write_v1(snapshot, out)?
    } else {
        write_v2(snapshot, out)?
    };
    writeln!(out, "{{\"end\":{{\"records\":{records}}}}}")?;
    Ok(records)
}

/// Version 2: `{"kind":…, the key's parts…, "record": stored JSON}`.
fn write_v2(snapshot: &Snapshot, out: &mut impl Write) -> std::io::Result<u64> {
    let mut records = 0u64;
    let mut line = |line: store::V2Line<'_>| -> std::io::Result<()> {
        write!(out, "{{\"kind\":\"{}\"", line.kind)?;
        for (name, value) in &line.fields {
            write!(out, ",\"{name}\":{value}")?;
        }
        if let Some(record) = line.record {
            out.write_all(b",\"record\":")?;
            out.write_all(record)?;
        }
        out.write_all(b"}\n")?;
        records += 1;
        Ok(())
    };
    for (table, entries) in &snapshot.tables {
        for (key, value) in entries {
            let Some(v2) = store::table_line(*table, key, value) else {
                continue; // never exported (the snapshot holds none)
            };
            line(v2)?;
        }
    }
    for (set, members) in &snapshot.sets {
        for m in members {
            line(store::member_line(*set, &m.group, &m.member, &m.value))?;
        }
    }
    Ok(records)
}

/// Version 1: tree names and hex keys.
fn write_v1(snapshot: &Snapshot, out: &mut impl Write) -> std::io::Result<u64> {
    let mut records = 0u64;
    for (table, entries) in &snapshot.tables {
        for (key, value) in entries {
            write!(
                out,
                "{{\"table\":\"{}\",\"key\":\"{}\",\"value\":",
                store::v1_table_name(*table),
                hex::encode(key)
            )?;
            out.write_all(value)?;
            out.write_all(b"}\n")?;
            records += 1;
        }
    }
    for (set, members) in &snapshot.sets {
        for m in members {
            writeln!(
                out,
                "{{\"set\":\"{}\",\"group\":\"{}\",\"member\":\"{}\",\"value\":\"{}\"}}",
                store::v1_set_name(*set),
                hex::encode(&m.group),
                hex::encode(&m.member),
                hex::encode(&m.value)
            )?;
            records += 1;
        }
    }
    Ok(records)
}

/// Exports `scope` of `store` to `out`; returns the number of records.
pub fn export(store: &Store, scope: &Scope, out: &mut dyn Write) -> Result<u64, ExportError> {
    let snapshot = snapshot(store, scope)?;
    write_snapshot(&snapshot, scope, out)
}

/// What an export file holds (from its header and end line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub scope: Scope,
    pub created_at: String,
    pub records: u64,
    /// The format version of the file.
    pub version: u64,
}

/// One parsed line of an export.
enum Line<'a> {
    Header(Summary),
    /// A table or set record (of either version).
    Record(V2Record<'a>),
    End(u64),
}

impl Line<'_> {
    /// The record a table or set line holds.
    fn record(&self) -> Option<Record<'_>> {
        match self {
            Line::Record(record) => Some(record.record()),
            Line::Header(_) | Line::End(_) => None,
        }
    }
}

/// What importing does with each record read.
type ApplyRecord<'a> = &'a mut dyn FnMut(&Line<'_>) -> Result<(), ExportError>;

/// Reads an export from `input`, checking every line, and hands each record
/// to `apply` (when given). Returns the summary once the end line is read.
fn read_export(
    input: &mut dyn BufRead,
    mut apply: Option<ApplyRecord<'_>>,
) -> Result<Summary, ExportError> {
    let mut buffer = Vec::new();
    let mut number = 0u64;
    let mut summary: Option<Summary> = None;
    let mut records = 0u64;
    let mut ended = false;
    loop {
        buffer.clear();
        let read = input
            .read_until(b'\n', &mut buffer)
            .map_err(io("reading the export"))?;
        if read == 0 {
            break;
        }
        number += 1;
        let text = trim(&buffer);
        if text.is_empty() {
            continue;
        }
        if ended {
            return Err(bad(number, "lines after the end line"));
        }
        let line = parse_line(text, number, summary.as_ref().map(|s| s.version))?;
        match &line {
            Line::Header(header) => summary = Some(header.clone()),
            Line::End(count) => {
                if *count != records {
                    return Err(bad(
                        number,
                        format!("the end line says {count} records, the file holds {records}"),
                    ));
                }
                ended = true;
                continue;
            }
            Line::Record(_) => {
                records += 1;
                let scope = summary.as_ref().map(|s| &s.scope);
                if let (Some(scope @ Scope::Community(_)), Some(record)) = (scope, line.record()) {
                    if !scope.keeps(record) {
                        return Err(bad(number, "a record outside the exported community"));
                    }
                }
                if let Some(apply) = apply.as_mut() {
                    apply(&line)?;
                }
            }
        }
    }
    let Some(mut summary) = summary else {
        return Err(bad(1, "the file is empty"));
    };
    if !ended {
        return Err(bad(
            number,
            "the end line is missing: the file was cut short (an interrupted backup?)",
        ));
    }
    summary.records = records;
    Ok(summary)
}

/// Checks a whole export without importing it.
pub fn check(input: &mut dyn BufRead) -> Result<Summary, ExportError> {
    read_export(input, None)
}

/// Checks the export file at `path`.
pub fn check_file(path: &Path) -> Result<Summary, ExportError> {
    let file = std::fs::File::open(path).map_err(io(format!("opening {}", path.display())))?;
    check(&mut BufReader::new(file))
}

/// Imports an export into `store`, which must be empty. The caller checks
/// the input first ([`check`]) to keep a bad file from leaving half an import.
pub fn import_into(store: &Store, input: &mut dyn BufRead) -> Result<Summary, ExportError> {
    if !store.is_empty()? {
        return Err(ExportError::NotEmpty(PathBuf::from("(the open store)")));
    }
    let mut apply = |line: &Line<'_>| -> Result<(), ExportError> {
        match line {
            Line::Record(record) => store.import_record(record)?,
            Line::Header(_) | Line::End(_) => {}
        }
        Ok(())
    };
    let summary = read_export(input, Some(&mut apply))?;
    store.finish_import()?;
    Ok(summary)
}

/// Whether `dir` is absent or an empty directory.
fn is_empty_dir(dir: &Path) -> Result<bool, ExportError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(err) => Err(ExportError::Io(format!("reading {}", dir.display()), err)),
    }
}

/// Imports the export file `file` into the new data directory `data_dir`
/// (absent or empty; refused otherwise). The file is checked completely
/// before anything is written.
pub fn import(data_dir: &Path, file: &Path) -> Result<Summary, ExportError> {
    if !is_empty_dir(data_dir)? {
        return Err(ExportError::NotEmpty(data_dir.to_path_buf()));
    }
    check_file(file)?;
    let store = Store::open(data_dir)?;
    let input = std::fs::File::open(file).map_err(io(format!("opening {}", file.display())))?;
    let result = import_into(&store, &mut BufReader::new(input));
    store.close();
    result.map_err(|err| ExportError::Partial(data_dir.to_path_buf(), Box::new(err)))
}

/// `restore`: `from` is a backup file, or a backup directory whose newest
/// `mekaar-*.jsonl` is taken. Returns the file used and what it held.
pub fn restore(data_dir: &Path, from: &Path) -> Result<(PathBuf, Summary), ExportError> {
    let file = if from.is_dir() {
        newest_backup(from)?
    } else {
        from.to_path_buf()
    };
    let summary = import(data_dir, &file)?;
    Ok((file, summary))
}

fn newest_backup(dir: &Path) -> Result<PathBuf, ExportError> {
    let entries = std::fs::read_dir(dir).map_err(io(format!("reading {}", dir.display())))?;
    let mut newest: Option<String> = None;
    for entry in entries {
        let entry = entry.map_err(io(format!("reading {}", dir.display())))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("mekaar-")
            && name.ends_with(".jsonl")
            && newest.as_ref().is_none_or(|n| name > *n)
        {
            newest = Some(name);
        }
    }
    newest.map(|n| dir.join(n)).ok_or_else(|| {
        ExportError::Io(
            format!("restoring from {}", dir.display()),
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no mekaar-*.jsonl backup in it",
            ),
        )
    })
}

/// `backup`: fetches a consistent export from the running server at
/// `server_url` (server admin `token`) and writes it durably to
/// `DIR/mekaar-<UTC time>.jsonl`, checked completely before it gets its name.
pub async fn backup(server_url: &str, token: &str, dir: &Path) -> Result<PathBuf, ExportError> {
    std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    let url = format!("{}/api/v1/admin/export", server_url.trim_end_matches('/'));
    let client = reqwest::Client::builder()
        .build()
        .map_err(|e| ExportError::Http(format!("cannot make an HTTP client: {e}")))?;
    let mut response = client
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| ExportError::Http(format!("cannot reach {url}: {e}")))?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        let hint = if status.as_u16() == 401 {
            " (a server-wide admin token is needed: `mekaar-server admin-token`)"
        } else {
            ""
        };
        return Err(ExportError::Http(format!(
            "{url} answered {status}{hint}: {}",
            body.trim()
        )));
    }
    let stamp = file_stamp();
    let partial = dir.join(format!(".mekaar-{stamp}.jsonl.partial"));
    let mut file =
        std::fs::File::create(&partial).map_err(io(format!("creating {}", partial.display())))?;
    let written = async {
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ExportError::Http(format!("the export from {url} broke off: {e}")))?
        {
            file.write_all(&chunk)
                .map_err(io(format!("writing {}", partial.display())))?;
        }
        file.sync_all()
            .map_err(io(format!("syncing {}", partial.display())))?;
        check_file(&partial)
    }
    .await;
    if let Err(err) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(err);
    }
    let mut target = dir.join(format!("mekaar-{stamp}.jsonl"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!("mekaar-{stamp}-{n}.jsonl"));
    }
    std::fs::rename(&partial, &target).map_err(io(format!("naming {}", target.display())))?;
    // The new name is durable once the directory is synced.
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(format!("syncing {}", dir.display())))?;
    Ok(target)
}

/// `20261122T143005Z`: the current UTC time, sortable, fit for a file name.
fn file_stamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace(['-', ':'], "")
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// The members of a one-line JSON object, each value as its raw text (so a
/// stored record goes back byte for byte, whatever order serde_json's maps
/// would give it).
fn raw_fields(text: &[u8]) -> Option<Vec<(String, &[u8])>> {
    let mut rest = trim(text).strip_prefix(b"{")?;
    let mut fields = Vec::new();
    rest = trim(rest);
    if let Some(after) = rest.strip_prefix(b"}") {
        return trim(after).is_empty().then_some(fields);
    }
    loop {
        let (name, after) = next_value::<String>(rest)?;
        rest = trim(after).strip_prefix(b":")?;
        let (_, after) = next_value::<serde::de::IgnoredAny>(rest)?;
        let raw = trim(&rest[..rest.len() - after.len()]);
        fields.push((name, raw));
        rest = trim(after);
        if let Some(after) = rest.strip_prefix(b",") {
            rest = trim(after);
        } else {
            let after = rest.strip_prefix(b"}")?;
            return trim(after).is_empty().then_some(fields);
        }
    }
}

/// One JSON value from the start of `text` (after whitespace), and the rest.
fn next_value<T: serde::de::DeserializeOwned>(text: &[u8]) -> Option<(T, &[u8])> {
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<T>();
    let value = stream.next()?.ok()?;
    let end = stream.byte_offset();
    Some((value, &text[end..]))
}

/// One line; `version` is the header's, `None` before the header.
fn parse_line(text: &[u8], number: u64, version: Option<u64>) -> Result<Line<'_>, ExportError> {
    let fields = raw_fields(text).ok_or_else(|| bad(number, "not a JSON object on one line"))?;
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, raw)| *raw);
    let string = |name: &str| -> Result<String, ExportError> {
        let raw = field(name).ok_or_else(|| bad(number, format!("`{name}` is missing")))?;
        serde_json::from_slice(raw).map_err(|_| bad(number, format!("`{name}` is not a string")))
    };
    let hex = |name: &str| -> Result<Vec<u8>, ExportError> {
        hex::decode(string(name)?).map_err(|_| bad(number, format!("`{name}` is not hex")))
    };
    let known = |names: &[&str]| -> Result<(), ExportError> {
        match fields.iter().find(|(n, _)| !names.contains(&n.as_str())) {
            Some((n, _)) => Err(bad(number, format!("unknown field `{n}`"))),
            None => Ok(()),
        }
    };
    let Some(version) = version else {
        if field("format")
            .and_then(|f| serde_json::from_slice::<String>(f).ok())
            .as_deref()
            != Some(FORMAT)
        {
            return Err(bad(
                number,
                format!("the first line must be a header with \"format\":\"{FORMAT}\""),
            ));
        }
        let raw = field("version").unwrap_or(b"(none)");
        let Some(version) = READS.into_iter().find(|v| v.to_string().as_bytes() == raw) else {
            return Err(ExportError::Version(
                String::from_utf8_lossy(raw).into_owned(),
            ));
        };
        known(&["format", "version", "created_at", "scope"])?;
        let scope = field("scope")
            .and_then(|s| serde_json::from_slice::<serde_json::Value>(s).ok())
            .and_then(|s| Scope::from_json(&s))
            .ok_or_else(|| {
                bad(
                    number,
                    "`scope` must be \"all\" or {\"community\": \"slug\"}",
                )
            })?;
        return Ok(Line::Header(Summary {
            scope,
            created_at: string("created_at")?,
            records: 0,
            version,
        }));
    };
    if field("format").is_some() {
        return Err(bad(number, "a second header"));
    }
    if version == 2 {
        if field("end").is_none() {
            let kind = string("kind").map_err(|_| {
                bad(
                    number,
                    "neither a record (with a `kind` string) nor the end",
                )
            })?;
            return Ok(Line::Record(
                store::decode_line(&kind, &fields).map_err(|why| bad(number, why))?,
            ));
        }
    } else if let Some(name) = field("table") {
        known(&["table", "key", "value"])?;
        let name: String =
            serde_json::from_slice(name).map_err(|_| bad(number, "`table` is not a string"))?;
        let value = field("value").ok_or_else(|| bad(number, "`value` is missing"))?;
        let record = store::v1_table_record(&name, hex("key")?, value)
            .ok_or_else(|| bad(number, format!("unknown table `{name}`")))?;
        return Ok(Line::Record(record));
    }
    if version == 1 && field("set").is_some() {
        known(&["set", "group", "member", "value"])?;
        let name = string("set")?;
        let record = store::v1_member_record(&name, hex("group")?, hex("member")?, hex("value")?)
            .ok_or_else(|| bad(number, format!("unknown set `{name}`")))?;
        return Ok(Line::Record(record));
    }
    if let Some(end) = field("end") {
        known(&["end"])?;
        let records = serde_json::from_slice::<serde_json::Value>(end)
            .ok()
            .and_then(|e| e.get("records").and_then(|r| r.as_u64()))
            .ok_or_else(|| bad(number, "`end` must be {\"records\": N}"))?;
        return Ok(Line::End(records));
    }
    Err(bad(
        number,
        "neither a table record, a set member nor the end",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_fields_keep_values_byte_for_byte() {
        let line = br#"{"table":"polls", "key":"00ff","value":{"b":1,"a":[1.50,"x\ny"]} }"#;
        let fields = raw_fields(line).unwrap();
        assert_eq!(fields[0], ("table".to_string(), &br#""polls""#[..]));
        assert_eq!(fields[2].1, br#"{"b":1,"a":[1.50,"x\ny"]}"#);
        assert!(raw_fields(br#"{"a":1"#).is_none());
        assert!(raw_fields(br#"{"a":1} x"#).is_none());
    }

    #[test]
    fn a_cut_short_file_is_refused() {
        let text =
            "{\"format\":\"mekaar-export\",\"version\":1,\"created_at\":\"x\",\"scope\":\"all\"}\n\
                    {\"table\":\"communities\",\"key\":\"61\",\"value\":{}}\n";
        let err = check(&mut text.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("end line is missing"), "{err}");
        let ok = format!("{text}{{\"end\":{{\"records\":1}}}}\n");
        assert_eq!(check(&mut ok.as_bytes()).unwrap().records, 1);
        let wrong = format!("{text}{{\"end\":{{\"records\":2}}}}\n");
        assert!(check(&mut wrong.as_bytes()).is_err());
    }
}
