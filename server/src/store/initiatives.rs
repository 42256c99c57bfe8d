//! How initiatives are stored.
//!
//! - `initiatives`: one record per initiative, keyed by community slug, a 0
//!   byte and the initiative's id (`store::key`), so one prefix scan finds a
//!   community's initiatives, in id order. The same bytes are the group of
//!   the initiative's counted sets (supports, joins, reports) and go into
//!   joiner ids (`joins::joiner_id`): they must never change.
//! - `initiative_codes`: a short link code (`/i/{code}`, unique per server)
//!   → its community and initiative.

use super::{key, Store, StoreResult, Table};
use crate::initiatives::{CodeTarget, Initiative};

impl Store {
    /// The key of an initiative's record, which is also the group of its
    /// counted sets (see the module's comment).
    pub(in crate::store) fn initiative_key(community: &str, id: &str) -> Vec<u8> {
        key(&[community, id])
    }

    pub fn initiative_get(&self, community: &str, id: &str) -> StoreResult<Option<Initiative>> {
        self.get(Table::Initiatives, &Store::initiative_key(community, id))
    }

    pub fn initiative_exists(&self, community: &str, id: &str) -> StoreResult<bool> {
        self.contains(Table::Initiatives, &Store::initiative_key(community, id))
    }

    /// Stores a new initiative; false (and nothing written) when its id is
    /// taken in its community.
    pub fn initiative_insert_new(&self, initiative: &Initiative) -> StoreResult<bool> {
        self.insert_new(
            Table::Initiatives,
            &Store::initiative_key(&initiative.community, &initiative.id),
            initiative,
        )
    }

    /// Stores the initiative as it is, over whatever was stored (tests and
    /// repairs; requests change initiatives with [`Store::initiative_update`]).
    pub fn initiative_put(&self, initiative: &Initiative) -> StoreResult<()> {
        self.put(
            Table::Initiatives,
            &Store::initiative_key(&initiative.community, &initiative.id),
            initiative,
        )
    }

    /// Read-modify-write of one initiative without lost updates: `change`
    /// may run more than once. `None` when there is no such initiative.
    pub fn initiative_update<E>(
        &self,
        community: &str,
        id: &str,
        change: impl FnMut(Initiative) -> Result<Initiative, E>,
    ) -> StoreResult<Option<Result<Initiative, E>>> {
        self.update(
            Table::Initiatives,
            &Store::initiative_key(community, id),
            change,
        )
    }

    /// Every initiative of the community, whatever its state, in id order.
    pub fn initiatives_of_community(&self, community: &str) -> StoreResult<Vec<Initiative>> {
        self.scan_prefix(Table::Initiatives, &key(&[community, ""]))
    }

    /// Reserves a short link code for `target`; false when the code is taken.
    pub fn initiative_code_reserve(&self, code: &str, target: &CodeTarget) -> StoreResult<bool> {
        self.insert_new(Table::InitiativeCodes, code.as_bytes(), target)
    }

    /// Where a short link code (normalised) leads, if anywhere.
    pub fn initiative_code_target(&self, code: &str) -> StoreResult<Option<CodeTarget>> {
        self.get(Table::InitiativeCodes, code.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::CountedSet;
    use mekaar_api::{InitiativeCreate, JoinDetail};

    /// The bytes existing data directories and v1 exports hold: communities,
    /// initiatives, short codes, supports and joins keep their layout.
    #[test]
    fn the_stored_layout_stays_as_it_was() {
        let (_dir, store, community, _) = crate::communities::temp_community();
        let keys = |tree: &str| -> Vec<Vec<u8>> {
            let raw = store.raw_tree(tree).unwrap().unwrap();
            raw.into_iter().map(|(k, _)| k).collect()
        };
        assert_eq!(keys("communities"), [b"dorp".to_vec()]);
        let input = InitiativeCreate {
            title: "Moestuin".into(),
            summary: String::new(),
            area: None,
            theme: None,
        };
        let made = crate::initiatives::create_with_id(&store, &community, "tuin", input).unwrap();
        assert_eq!(keys("initiatives"), [b"dorp\0tuin".to_vec()]);
        let code = made.short_code.unwrap();
        assert_eq!(keys("initiative_codes"), [code.as_bytes().to_vec()]);

        store
            .support_add("dorp", "tuin", b"voter", 1_700_000_000)
            .unwrap();
        let group = b"dorp\0tuin";
        assert_eq!(
            store.set_members(CountedSet::Supports, group).unwrap(),
            [(b"voter".to_vec(), 1_700_000_000u64.to_be_bytes().to_vec())]
        );
        let detail = JoinDetail {
            name: "Anja".into(),
            contact: "anja@example.nl".into(),
            message: String::new(),
            joined_at: 5,
        };
        store.join_put("dorp", "tuin", b"voter", &detail).unwrap();
        let joins = store.set_values(CountedSet::Joins, group).unwrap();
        assert_eq!(joins.len(), 1);
        let stored: &[u8] = joins[0].as_ref();
        assert_eq!(stored, serde_json::to_vec(&detail).unwrap());
        assert_eq!(
            store.joiners_of("dorp", "tuin").unwrap(),
            [(b"voter".to_vec(), Some(detail))]
        );
    }
}
