//! Moving a whole installation from one engine to another
//! (`mekaar-server migrate-store`, e.g. sled → PostgreSQL): every record and
//! set member, byte for byte, then read back from the target and compared.

use super::{Snapshot, Store, StoreError};

/// What a move copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// Table records (communities, initiatives, polls, …).
    pub records: u64,
    /// Counted-set members (supports, votes, joins, …).
    pub members: u64,
}

#[derive(Debug)]
pub enum MoveError {
    /// The target already holds data: a move never mixes two installations.
    TargetNotEmpty,
    /// The target, read back, differs from the source (names the first table or set).
    Differs(String),
    Store(StoreError),
}

impl std::fmt::Display for MoveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MoveError::TargetNotEmpty => write!(
                f,
                "the target already holds data; move into a new, empty data directory or database"
            ),
            MoveError::Differs(what) => write!(
                f,
                "the target, read back, differs from the source in `{what}`; do not use it"
            ),
            MoveError::Store(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for MoveError {}

impl From<StoreError> for MoveError {
    fn from(err: StoreError) -> Self {
        MoveError::Store(err)
    }
}

impl Store {
    /// Copies everything of this store into `target`, which must be empty:
    /// a consistent snapshot (writes to this store wait meanwhile), written
    /// as an import is (sealed records get keys of the target's own), then
    /// the target's counts rebuilt and everything made durable. Finally the
    /// target is read back and must equal the snapshot record for record.
    pub fn copy_into(&self, target: &Store) -> Result<Moved, MoveError> {
        if !target.is_empty()? {
            return Err(MoveError::TargetNotEmpty);
        }
        let source = self.snapshot(&|_| true)?;
        let mut moved = Moved {
            records: 0,
            members: 0,
        };
        for (table, records) in &source.tables {
            for (key, value) in records {
                target.put_raw(*table, key, value)?;
                moved.records += 1;
            }
        }
        for (set, members) in &source.sets {
            for member in members {
                target.put_member_raw(*set, &member.group, &member.member, &member.value)?;
                moved.members += 1;
            }
        }
        target.finish_import()?;
        let copy = target.snapshot(&|_| true)?;
        if let Some(what) = first_difference(&source, &copy) {
            return Err(MoveError::Differs(what));
        }
        Ok(moved)
    }
}

/// The name of the first table or set whose records differ, if any.
fn first_difference(a: &Snapshot, b: &Snapshot) -> Option<String> {
    for ((table, left), (_, right)) in a.tables.iter().zip(&b.tables) {
        if left != right {
            return Some(table.tree_name().to_string());
        }
    }
    for ((set, left), (_, right)) in a.sets.iter().zip(&b.sets) {
        if left != right {
            return Some(set.tree_name().to_string());
        }
    }
    (a.tables.len() != b.tables.len() || a.sets.len() != b.sets.len())
        .then(|| "the list of tables".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CountedSet, Table};

    #[test]
    fn a_move_copies_every_record_and_member_and_refuses_a_full_target() {
        let (from_dir, to_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let from = Store::open(from_dir.path()).unwrap();
        from.put(
            Table::Communities,
            b"dorp",
            &serde_json::json!({"slug": "dorp"}),
        )
        .unwrap();
        // A sealed table: the copy must open with the target's own keys.
        from.put(
            Table::MailManage,
            b"dorp\0tuin",
            &serde_json::json!({"email": "anja@example.org"}),
        )
        .unwrap();
        for voter in [b"a", b"b", b"c"] {
            from.set_add(CountedSet::Supports, b"dorp\0tuin", voter, b"12345678")
                .unwrap();
        }
        let to = Store::open(to_dir.path()).unwrap();
        let moved = from.copy_into(&to).unwrap();
        assert_eq!(
            moved,
            Moved {
                records: 2,
                members: 3
            }
        );
        assert_eq!(
            to.set_count(CountedSet::Supports, b"dorp\0tuin").unwrap(),
            3
        );
        assert_eq!(
            to.get::<serde_json::Value>(Table::MailManage, b"dorp\0tuin")
                .unwrap()
                .unwrap()["email"],
            "anja@example.org"
        );
        assert!(matches!(
            from.copy_into(&to),
            Err(MoveError::TargetNotEmpty)
        ));
    }
}
