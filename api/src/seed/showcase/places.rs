//! Where the showcase's practices come from: sixty real districts (keys from
//! `api/assets/kreise-2018.csv`: a Kreis by its five digits, a kreisfreie Stadt or Stadtkreis by
//! its eight-digit AGS) and the theme each one shares. The practices themselves are invented.

use dkbm_entity::State;

use super::themes::Theme;
use State::{Bb, Bw, By, He, Mv, Ni, Nw, Rp, Sh, Sl, Sn, St, Th};
use Theme::{
    Conference, CulturalEducation, DataProtection, EarlyEducation, Families, FurtherEducation, Inclusion, Integration,
    Mint, Monitoring, OpenAllDay, Transition,
};

/// A district (or two working together) and the theme of its practice.
pub(super) struct Place {
    /// The AGS of the municipalities the practice belongs to.
    pub ags: &'static [&'static str],
    /// The place's part of the practice's slug.
    pub slug: &'static str,
    /// The place's name, as a contact line names it ("Landkreis Harz").
    pub name: &'static str,
    /// The place after "in" ("im Landkreis Harz", "in Jena").
    pub in_place: &'static str,
    /// The Land.
    pub state: State,
    /// What the practice is about.
    pub theme: Theme,
}

/// A row of [`PLACES`].
const fn place(
    ags: &'static [&'static str],
    slug: &'static str,
    name: &'static str,
    in_place: &'static str,
    state: State,
    theme: Theme,
) -> Place {
    Place {
        ags,
        slug,
        name,
        in_place,
        state,
        theme,
    }
}

/// The sixty places, five per theme, in thirteen Länder.
#[rustfmt::skip]
pub(super) const PLACES: &[Place] = &[
    place(&["05111000"], "duesseldorf", "Stadt Düsseldorf", "in Düsseldorf", Nw, OpenAllDay),
    place(&["05315000"], "koeln", "Stadt Köln", "in Köln", Nw, Integration),
    place(&["05515000"], "muenster", "Stadt Münster", "in Münster", Nw, FurtherEducation),
    place(&["05711000"], "bielefeld", "Stadt Bielefeld", "in Bielefeld", Nw, Conference),
    place(&["05911000"], "bochum", "Stadt Bochum", "in Bochum", Nw, Transition),
    place(&["05766"], "kreis-lippe", "Kreis Lippe", "im Kreis Lippe", Nw, Monitoring),
    place(&["05754"], "kreis-guetersloh", "Kreis Gütersloh", "im Kreis Gütersloh", Nw, Mint),
    place(&["05970"], "siegen-wittgenstein", "Kreis Siegen-Wittgenstein",
          "im Kreis Siegen-Wittgenstein", Nw, EarlyEducation),
    place(&["09162000"], "muenchen", "Landeshauptstadt München", "in München", By, Integration),
    place(&["09564000"], "nuernberg", "Stadt Nürnberg", "in Nürnberg", By, Monitoring),
    place(&["09761000"], "augsburg", "Stadt Augsburg", "in Augsburg", By, Families),
    place(&["09362000"], "regensburg", "Stadt Regensburg", "in Regensburg", By, Mint),
    place(&["09262000", "09275"], "passau", "Stadt und Landkreis Passau",
          "in Stadt und Landkreis Passau", By, Conference),
    place(&["09184"], "landkreis-muenchen", "Landkreis München", "im Landkreis München", By, OpenAllDay),
    place(&["09471"], "landkreis-bamberg", "Landkreis Bamberg", "im Landkreis Bamberg", By, DataProtection),
    place(&["09780"], "oberallgaeu", "Landkreis Oberallgäu", "im Landkreis Oberallgäu", By, CulturalEducation),
    place(&["03241"], "region-hannover", "Region Hannover", "in der Region Hannover", Ni, Transition),
    place(&["03101000"], "braunschweig", "Stadt Braunschweig", "in Braunschweig", Ni, Mint),
    place(&["03403000"], "oldenburg", "Stadt Oldenburg", "in Oldenburg", Ni, Inclusion),
    place(&["03159"], "landkreis-goettingen", "Landkreis Göttingen", "im Landkreis Göttingen", Ni, FurtherEducation),
    place(&["03454"], "emsland", "Landkreis Emsland", "im Emsland", Ni, EarlyEducation),
    place(&["03355"], "landkreis-lueneburg", "Landkreis Lüneburg", "im Landkreis Lüneburg", Ni, Monitoring),
    place(&["06412000"], "frankfurt-am-main", "Stadt Frankfurt am Main", "in Frankfurt am Main", He, Families),
    place(&["06611000"], "kassel", "Stadt Kassel", "in Kassel", He, Transition),
    place(&["06531"], "landkreis-giessen", "Landkreis Gießen", "im Landkreis Gießen", He, DataProtection),
    place(&["06435"], "main-kinzig-kreis", "Main-Kinzig-Kreis", "im Main-Kinzig-Kreis", He, Integration),
    place(&["06631"], "landkreis-fulda", "Landkreis Fulda", "im Landkreis Fulda", He, OpenAllDay),
    place(&["08111000"], "stuttgart", "Landeshauptstadt Stuttgart", "in Stuttgart", Bw, CulturalEducation),
    place(&["08222000"], "mannheim", "Stadt Mannheim", "in Mannheim", Bw, Monitoring),
    place(&["08311000"], "freiburg", "Stadt Freiburg im Breisgau", "in Freiburg im Breisgau", Bw, Inclusion),
    place(&["08421000"], "ulm", "Stadt Ulm", "in Ulm", Bw, FurtherEducation),
    place(&["08317"], "ortenaukreis", "Ortenaukreis", "im Ortenaukreis", Bw, Conference),
    place(&["08416"], "landkreis-tuebingen", "Landkreis Tübingen", "im Landkreis Tübingen", Bw, EarlyEducation),
    place(&["14713000"], "leipzig", "Stadt Leipzig", "in Leipzig", Sn, DataProtection),
    place(&["14612000"], "dresden", "Landeshauptstadt Dresden", "in Dresden", Sn, OpenAllDay),
    place(&["14511000"], "chemnitz", "Stadt Chemnitz", "in Chemnitz", Sn, Mint),
    place(&["14523"], "vogtlandkreis", "Vogtlandkreis", "im Vogtlandkreis", Sn, Transition),
    place(&["14626"], "landkreis-goerlitz", "Landkreis Görlitz", "im Landkreis Görlitz", Sn, Integration),
    place(&["15003000"], "magdeburg", "Landeshauptstadt Magdeburg", "in Magdeburg", St, Families),
    place(&["15002000"], "halle-saale", "Stadt Halle (Saale)", "in Halle (Saale)", St, CulturalEducation),
    place(&["15085"], "landkreis-harz", "Landkreis Harz", "im Landkreis Harz", St, Monitoring),
    place(&["15091"], "landkreis-wittenberg", "Landkreis Wittenberg", "im Landkreis Wittenberg", St, FurtherEducation),
    place(&["16051000"], "erfurt", "Landeshauptstadt Erfurt", "in Erfurt", Th, Inclusion),
    place(&["16053000"], "jena", "Stadt Jena", "in Jena", Th, Mint),
    place(&["16067"], "landkreis-gotha", "Landkreis Gotha", "im Landkreis Gotha", Th, Conference),
    place(&["16063"], "wartburgkreis", "Wartburgkreis", "im Wartburgkreis", Th, EarlyEducation),
    place(&["12054000"], "potsdam", "Landeshauptstadt Potsdam", "in Potsdam", Bb, DataProtection),
    place(&["12052000"], "cottbus", "Stadt Cottbus", "in Cottbus", Bb, Transition),
    place(&["12060"], "landkreis-barnim", "Landkreis Barnim", "im Landkreis Barnim", Bb, Families),
    place(&["12071"], "spree-neisse", "Landkreis Spree-Neiße", "im Landkreis Spree-Neiße", Bb, CulturalEducation),
    place(&["13003000"], "rostock", "Hanse- und Universitätsstadt Rostock", "in Rostock", Mv, Inclusion),
    place(&["13004000"], "schwerin", "Landeshauptstadt Schwerin", "in Schwerin", Mv, FurtherEducation),
    place(&["13075"], "vorpommern-greifswald", "Landkreis Vorpommern-Greifswald",
          "im Landkreis Vorpommern-Greifswald", Mv, OpenAllDay),
    place(&["07315000"], "mainz", "Landeshauptstadt Mainz", "in Mainz", Rp, Integration),
    place(&["07211000"], "trier", "Stadt Trier", "in Trier", Rp, CulturalEducation),
    place(&["07143"], "westerwaldkreis", "Westerwaldkreis", "im Westerwaldkreis", Rp, Conference),
    place(&["01002000"], "kiel", "Landeshauptstadt Kiel", "in Kiel", Sh, DataProtection),
    place(&["01058"], "rendsburg-eckernfoerde", "Kreis Rendsburg-Eckernförde",
          "im Kreis Rendsburg-Eckernförde", Sh, Families),
    place(&["10041"], "regionalverband-saarbruecken", "Regionalverband Saarbrücken",
          "im Regionalverband Saarbrücken", Sl, Inclusion),
    place(&["10044"], "landkreis-saarlouis", "Landkreis Saarlouis", "im Landkreis Saarlouis", Sl, EarlyEducation),
];
