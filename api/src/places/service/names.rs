//! Names as people write them. The statistical offices put the kind after the name ("Bottrop,
//! Stadt", "Kiel, Landeshauptstadt") and leave it off a Kreis ("Börde" for Landkreis Börde);
//! the platform shows "Stadt Bottrop", "Landeshauptstadt Kiel" and "Landkreis Börde", as the
//! municipalities call themselves.

/// A town's or city's name: "Bottrop, Stadt" → "Stadt Bottrop"; "Essen, kreisfreie Stadt" →
/// "Stadt Essen"; a name without a comma stays.
pub fn town_name(official: &str) -> String {
    match official.split_once(", ") {
        Some((name, kind)) => {
            let kind = if kind.eq_ignore_ascii_case("kreisfreie Stadt") {
                "Stadt"
            } else {
                kind
            };
            format!("{kind} {name}")
        }
        None => official.to_owned(),
    }
}

/// A district's name with its kind in front, unless the name says it already ("Rhein-Erft-Kreis",
/// "Region Hannover", "Städteregion Aachen"): "Börde" (Landkreis) → "Landkreis Börde".
pub fn district_name(official: &str, kind_word: &str) -> String {
    let lower = official.to_lowercase();
    if lower.contains("kreis") || lower.contains("region") || lower.contains(',') {
        town_name(official)
    } else {
        format!("{kind_word} {official}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_people_write_them() {
        assert_eq!(town_name("Bottrop, Stadt"), "Stadt Bottrop");
        assert_eq!(town_name("Kiel, Landeshauptstadt"), "Landeshauptstadt Kiel");
        assert_eq!(town_name("Essen, kreisfreie Stadt"), "Stadt Essen");
        assert_eq!(town_name("Eberbach"), "Eberbach");
        assert_eq!(district_name("Börde", "Landkreis"), "Landkreis Börde");
        assert_eq!(district_name("Recklinghausen", "Kreis"), "Kreis Recklinghausen");
        assert_eq!(district_name("Rhein-Erft-Kreis", "Kreis"), "Rhein-Erft-Kreis");
        assert_eq!(district_name("Region Hannover", "Landkreis"), "Region Hannover");
    }
}
