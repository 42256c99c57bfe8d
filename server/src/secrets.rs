//! Random identifiers, admin tokens and the hashes we keep instead of them.

use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Prefix that makes an admin token recognisable in a config file or a leak scan.
const ADMIN_TOKEN_PREFIX: &str = "mk_";

/// Characters of short public ids: lowercase, no look-alikes (0/o, 1/l/i).
const ID_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const ID_LEN: usize = 10;

/// A new admin token: 256 random bits. Shown once, stored only as a hash.
pub fn new_admin_token() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    format!("{ADMIN_TOKEN_PREFIX}{}", hex(&bytes))
}

/// SHA-256 of a secret, as hex. Tokens have 256 bits of entropy, so an
/// unsalted fast hash is enough to make a stolen database useless for login.
pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// True when `candidate` hashes to one of `stored_hashes`, comparing every
/// hash in constant time so response timing says nothing about near misses.
pub fn secret_matches(candidate: &str, stored_hashes: &[String]) -> bool {
    let hashed = hash_secret(candidate);
    stored_hashes.iter().fold(false, |found, stored| {
        found | bool::from(hashed.as_bytes().ct_eq(stored.as_bytes()))
    })
}

/// What we store for a voter key: a hash, so a copy of the database cannot
/// be used to act as a resident (e.g. withdraw their support).
pub fn voter_hash(voter_key: &str) -> [u8; 16] {
    let digest = Sha256::digest(voter_key.as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// A short, URL-safe random id (10 characters of 31: about 49 bits).
pub fn new_id() -> String {
    let mut rng = rand::thread_rng();
    (0..ID_LEN)
        .map(|_| ID_ALPHABET[rng.gen_range(0..ID_ALPHABET.len())] as char)
        .collect()
}

/// True for ids that could have come from [`new_id`] or the demo seeds:
/// 1–64 characters of `a-z`, `0-9`, `-`.
pub fn is_plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

pub fn now_millis() -> u64 {
    now_micros() / 1000
}

pub fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A random secret of this server, made on first use and kept in the store,
/// so what it signs stays valid across restarts.
pub fn persistent_secret(
    store: &crate::store::Store,
    name: &str,
) -> crate::store::StoreResult<[u8; 32]> {
    let fresh: [u8; 32] = rand::random();
    store.server_secret_or_insert(name, fresh)
}

/// Lowercase hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    ::hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_only_their_own_hash() {
        let token = new_admin_token();
        assert!(token.starts_with("mk_") && token.len() == 67);
        let stored = vec![hash_secret("other"), hash_secret(&token)];
        assert!(secret_matches(&token, &stored));
        assert!(!secret_matches("mk_wrong", &stored));
        assert!(!secret_matches(&token, &[]));
    }

    #[test]
    fn ids_are_short_and_plausible() {
        let id = new_id();
        assert_eq!(id.len(), 10);
        assert!(is_plausible_id(&id));
        assert!(!is_plausible_id("../etc"));
        assert_ne!(new_id(), new_id());
    }
}
