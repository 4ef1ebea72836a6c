//! Random tokens (session ids, invitation links) and the hashes we store:
//! a copy of the database cannot be used to take over a session or an
//! invitation.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random 256-bit token, hex-encoded, and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
