//! Export format version 2: every stored record as a domain record (a
//! community, an initiative, a support, a vote, …) with the parts of its key
//! as named fields, instead of a sled tree name and a hex key.
//!
//! The store is the one place that knows the byte layout of keys, so the
//! mapping lives here: [`table_line`] and [`member_line`] decode a record's
//! key (and a set member's value) into named fields, [`decode_line`] encodes
//! them back. Every kind gives back exactly the stored bytes: a record whose
//! key or value does not follow its kind's layout (data from an older
//! version) keeps the unfitting part as hex (`key_hex`, `group_hex` and
//! `member_hex`, `value_hex`), so nothing is ever lost or changed.
//! `export.rs` writes and reads the lines (docs/export-format.md).

use serde_json::Value;

use super::{CountedSet, Record, Table};

/// One part of a key.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// UTF-8 text; followed by the 0 separator unless it ends the key.
    Text(&'static str),
    /// A whole number written as decimal text (a poll round); a 0 follows
    /// unless it ends the key. A JSON number in the line.
    Decimal(&'static str),
    /// 8 bytes big-endian (a time); a JSON number in the line.
    U64(&'static str),
    /// The rest of the key, raw bytes (a hash); hex in the line.
    Hex(&'static str),
    /// Fixed bytes, not in the line.
    Lit(&'static [u8]),
}

use Part::{Decimal, Hex, Lit, Text, U64};

/// How a set member's value appears in the line.
#[derive(Debug, Clone, Copy)]
enum ValueLayout {
    /// Nothing is stored.
    Empty,
    /// 8 bytes big-endian, seconds since 1970.
    Seconds(&'static str),
    /// JSON text: the line's `record`.
    Json,
    /// UTF-8 text.
    Text(&'static str),
    /// One byte per chosen option: an array of numbers.
    Choices(&'static str),
}

/// A kind of table record.
struct TableKind {
    name: &'static str,
    table: Table,
    key: &'static [Part],
}

/// A kind of counted-set member.
struct SetKind {
    name: &'static str,
    set: CountedSet,
    group: &'static [Part],
    member: Part,
    value: ValueLayout,
}

const COMMUNITY: Part = Text("community");
const INITIATIVE: &[Part] = &[COMMUNITY, Text("initiative")];
const REACTION: &[Part] = &[COMMUNITY, Text("reaction")];
const VOTER: Part = Hex("voter");

/// Every kind of table record, in the order of [`Table::ALL`] (a table with
/// two key forms has two kinds, tried in order). `sessions` has none: it is
/// never exported.
const TABLE_KINDS: &[TableKind] = &[
    TableKind {
        name: "community",
        table: Table::Communities,
        key: &[COMMUNITY],
    },
    TableKind {
        name: "initiative",
        table: Table::Initiatives,
        key: INITIATIVE,
    },
    TableKind {
        name: "server_token",
        table: Table::ServerTokens,
        key: &[Text("hash")],
    },
    TableKind {
        name: "audit",
        table: Table::Audit,
        key: &[COMMUNITY, U64("at_micros"), Text("id")],
    },
    TableKind {
        name: "webhook_delivery",
        table: Table::WebhookOutbox,
        key: &[U64("due_millis"), Text("delivery")],
    },
    TableKind {
        name: "webhook_attempt",
        table: Table::WebhookLog,
        key: &[COMMUNITY, U64("at_micros"), Text("delivery")],
    },
    TableKind {
        name: "poll",
        table: Table::Polls,
        key: &[COMMUNITY, Text("poll")],
    },
    TableKind {
        name: "poll_join_code",
        table: Table::PollJoinCodes,
        key: &[Text("code")],
    },
    TableKind {
        name: "poll_network",
        table: Table::PollNetworks,
        key: &[COMMUNITY, Text("poll"), Decimal("round"), Hex("network")],
    },
    TableKind {
        name: "vote_code",
        table: Table::VoteCodes,
        key: &[COMMUNITY, Text("poll"), Hex("code_hash")],
    },
    TableKind {
        name: "poll_id",
        table: Table::PollIds,
        key: &[Text("poll")],
    },
    TableKind {
        name: "server_secret",
        table: Table::ServerSecrets,
        key: &[Text("name")],
    },
    TableKind {
        name: "photo",
        table: Table::Photos,
        key: &[Text("hash")],
    },
    TableKind {
        name: "thread",
        table: Table::Threads,
        key: &[COMMUNITY, Text("thread_kind"), Text("thread")],
    },
    TableKind {
        name: "reaction",
        table: Table::Reactions,
        key: &[
            COMMUNITY,
            Text("thread_kind"),
            Text("thread"),
            Text("reaction"),
        ],
    },
    TableKind {
        name: "reaction_thread",
        table: Table::ReactionThreads,
        key: REACTION,
    },
    TableKind {
        name: "reaction_author",
        table: Table::ReactionAuthors,
        key: &[COMMUNITY, Text("voter")],
    },
    TableKind {
        name: "meeting",
        table: Table::Meetings,
        key: &[COMMUNITY, Text("meeting")],
    },
    TableKind {
        name: "mail",
        table: Table::MailOutbox,
        key: &[U64("due_millis"), Text("mail")],
    },
    TableKind {
        name: "mail_subscription",
        table: Table::MailSubscriptions,
        key: &[COMMUNITY, Text("initiative"), Text("voter")],
    },
    TableKind {
        name: "mail_token",
        table: Table::MailTokens,
        key: &[Text("hash")],
    },
    TableKind {
        name: "mail_digest",
        table: Table::MailDigests,
        key: INITIATIVE,
    },
    TableKind {
        name: "mail_manage",
        table: Table::MailManage,
        key: INITIATIVE,
    },
    // Bounces per address hash: `!` never starts a slug.
    TableKind {
        name: "mail_bounces",
        table: Table::MailStats,
        key: &[Lit(b"!"), Text("address_hash")],
    },
    // A community's counts: its slug and the 0 separator.
    TableKind {
        name: "mail_stats",
        table: Table::MailStats,
        key: &[COMMUNITY, Lit(b"")],
    },
    TableKind {
        name: "initiative_code",
        table: Table::InitiativeCodes,
        key: &[Text("code")],
    },
];

/// Every kind of set member, in the order of [`CountedSet::ALL`].
const SET_KINDS: &[SetKind] = &[
    SetKind {
        name: "support",
        set: CountedSet::Supports,
        group: INITIATIVE,
        member: VOTER,
        value: ValueLayout::Seconds("at"),
    },
    SetKind {
        name: "join",
        set: CountedSet::Joins,
        group: INITIATIVE,
        member: VOTER,
        value: ValueLayout::Json,
    },
    SetKind {
        name: "report",
        set: CountedSet::Reports,
        group: INITIATIVE,
        member: VOTER,
        value: ValueLayout::Json,
    },
    SetKind {
        name: "vote",
        set: CountedSet::Votes,
        group: &[COMMUNITY, Text("poll"), Decimal("round")],
        member: VOTER,
        value: ValueLayout::Choices("choices"),
    },
    SetKind {
        name: "agree",
        set: CountedSet::Agrees,
        group: REACTION,
        member: VOTER,
        value: ValueLayout::Empty,
    },
    SetKind {
        name: "reaction_report",
        set: CountedSet::ReactionReports,
        group: REACTION,
        member: VOTER,
        value: ValueLayout::Text("reason"),
    },
    SetKind {
        name: "published_reaction",
        set: CountedSet::PublishedReactions,
        group: &[COMMUNITY, Text("thread_kind"), Text("thread")],
        member: Text("reaction"),
        value: ValueLayout::Empty,
    },
    SetKind {
        name: "attendee",
        set: CountedSet::Attendees,
        group: &[COMMUNITY, Text("meeting")],
        member: VOTER,
        value: ValueLayout::Seconds("at"),
    },
];

/// Field names of the line besides a kind's own.
const KIND: &str = "kind";
const RECORD: &str = "record";
const KEY_HEX: &str = "key_hex";
const GROUP_HEX: &str = "group_hex";
const MEMBER_HEX: &str = "member_hex";
const VALUE_HEX: &str = "value_hex";

/// A record as a version 2 line: `{"kind": …, fields…, "record": …}`.
#[derive(Debug, Clone, PartialEq)]
pub struct V2Line<'a> {
    pub kind: &'static str,
    /// The named parts of the key (and of a member's value), in order.
    pub fields: Vec<(&'static str, Value)>,
    /// Stored JSON, written into the line byte for byte as `record`.
    pub record: Option<&'a [u8]>,
}

/// A record read from a version 2 line, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V2Record<'a> {
    Table {
        table: Table,
        key: Vec<u8>,
        value: &'a [u8],
    },
    Member {
        set: CountedSet,
        group: Vec<u8>,
        member: Vec<u8>,
        value: Vec<u8>,
    },
}

impl V2Record<'_> {
    /// What the record is, for scope checks ([`super::Record`]).
    pub fn record(&self) -> Record<'_> {
        match self {
            V2Record::Table { table, key, value } => Record::Table {
                table: *table,
                key,
                value,
            },
            V2Record::Member {
                set, group, member, ..
            } => Record::Member {
                set: *set,
                group,
                member,
            },
        }
    }
}

/// The kind names of version 2, tables' first (for docs and checks).
pub fn v2_kinds() -> Vec<&'static str> {
    TABLE_KINDS
        .iter()
        .map(|k| k.name)
        .chain(SET_KINDS.iter().map(|k| k.name))
        .collect()
}

/// The line of a table record; `None` for a table that is never exported.
pub fn table_line<'a>(table: Table, key: &[u8], value: &'a [u8]) -> Option<V2Line<'a>> {
    let mut kinds = TABLE_KINDS.iter().filter(|k| k.table == table).peekable();
    let first = kinds.peek()?.name;
    for kind in kinds {
        if let Some(fields) = fit(kind.key, key) {
            return Some(V2Line {
                kind: kind.name,
                fields,
                record: Some(value),
            });
        }
    }
    Some(V2Line {
        kind: first,
        fields: vec![(KEY_HEX, Value::from(hex::encode(key)))],
        record: Some(value),
    })
}

/// The line of a counted set's member.
pub fn member_line<'a>(
    set: CountedSet,
    group: &[u8],
    member: &[u8],
    value: &'a [u8],
) -> V2Line<'a> {
    let kind = set_kind(set);
    let mut fields = match (
        fit(kind.group, group),
        fit(std::slice::from_ref(&kind.member), member),
    ) {
        (Some(mut g), Some(m)) => {
            g.extend(m);
            g
        }
        _ => vec![
            (GROUP_HEX, Value::from(hex::encode(group))),
            (MEMBER_HEX, Value::from(hex::encode(member))),
        ],
    };
    let mut record = None;
    match value_fields(kind.value, value) {
        Some(ValueFit::Fields(more)) => fields.extend(more),
        Some(ValueFit::Record) => record = Some(value),
        None => fields.push((VALUE_HEX, Value::from(hex::encode(value)))),
    }
    V2Line {
        kind: kind.name,
        fields,
        record,
    }
}

/// The stored record of a version 2 line of `kind`; `fields` are the line's
/// fields (name, raw JSON text), `kind` included. The error says why the
/// line is refused.
pub fn decode_line<'a>(kind: &str, fields: &[(String, &'a [u8])]) -> Result<V2Record<'a>, String> {
    if !v2_kinds().contains(&kind) {
        return Err(format!("unknown kind `{kind}`"));
    }
    decode_known(kind, fields).map_err(|why| format!("a `{kind}` line: {why}"))
}

fn decode_known<'a>(kind: &str, fields: &[(String, &'a [u8])]) -> Result<V2Record<'a>, String> {
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, raw)| *raw);
    let known = |names: &[&str]| -> Result<(), String> {
        match fields
            .iter()
            .find(|(n, _)| n != KIND && !names.contains(&n.as_str()))
        {
            Some((n, _)) => Err(format!("unknown field `{n}`")),
            None => Ok(()),
        }
    };
    let tables: Vec<&TableKind> = TABLE_KINDS.iter().filter(|k| k.name == kind).collect();
    if let Some(table_kind) = tables.first() {
        let value = field(RECORD).ok_or_else(|| "`record` is missing".to_string())?;
        let key = if let Some(raw) = field(KEY_HEX) {
            known(&[KEY_HEX, RECORD])?;
            hex_field(KEY_HEX, raw)?
        } else {
            let mut names = names(table_kind.key);
            names.push(RECORD);
            known(&names)?;
            encode(table_kind.key, &field)?
        };
        return Ok(V2Record::Table {
            table: table_kind.table,
            key,
            value,
        });
    }
    let Some(set_kind) = SET_KINDS.iter().find(|k| k.name == kind) else {
        return Err(format!("unknown kind `{kind}`"));
    };
    let mut allowed = Vec::new();
    let (group, member) = if field(GROUP_HEX).is_some() || field(MEMBER_HEX).is_some() {
        allowed.extend([GROUP_HEX, MEMBER_HEX]);
        let get = |name| field(name).ok_or_else(|| format!("`{name}` is missing"));
        (
            hex_field(GROUP_HEX, get(GROUP_HEX)?)?,
            hex_field(MEMBER_HEX, get(MEMBER_HEX)?)?,
        )
    } else {
        allowed.extend(names(set_kind.group));
        allowed.extend(names(std::slice::from_ref(&set_kind.member)));
        (
            encode(set_kind.group, &field)?,
            encode(std::slice::from_ref(&set_kind.member), &field)?,
        )
    };
    let value = if let Some(raw) = field(VALUE_HEX) {
        allowed.push(VALUE_HEX);
        hex_field(VALUE_HEX, raw)?
    } else {
        allowed.extend(value_names(set_kind.value));
        decode_value(set_kind.value, &field)?
    };
    known(&allowed)?;
    if group.len() > u16::MAX as usize {
        return Err("the group is too long".into());
    }
    Ok(V2Record::Member {
        set: set_kind.set,
        group,
        member,
        value,
    })
}

fn set_kind(set: CountedSet) -> &'static SetKind {
    SET_KINDS
        .iter()
        .find(|k| k.set == set)
        .expect("every counted set has a kind (checked by a test)")
}

fn names(parts: &[Part]) -> Vec<&'static str> {
    parts
        .iter()
        .filter_map(|p| match p {
            Text(n) | Decimal(n) | U64(n) | Hex(n) => Some(*n),
            Lit(_) => None,
        })
        .collect()
}

fn value_names(layout: ValueLayout) -> Vec<&'static str> {
    match layout {
        ValueLayout::Empty => vec![],
        ValueLayout::Json => vec![RECORD],
        ValueLayout::Seconds(n) | ValueLayout::Text(n) | ValueLayout::Choices(n) => vec![n],
    }
}

/// The named fields of `key` if it follows `layout` exactly (encoding them
/// gives `key` back), else `None`.
fn fit(layout: &[Part], key: &[u8]) -> Option<Vec<(&'static str, Value)>> {
    let fields = split(layout, key)?;
    let lookup: Vec<(String, Vec<u8>)> = fields
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string().into_bytes()))
        .collect();
    let field = |name: &str| {
        lookup
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    };
    (encode(layout, &field).ok()? == key).then_some(fields)
}

fn split(layout: &[Part], key: &[u8]) -> Option<Vec<(&'static str, Value)>> {
    let mut rest = key;
    let mut fields = Vec::new();
    for (i, part) in layout.iter().enumerate() {
        let last = i + 1 == layout.len();
        // A text part's bytes: up to the 0 (consumed), or all that is left.
        let mut text = || -> Option<&str> {
            let bytes = if last {
                std::mem::take(&mut rest)
            } else {
                let end = rest.iter().position(|b| *b == 0)?;
                let (bytes, after) = rest.split_at(end);
                rest = &after[1..];
                bytes
            };
            std::str::from_utf8(bytes).ok()
        };
        match part {
            Text(name) => fields.push((*name, Value::from(text()?))),
            Decimal(name) => {
                let number: u64 = text()?.parse().ok()?;
                fields.push((*name, Value::from(number)));
            }
            U64(name) => {
                let (bytes, after) = rest.split_first_chunk::<8>()?;
                rest = after;
                fields.push((*name, Value::from(u64::from_be_bytes(*bytes))));
            }
            Hex(name) => fields.push((*name, Value::from(hex::encode(std::mem::take(&mut rest))))),
            Lit(bytes) => rest = rest.strip_prefix(*bytes)?,
        }
    }
    rest.is_empty().then_some(fields)
}

/// The key `layout` makes of the line's fields.
fn encode<'a>(
    layout: &[Part],
    field: &dyn Fn(&str) -> Option<&'a [u8]>,
) -> Result<Vec<u8>, String> {
    let mut key = Vec::new();
    for (i, part) in layout.iter().enumerate() {
        let last = i + 1 == layout.len();
        let get = |name: &str| -> Result<Value, String> {
            let raw = field(name).ok_or_else(|| format!("`{name}` is missing"))?;
            serde_json::from_slice(raw).map_err(|_| format!("`{name}` is not JSON"))
        };
        let separated = |key: &mut Vec<u8>, name: &str, text: &str| -> Result<(), String> {
            if !last && text.contains('\0') {
                return Err(format!("`{name}` holds a 0 character"));
            }
            key.extend_from_slice(text.as_bytes());
            if !last {
                key.push(0);
            }
            Ok(())
        };
        match part {
            Text(name) => {
                let value = get(name)?;
                let text = value
                    .as_str()
                    .ok_or_else(|| format!("`{name}` is not a string"))?;
                separated(&mut key, name, text)?;
            }
            Decimal(name) => {
                let number = get(name)?
                    .as_u64()
                    .ok_or_else(|| format!("`{name}` is not a whole number"))?;
                separated(&mut key, name, &number.to_string())?;
            }
            U64(name) => {
                let number = get(name)?
                    .as_u64()
                    .ok_or_else(|| format!("`{name}` is not a whole number"))?;
                key.extend_from_slice(&number.to_be_bytes());
            }
            Hex(name) => {
                let raw = field(name).ok_or_else(|| format!("`{name}` is missing"))?;
                key.extend(hex_field(name, raw)?);
            }
            Lit(bytes) => key.extend_from_slice(bytes),
        }
    }
    Ok(key)
}

fn hex_field(name: &str, raw: &[u8]) -> Result<Vec<u8>, String> {
    let text: String =
        serde_json::from_slice(raw).map_err(|_| format!("`{name}` is not a string"))?;
    hex::decode(text).map_err(|_| format!("`{name}` is not hex"))
}

enum ValueFit {
    Fields(Vec<(&'static str, Value)>),
    /// The value is JSON: the line's `record`, byte for byte.
    Record,
}

/// How `value` shows under `layout`, if it fits exactly.
fn value_fields(layout: ValueLayout, value: &[u8]) -> Option<ValueFit> {
    let fields = match layout {
        ValueLayout::Empty => value.is_empty().then(Vec::new)?,
        ValueLayout::Seconds(name) => {
            let bytes: [u8; 8] = value.try_into().ok()?;
            vec![(name, Value::from(u64::from_be_bytes(bytes)))]
        }
        ValueLayout::Text(name) => vec![(name, Value::from(std::str::from_utf8(value).ok()?))],
        ValueLayout::Choices(name) => vec![(name, Value::from(value.to_vec()))],
        ValueLayout::Json => {
            // Written into the line as it is, byte for byte: one JSON
            // value on one line, without whitespace around it.
            let json = serde_json::from_slice::<serde::de::IgnoredAny>(value).is_ok();
            let one_line = !value.iter().any(|b| matches!(b, b'\n' | b'\r'));
            let trimmed = value.first().is_some_and(|b| !b.is_ascii_whitespace())
                && value.last().is_some_and(|b| !b.is_ascii_whitespace());
            return (json && one_line && trimmed).then_some(ValueFit::Record);
        }
    };
    Some(ValueFit::Fields(fields))
}

fn decode_value<'a>(
    layout: ValueLayout,
    field: &dyn Fn(&str) -> Option<&'a [u8]>,
) -> Result<Vec<u8>, String> {
    let get = |name: &str| -> Result<Value, String> {
        let raw = field(name).ok_or_else(|| format!("`{name}` is missing"))?;
        serde_json::from_slice(raw).map_err(|_| format!("`{name}` is not JSON"))
    };
    Ok(match layout {
        ValueLayout::Empty => Vec::new(),
        ValueLayout::Seconds(name) => get(name)?
            .as_u64()
            .ok_or_else(|| format!("`{name}` is not a whole number"))?
            .to_be_bytes()
            .to_vec(),
        ValueLayout::Text(name) => get(name)?
            .as_str()
            .ok_or_else(|| format!("`{name}` is not a string"))?
            .as_bytes()
            .to_vec(),
        ValueLayout::Choices(name) => serde_json::from_value::<Vec<u8>>(get(name)?)
            .map_err(|_| format!("`{name}` is not a list of option numbers (0 to 255)"))?,
        ValueLayout::Json => field(RECORD)
            .ok_or_else(|| "`record` is missing".to_string())?
            .to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line as export.rs reads it back: (name, raw JSON text).
    fn raw(line: &V2Line<'_>) -> Vec<(String, Vec<u8>)> {
        let mut fields = vec![(
            KIND.to_string(),
            Value::from(line.kind).to_string().into_bytes(),
        )];
        for (name, value) in &line.fields {
            fields.push((name.to_string(), value.to_string().into_bytes()));
        }
        if let Some(record) = line.record {
            fields.push((RECORD.to_string(), record.to_vec()));
        }
        fields
    }

    fn back(line: &V2Line<'_>) -> Result<V2Record<'static>, String> {
        let owned = raw(line);
        let borrowed: Vec<(String, &[u8])> = owned
            .iter()
            .map(|(n, v)| (n.clone(), v.as_slice()))
            .collect();
        Ok(match decode_line(line.kind, &borrowed)? {
            V2Record::Table { table, key, value } => V2Record::Table {
                table,
                key,
                value: value.to_vec().leak(),
            },
            V2Record::Member {
                set,
                group,
                member,
                value,
            } => V2Record::Member {
                set,
                group,
                member,
                value,
            },
        })
    }

    fn field<'l>(line: &'l V2Line<'_>, name: &str) -> &'l Value {
        &line.fields.iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn every_exported_table_and_set_has_a_kind() {
        for table in Table::ALL {
            assert_eq!(
                TABLE_KINDS.iter().any(|k| k.table == table),
                table.is_exported(),
                "{table:?}"
            );
        }
        for set in CountedSet::ALL {
            assert!(SET_KINDS.iter().any(|k| k.set == set), "{set:?}");
        }
        let mut kinds = v2_kinds();
        let n = kinds.len();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), n, "kind names are unique");
    }

    #[test]
    fn keys_become_named_fields_and_come_back_byte_for_byte() {
        let mut audit = b"baarlo\0".to_vec();
        audit.extend_from_slice(&1_765_000_000_123_456u64.to_be_bytes());
        audit.extend_from_slice(b"k3x9");
        let mut network = b"baarlo\0p1\x002\0".to_vec();
        network.extend_from_slice(&[0xab; 16]);
        let cases: Vec<(Table, Vec<u8>, &str)> = vec![
            (Table::Communities, b"baarlo".to_vec(), "community"),
            (Table::Initiatives, b"baarlo\0abc".to_vec(), "initiative"),
            (Table::Audit, audit, "audit"),
            (Table::PollNetworks, network, "poll_network"),
            (Table::MailStats, b"baarlo\0".to_vec(), "mail_stats"),
            (Table::MailStats, b"!00ff".to_vec(), "mail_bounces"),
            (
                Table::Reactions,
                b"baarlo\0topic\0kermis\0r1".to_vec(),
                "reaction",
            ),
            // Not the layout (no separator): kept as hex.
            (Table::Initiatives, b"baarlo".to_vec(), "initiative"),
            // Not UTF-8.
            (Table::Communities, vec![0xff, 0xfe], "community"),
            // A round with a leading zero would not come back as such.
            (
                Table::PollNetworks,
                b"b\0p\x0002\0x".to_vec(),
                "poll_network",
            ),
        ];
        for (table, key, kind) in cases {
            let line = table_line(table, &key, b"{}").unwrap();
            assert_eq!(line.kind, kind, "{key:?}");
            assert_eq!(
                back(&line).unwrap(),
                V2Record::Table {
                    table,
                    key: key.clone(),
                    value: b"{}"
                },
                "{line:?}"
            );
        }
        let line = table_line(Table::Initiatives, b"baarlo\0abc", b"{}").unwrap();
        assert_eq!(field(&line, "community"), "baarlo");
        assert_eq!(field(&line, "initiative"), "abc");
        let line = table_line(Table::Initiatives, b"baarlo", b"{}").unwrap();
        assert_eq!(field(&line, KEY_HEX), &hex::encode("baarlo"));
        let line = table_line(Table::WebhookOutbox, b"\0\0\0\0\0\0\0\x05d1", b"{}").unwrap();
        assert_eq!(field(&line, "due_millis"), 5);
        assert_eq!(field(&line, "delivery"), "d1");
        assert!(table_line(Table::Sessions, b"x", b"{}").is_none());
    }

    #[test]
    fn members_and_their_values_come_back_byte_for_byte() {
        let voter = [7u8; 16];
        let cases: Vec<(CountedSet, &[u8], Vec<u8>, &str)> = vec![
            (
                CountedSet::Supports,
                b"baarlo\0abc",
                1_765_000_000u64.to_be_bytes().to_vec(),
                "at",
            ),
            // An empty support value (older data): kept as hex.
            (CountedSet::Supports, b"baarlo\0abc", vec![], VALUE_HEX),
            (
                CountedSet::Joins,
                b"baarlo\0abc",
                br#"{"name":"Piet","contact":"","message":"","joined_at":5}"#.to_vec(),
                RECORD,
            ),
            (CountedSet::Votes, b"baarlo\0p1\x003", vec![0, 2], "choices"),
            (CountedSet::Agrees, b"baarlo\0r1", vec![], ""),
            (
                CountedSet::ReactionReports,
                b"baarlo\0r1",
                b"Onaardig".to_vec(),
                "reason",
            ),
            (
                CountedSet::ReactionReports,
                b"baarlo\0r1",
                vec![0xff],
                VALUE_HEX,
            ),
            (CountedSet::Joins, b"baarlo\0abc", b"{ }".to_vec(), RECORD),
            (
                CountedSet::Reports,
                b"baarlo\0abc",
                b"not json".to_vec(),
                VALUE_HEX,
            ),
            (
                CountedSet::Reports,
                b"baarlo\0abc",
                b"{}\n".to_vec(),
                VALUE_HEX,
            ),
            (CountedSet::Attendees, b"odd", vec![1; 8], GROUP_HEX),
        ];
        for (set, group, value, shown) in cases {
            let line = member_line(set, group, &voter, &value);
            match shown {
                RECORD => assert_eq!(line.record, Some(value.as_slice())),
                "" => assert_eq!(line.fields.len(), 3, "{line:?}"),
                name => assert!(line.fields.iter().any(|(n, _)| *n == name), "{line:?}"),
            }
            assert_eq!(
                back(&line).unwrap(),
                V2Record::Member {
                    set,
                    group: group.to_vec(),
                    member: voter.to_vec(),
                    value: value.clone()
                },
                "{line:?}"
            );
        }
        let line = member_line(CountedSet::PublishedReactions, b"b\0topic\0t", b"r1", b"");
        assert_eq!(field(&line, "reaction"), "r1");
        assert_eq!(field(&line, "thread_kind"), "topic");
        let line = member_line(CountedSet::Votes, b"b\0p\x001", &voter, &[1]);
        assert_eq!(field(&line, "voter"), &hex::encode(voter));
        assert_eq!(field(&line, "round"), 1);
    }

    #[test]
    fn bad_lines_are_refused_with_a_reason() {
        let fields = |text: &str| -> Vec<(String, Vec<u8>)> {
            serde_json::from_str::<serde_json::Map<String, Value>>(text)
                .unwrap()
                .into_iter()
                .map(|(n, v)| (n, v.to_string().into_bytes()))
                .collect()
        };
        let check = |text: &str| -> String {
            let owned = fields(text);
            let borrowed: Vec<(String, &[u8])> = owned
                .iter()
                .map(|(n, v)| (n.clone(), v.as_slice()))
                .collect();
            let kind = serde_json::from_str::<Value>(text).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string();
            decode_line(&kind, &borrowed).unwrap_err()
        };
        assert!(check(r#"{"kind":"session","record":{}}"#).contains("unknown kind"));
        assert!(
            check(r#"{"kind":"initiative","community":"b","record":{}}"#)
                .contains("`initiative` is missing")
        );
        assert!(check(r#"{"kind":"community","community":"b"}"#).contains("`record`"));
        assert!(
            check(r#"{"kind":"community","community":"b","x":1,"record":{}}"#)
                .contains("unknown field `x`")
        );
        assert!(check(
            r#"{"kind":"initiative","community":"b\u0000c","initiative":"i","record":{}}"#
        )
        .contains("0 character"));
        assert!(check(
            r#"{"kind":"vote","community":"b","poll":"p","round":1,"voter":"zz","choices":[1]}"#
        )
        .contains("not hex"));
        assert!(check(
            r#"{"kind":"vote","community":"b","poll":"p","round":1,"voter":"00","choices":[300]}"#
        )
        .contains("option numbers"));
        assert!(
            check(r#"{"kind":"audit","community":"b","at_micros":"x","id":"i","record":{}}"#)
                .contains("whole number")
        );
    }
}
