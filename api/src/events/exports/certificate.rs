//! The attendance certificate (Teilnahmebescheinigung) as a PDF: one A4 page in German, the
//! DejaVu fonts embedded (subset, so a reader needs none installed), the verification code and
//! where to check it.

use std::sync::LazyLock;

use chrono_tz::Tz;
use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};

use crate::events::service::CertificateFacts;

static REGULAR: LazyLock<Option<Font>> = LazyLock::new(|| {
    Font::new(
        include_bytes!("../../../assets/fonts/DejaVuSans.ttf").as_slice().into(),
        0,
    )
});
static BOLD: LazyLock<Option<Font>> = LazyLock::new(|| {
    Font::new(
        include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf")
            .as_slice()
            .into(),
        0,
    )
});

/// A4 in points.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const LEFT: f32 = 72.0;

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// The German date and times of the event in its time zone: `12.01.2027, 09:00–12:00 Uhr`.
pub fn when(facts: &CertificateFacts) -> String {
    let tz: Tz = facts.time_zone.parse().unwrap_or(Tz::Europe__Berlin);
    let (starts, ends) = (facts.starts_at.with_timezone(&tz), facts.ends_at.with_timezone(&tz));
    if starts.date_naive() == ends.date_naive() {
        format!(
            "{}, {}–{} Uhr",
            starts.format("%d.%m.%Y"),
            starts.format("%H:%M"),
            ends.format("%H:%M")
        )
    } else {
        format!(
            "{} bis {}",
            starts.format("%d.%m.%Y, %H:%M Uhr"),
            ends.format("%d.%m.%Y, %H:%M Uhr")
        )
    }
}

/// The hours in German (`3`, `2,5`, `1,75`).
pub fn hours(facts: &CertificateFacts) -> String {
    let text = format!("{:.2}", facts.hours);
    text.trim_end_matches('0').trim_end_matches('.').replace('.', ",")
}

/// The certificate of `facts`, checkable at `verify_url`; `None` if the fonts cannot be read
/// (they are part of the binary) or the PDF cannot be written.
pub fn certificate_pdf(facts: &CertificateFacts, verify_url: &str) -> Option<Vec<u8>> {
    let (regular, bold) = (REGULAR.clone()?, BOLD.clone()?);
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Teilnahmebescheinigung – {}", facts.event_title))
            .language("de".to_owned())
            .creator("dkbm-hub".to_owned()),
    );
    let mut page = document.start_page_with(PageSettings::from_wh(WIDTH, HEIGHT)?);
    let mut surface = page.surface();
    let mut y = 130.0;
    let mut write = |font: &Font, size: f32, text: &str, gap: f32| {
        surface.draw_text(
            Point::from_xy(LEFT, y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
        y += gap;
    };
    write(&bold, 26.0, "Teilnahmebescheinigung", 60.0);
    write(&regular, 12.0, "Hiermit wird bestätigt, dass", 32.0);
    write(&bold, 18.0, &facts.member_name, 36.0);
    write(&regular, 12.0, "an der Veranstaltung", 28.0);
    for line in wrapped(&facts.event_title, 48) {
        write(&bold, 15.0, &line, 21.0);
    }
    write(&regular, 12.0, &format!("am {} teilgenommen hat.", when(facts)), 40.0);
    write(&regular, 12.0, &format!("Umfang: {} Zeitstunden", hours(facts)), 22.0);
    if !facts.topics.is_empty() {
        for (n, line) in wrapped(&facts.topics.join(", "), 70).iter().enumerate() {
            let label = if n == 0 { "Themen: " } else { "             " };
            write(&regular, 12.0, &format!("{label}{line}"), 18.0);
        }
        write(&regular, 12.0, "", 4.0);
    }
    write(&regular, 12.0, &format!("Veranstalter: {}", facts.organizer), 80.0);
    write(&bold, 12.0, &format!("Prüfcode: {}", facts.code), 20.0);
    for line in wrapped(&format!("Echtheit prüfen: {verify_url}"), 80) {
        write(&regular, 9.0, &line, 13.0);
    }
    surface.finish();
    page.finish();
    document.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_break_at_spaces() {
        assert_eq!(
            wrapped("Werkstatt Übergänge gestalten", 20),
            ["Werkstatt Übergänge", "gestalten"]
        );
    }
}
