//! Version 1 exports name their tables and counted sets by tree name (the
//! names are stored bytes' neighbours: they never change). Only exported
//! tables are accepted.

use super::{CountedSet, Table};

/// The exported table a v1 `"table"` line names.
pub fn v1_table(name: &str) -> Option<Table> {
    Table::ALL
        .into_iter()
        .filter(|t| t.is_exported())
        .find(|t| t.tree_name() == name)
}

/// The counted set a v1 `"set"` line names.
pub fn v1_set(name: &str) -> Option<CountedSet> {
    CountedSet::ALL.into_iter().find(|s| s.tree_name() == name)
}

/// The name a v1 `"table"` line gives `table` (its tree name).
pub fn v1_table_name(table: Table) -> &'static str {
    table.tree_name()
}

/// The name a v1 `"set"` line gives `set` (its tree name).
pub fn v1_set_name(set: CountedSet) -> &'static str {
    set.tree_name()
}
