//! GV100AD files for tests, built from Destatis' published record layout (fixed width, positions
//! counting characters): record type (1–2), Gebietsstand (3–10), Land/RB/Kreis (11–15),
//! Gemeindeverband (16–19), Gemeinde (20–22), name (23–72), seat (73–122), Textkennzeichen
//! (123–124), area in hectares (129–139) and population (140–150) of a Gemeinde.

/// One record, as the file's line.
fn line(kind: &str, date: &str, key: &str, name: &str, text_code: &str, figures: Option<(i64, i64)>) -> String {
    let mut line = format!("{kind}{date}{key:<12}{name:<50}{:<50}{text_code:<2}", "");
    if let Some((hectares, population)) = figures {
        line.push_str(&format!("    {hectares:011}{population:011}{:011}", population / 2));
    }
    line
}

/// A file of one Gebietsstand (`YYYYMMDD`).
pub struct Gv100ad {
    date: String,
    lines: Vec<String>,
}

impl Gv100ad {
    pub fn new(date: &str) -> Self {
        Gv100ad {
            date: date.to_owned(),
            lines: Vec::new(),
        }
    }

    /// A Land (2-digit key).
    pub fn land(mut self, key: &str, name: &str) -> Self {
        self.lines.push(line("10", &self.date, key, name, "", None));
        self
    }

    /// A Kreis (5-digit key): Textkennzeichen 41 kreisfreie Stadt, 43 Kreis, 44 Landkreis, 45
    /// Regionalverband.
    pub fn kreis(mut self, key: &str, name: &str, text_code: &str) -> Self {
        self.lines.push(line("40", &self.date, key, name, text_code, None));
        self
    }

    /// A Gemeindeverband: the Kreis key and the 4-digit association key (Textkennzeichen 51 Amt,
    /// 50 verbandsfreie Gemeinde …).
    pub fn verband(mut self, kreis: &str, association: &str, name: &str, text_code: &str) -> Self {
        let key = format!("{kreis}{association}");
        self.lines.push(line("50", &self.date, &key, name, text_code, None));
        self
    }

    /// A Gemeinde: its 8-digit AGS, its association key, area in hectares and population.
    pub fn gemeinde(mut self, ags: &str, association: &str, name: &str, hectares: i64, population: i64) -> Self {
        let key = format!("{}{association}{}", &ags[..5], &ags[5..]);
        self.lines
            .push(line("60", &self.date, &key, name, "63", Some((hectares, population))));
        self
    }

    /// A line as given (for malformed files).
    pub fn raw(mut self, text: &str) -> Self {
        self.lines.push(text.to_owned());
        self
    }

    /// The file, lines ended by CRLF as Destatis ships it.
    pub fn crlf(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\r\n")).collect()
    }

    /// The file, lines ended by LF.
    pub fn lf(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\n")).collect()
    }
}
