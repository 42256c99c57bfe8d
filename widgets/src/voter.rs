//! The resident's voter key: 128 random bits from `crypto.getRandomValues`, as 32 lowercase
//! hex characters, kept in the host page's `localStorage`. No cookies, no fingerprint.

/// The `localStorage` key under which the voter key is kept.
pub const STORAGE_KEY: &str = "mekaar.voter";

/// 16 bytes as 32 lowercase hex characters.
pub fn to_hex(bytes: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(target_arch = "wasm32")]
pub use browser::voter_key;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{to_hex, STORAGE_KEY};
    use std::cell::RefCell;
    use std::rc::Rc;

    thread_local! {
        /// The key for this page's life: every widget on the page uses the same one, also
        /// when storage is blocked (then it lives only here).
        static KEY: RefCell<Option<Rc<str>>> = const { RefCell::new(None) };
    }

    /// This browser's voter key, made and stored on first use.
    pub fn voter_key() -> Rc<str> {
        KEY.with(|cell| {
            cell.borrow_mut()
                .get_or_insert_with(|| load_or_create().into())
                .clone()
        })
    }

    fn load_or_create() -> String {
        // `window.localStorage` itself throws when storage is blocked (e.g. third-party
        // storage settings or a sandboxed iframe): every step may fail.
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        if let Some(key) = storage
            .as_ref()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        {
            if mekaar_api::is_valid_voter_key(&key) {
                return key;
            }
        }
        let key = to_hex(&random_bytes());
        if let Some(s) = storage {
            let _ = s.set_item(STORAGE_KEY, &key);
        }
        key
    }

    fn random_bytes() -> [u8; 16] {
        let mut bytes = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
        if !filled {
            // Every browser that runs wasm has crypto.getRandomValues; this is a last resort
            // so the widget still works, never a silent all-zero key.
            for chunk in bytes.chunks_mut(4) {
                let r = (js_sys::Math::random() * 4294967296.0) as u32;
                chunk.copy_from_slice(&r.to_le_bytes());
            }
        }
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_server_format() {
        let samples: [[u8; 16]; 4] = [
            [0; 16],
            [0xff; 16],
            *b"0123456789abcdef",
            [
                0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65,
                0x43, 0x21,
            ],
        ];
        for bytes in samples {
            let key = to_hex(&bytes);
            assert!(mekaar_api::is_valid_voter_key(&key), "{key}");
        }
        assert_eq!(to_hex(&[0xab; 16]), "ab".repeat(16));
        assert_eq!(to_hex(&samples[3]), "123456789abcdef00fedcba987654321");
    }
}
