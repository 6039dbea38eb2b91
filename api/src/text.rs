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

/// `value` with `decimals` decimals, rounded half up as the number is written (its shortest
/// decimal form: 7.95 is "8.0" with one decimal, 2.675 is "2.68" with two), not as binary
/// floating point holds it (7.95 is stored as 7.9499999…, which `format!` rounds down).
/// A `.` separates the decimals; no grouping.
pub fn decimal_half_up(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    // Rust writes an f64 as the shortest decimal that reads back as it, never in exponent form.
    let written = format!("{}", value.abs());
    let (whole, fraction) = written.split_once('.').unwrap_or((&written, ""));
    let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).map(|b| b - b'0').collect();
    let keep = whole.len() + decimals;
    let round_up = digits.get(keep).is_some_and(|digit| *digit >= 5);
    digits.resize(keep, 0);
    if round_up {
        let mut position = keep;
        loop {
            if position == 0 {
                digits.insert(0, 1);
                break;
            }
            position -= 1;
            if digits[position] == 9 {
                digits[position] = 0;
            } else {
                digits[position] += 1;
                break;
            }
        }
    }
    let point = digits.len() - decimals;
    let text: String = digits.iter().map(|digit| char::from(b'0' + digit)).collect();
    let (whole, fraction) = text.split_at(point);
    let whole = if whole.is_empty() { "0" } else { whole };
    let zero = text.bytes().all(|b| b == b'0');
    let sign = if value < 0.0 && !zero { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// The middle of `a` and `b` as their decimal forms give it: the middle of 7.7 and 8.2 is
/// 7.95 (binary floating point gives 7.9499999…, which rounds to 7.9).
pub fn midpoint(a: f64, b: f64) -> f64 {
    let places = |x: f64| format!("{x}").split_once('.').map_or(0, |(_, fraction)| fraction.len());
    let exact = places(a).max(places(b)) + 1;
    let middle = (a / 2.0) + (b / 2.0);
    format!("{middle:.exact$}").parse().unwrap_or(middle)
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
    fn decimals_round_half_up_as_written() {
        assert_eq!(decimal_half_up(7.95, 1), "8.0");
        assert_eq!(decimal_half_up(8.15, 1), "8.2");
        assert_eq!(decimal_half_up(7.75, 1), "7.8");
        assert_eq!(decimal_half_up(2.675, 2), "2.68");
        assert_eq!(decimal_half_up(9.96, 1), "10.0");
        assert_eq!(decimal_half_up(-0.04, 1), "0.0");
        assert_eq!(decimal_half_up(-1.25, 1), "-1.3");
        assert_eq!(decimal_half_up(1234.0, 0), "1234");
        assert_eq!(decimal_half_up(0.5, 0), "1");
        assert_eq!(midpoint(7.7, 8.2), 7.95);
        assert_eq!(decimal_half_up(midpoint(7.7, 8.2), 1), "8.0");
    }

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
