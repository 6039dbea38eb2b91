//! Folding text for search and sorting, the same way on every backend: lower case, umlauts and
//! other accents resolved to ASCII, and the German digraphs ae/oe/ue read as a/o/u, so that
//! "Börde", "Boerde" and "Borde" all fold to "borde". Also the one hex digest the code uses
//! for hashes, fingerprints and entity tags. [`analysis`] turns text into the search terms every
//! full-text index shares.

pub mod analysis;

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` in lower-case hex, of its first `keep` bytes (32 for the whole digest).
pub fn sha256_hex(bytes: impl AsRef<[u8]>, keep: usize) -> String {
    Sha256::digest(bytes.as_ref())
        .iter()
        .take(keep)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Folds `text` for comparison (see the module documentation).
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut folded = String::with_capacity(ascii.len());
    let mut chars = ascii.chars().peekable();
    while let Some(c) = chars.next() {
        folded.push(c);
        if matches!(c, 'a' | 'o' | 'u') && chars.peek() == Some(&'e') {
            chars.next();
        }
    }
    folded
}

/// The words of `text`, folded: runs of ASCII letters and digits.
pub fn fold_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A URL-safe slug from a name: folded words joined by hyphens ("Stadt Bottrop" → "stadt-bottrop").
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_and_digraphs_fold_alike() {
        assert_eq!(fold("Börde"), "borde");
        assert_eq!(fold("Boerde"), "borde");
        assert_eq!(fold("Borde"), "borde");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Übergänge"), "ubergange");
    }

    #[test]
    fn words_are_split_and_folded() {
        assert_eq!(fold_words("Landkreis Börde"), vec!["landkreis", "borde"]);
        assert_eq!(fold_words("  Stadt-Dortmund! "), vec!["stadt", "dortmund"]);
    }

    #[test]
    fn slugs_keep_the_spelling() {
        assert_eq!(slugify("Landkreis Börde"), "landkreis-borde");
        assert_eq!(
            slugify("Netzwerkbüro Bildung Rheinisches Revier"),
            "netzwerkburo-bildung-rheinisches-revier"
        );
    }
}
