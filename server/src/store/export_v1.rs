//! Version 1 exports name their tables and counted sets by tree name (the
//! names never change) and hold keys as hex. Only exported tables are
//! accepted.

use super::{CountedSet, Table, V2Record};

/// The record of a v1 `"table"` line, `None` for a name that is no exported table.
pub fn v1_table_record<'a>(name: &str, key: Vec<u8>, value: &'a [u8]) -> Option<V2Record<'a>> {
    let table = Table::ALL
        .into_iter()
        .filter(|t| t.is_exported())
        .find(|t| t.tree_name() == name)?;
    Some(V2Record::Table { table, key, value })
}

/// The record of a v1 `"set"` line, `None` for a name that is no counted set.
pub fn v1_member_record(
    name: &str,
    group: Vec<u8>,
    member: Vec<u8>,
    value: Vec<u8>,
) -> Option<V2Record<'static>> {
    let set = CountedSet::ALL
        .into_iter()
        .find(|s| s.tree_name() == name)?;
    Some(V2Record::Member {
        set,
        group,
        member,
        value,
    })
}

/// The name a v1 `"table"` line gives `table` (its tree name).
pub fn v1_table_name(table: Table) -> &'static str {
    table.tree_name()
}

/// The name a v1 `"set"` line gives `set` (its tree name).
pub fn v1_set_name(set: CountedSet) -> &'static str {
    set.tree_name()
}
