//! Download links: `/files/{id}/{filename}`, plain for attachments of public targets, signed
//! (`?exp=&sig=`) for the others. A signed link's expiry is rounded up to the next five minutes
//! (when it lives ten minutes or more), so that the same attachment asked for again soon has the
//! same link (and browsers reuse what they loaded).

use std::time::Duration;

use super::read::{Shown, subject};
use crate::ids::{AttachmentId, global};
use crate::storage::UrlSigner;

/// Signed links end on a multiple of this many seconds.
const ROUND_SECS: i64 = 300;

/// The path of an attachment's download.
pub fn download_path(id: AttachmentId, filename: &str) -> String {
    format!("/files/{}/{}", global(id), percent_encoded(filename))
}

/// The path (with the signed query where needed) that downloads `shown`.
pub fn link(shown: &Shown, signer: &UrlSigner, ttl: Duration, now: i64) -> String {
    let id = AttachmentId::from(shown.row.id);
    let path = download_path(id, &shown.row.filename);
    if shown.public {
        return path;
    }
    let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
    let mut expires = now.saturating_add(ttl);
    if ttl >= 2 * ROUND_SECS {
        expires = (expires + ROUND_SECS - 1) / ROUND_SECS * ROUND_SECS;
    }
    let signature = signer.sign(&subject(id), expires);
    format!("{path}?exp={expires}&sig={signature}")
}

/// `text` with everything but unreserved ASCII percent-encoded (UTF-8): for a path segment and
/// for RFC 5987's `filename*`.
pub fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `Content-Disposition` for a download of `filename` (RFC 6266): an ASCII fallback for old
/// clients and the exact name as RFC 5987 `filename*`; `inline` for what browsers show (PDF,
/// images), `attachment` for the rest.
pub fn content_disposition(filename: &str, content_type: &str) -> String {
    let inline = content_type == "application/pdf" || content_type.starts_with("image/");
    let fallback: String = deunicode::deunicode(filename)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{}; filename=\"{fallback}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        percent_encoded(filename)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_are_named_twice() {
        assert_eq!(
            content_disposition("Übergänge \"Schule\".pdf", "application/pdf"),
            "inline; filename=\"Ubergange _Schule_.pdf\"; filename*=UTF-8''%C3%9Cberg%C3%A4nge%20%22Schule%22.pdf"
        );
        assert!(content_disposition("werte.csv", "text/csv; charset=utf-8").starts_with("attachment;"));
    }
}
