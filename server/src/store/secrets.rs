//! Secrets of this server (by name) and its server-wide admin tokens (by
//! the hash of the token).

use super::{Store, StoreResult, Table};
use crate::auth::ServerToken;

impl Store {
    /// The secret named `name`; `fresh` becomes it on first use. Of two
    /// first uses at once, one wins and both get the winner.
    pub fn server_secret_or_insert(&self, name: &str, fresh: [u8; 32]) -> StoreResult<[u8; 32]> {
        // Read first: an insert seals `fresh` with a new record key (a
        // durable key write) even when the name exists, and a poll round's
        // secret is asked for at every vote.
        if let Some(secret) = self.get(Table::ServerSecrets, name.as_bytes())? {
            return Ok(secret);
        }
        self.insert_new(Table::ServerSecrets, name.as_bytes(), &fresh)?;
        Ok(self
            .get(Table::ServerSecrets, name.as_bytes())?
            .unwrap_or(fresh))
    }

    /// Stores a server-wide admin token (keyed by its hash).
    pub fn server_token_put(&self, token: &ServerToken) -> StoreResult<()> {
        self.put(Table::ServerTokens, token.hash.as_bytes(), token)
    }

    /// Every server-wide admin token.
    pub fn server_tokens(&self) -> StoreResult<Vec<ServerToken>> {
        self.scan_prefix(Table::ServerTokens, b"")
    }
}
