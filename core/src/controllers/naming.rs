//! Generated names, as Kubernetes' controllers make them, but deterministic.
//!
//! Kubernetes names a Deployment's ReplicaSet `<deployment>-<pod-template-hash>`, where the hash
//! is a 32-bit FNV-1a of the pod template whose decimal digits are "safe-encoded" through the
//! alphabet below (which is why real hashes only use `bcdf456789`), and names pods
//! `<replicaset>-<5 random characters>`. The model keeps the shapes and replaces randomness
//! with hashes of stable inputs, so the same workspace always gives the same names.

/// The alphabet apimachinery's `rand.SafeEncodeString` uses: no vowels (no words), no
/// look-alike characters.
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

use std::fmt::{self, Write as _};

/// 32-bit FNV-1a.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in bytes {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// Maps each byte of `text` into the safe alphabet, as `rand.SafeEncodeString` does.
fn safe_encode(text: &str) -> String {
    text.bytes().map(|b| char::from(SAFE_ALPHABET[usize::from(b) % SAFE_ALPHABET.len()])).collect()
}

/// 32-bit FNV-1a of text written into it, so that a value's `Debug` text can be hashed
/// without being collected first.
struct Fnv1a32(u32);

impl fmt::Write for Fnv1a32 {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for b in text.bytes() {
            self.0 ^= u32::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
        Ok(())
    }
}

/// The `pod-template-hash` label value for a template whose canonical bytes are `template`.
pub fn pod_template_hash(template: &[u8]) -> String {
    safe_encode(&fnv1a32(template).to_string())
}

/// [`pod_template_hash`] of `template`'s `Debug` text, which is the canonical form the model
/// hashes.
pub fn pod_template_hash_of(template: &dyn fmt::Debug) -> String {
    let mut hash = Fnv1a32(0x811c_9dc5);
    // Writing into the hash cannot fail.
    let _ = write!(hash, "{template:?}");
    safe_encode(&hash.0.to_string())
}

/// A 5-character suffix like the one `generateName` adds, derived from `seed`.
pub fn random_suffix(seed: &str) -> String {
    random_suffix_of(format_args!("{seed}"))
}

/// [`random_suffix`] of the text of `seed`, hashed as it is written instead of collected first.
pub fn random_suffix_of(seed: fmt::Arguments) -> String {
    let mut hash = Fnv1a32(0x811c_9dc5);
    // Writing into the hash cannot fail.
    let _ = hash.write_fmt(seed);
    let mut state = hash.0;
    (0..5)
        .map(|_| {
            let c = SAFE_ALPHABET[(state % SAFE_ALPHABET.len() as u32) as usize];
            state = fnv1a32(&state.to_le_bytes());
            char::from(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a32_matches_the_reference_vectors() {
        // Published FNV-1a test vectors.
        assert_eq!(fnv1a32(b""), 0x811c9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn pod_template_hash_uses_only_the_characters_digits_encode_to() {
        // Digits '0'..'9' are bytes 48..57; modulo 27 they land on "456789bcdf".
        let hash = pod_template_hash(b"spec");
        assert!(!hash.is_empty() && hash.len() <= 10);
        assert!(hash.chars().all(|c| "456789bcdf".contains(c)), "{hash}");
    }

    #[test]
    fn hashing_debug_text_as_it_is_written_matches_hashing_it_whole() {
        let value = (vec!["a", "b"], Some(80), "web-5d59d67564");
        assert_eq!(pod_template_hash_of(&value), pod_template_hash(format!("{value:?}").as_bytes()));
    }

    #[test]
    fn random_suffix_is_five_safe_characters_and_deterministic() {
        let a = random_suffix("web-5d59d67564/0");
        assert_eq!(a.len(), 5);
        assert!(a.bytes().all(|b| SAFE_ALPHABET.contains(&b)));
        assert_eq!(a, random_suffix("web-5d59d67564/0"));
        assert_ne!(a, random_suffix("web-5d59d67564/1"));
    }
}
