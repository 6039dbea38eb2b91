//! The German states (Länder) as a GraphQL enum, named by their official two-letter codes.

use async_graphql::Enum;

/// The sixteen German states (Länder), by their official two-letter codes.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::State")]
pub enum State {
    /// Schleswig-Holstein (AGS 01…).
    #[graphql(name = "SH")]
    Sh,
    /// Hamburg (AGS 02…).
    #[graphql(name = "HH")]
    Hh,
    /// Niedersachsen (AGS 03…).
    #[graphql(name = "NI")]
    Ni,
    /// Bremen (AGS 04…).
    #[graphql(name = "HB")]
    Hb,
    /// Nordrhein-Westfalen (AGS 05…).
    #[graphql(name = "NW")]
    Nw,
    /// Hessen (AGS 06…).
    #[graphql(name = "HE")]
    He,
    /// Rheinland-Pfalz (AGS 07…).
    #[graphql(name = "RP")]
    Rp,
    /// Baden-Württemberg (AGS 08…).
    #[graphql(name = "BW")]
    Bw,
    /// Bayern (AGS 09…).
    #[graphql(name = "BY")]
    By,
    /// Saarland (AGS 10…).
    #[graphql(name = "SL")]
    Sl,
    /// Berlin (AGS 11…).
    #[graphql(name = "BE")]
    Be,
    /// Brandenburg (AGS 12…).
    #[graphql(name = "BB")]
    Bb,
    /// Mecklenburg-Vorpommern (AGS 13…).
    #[graphql(name = "MV")]
    Mv,
    /// Sachsen (AGS 14…).
    #[graphql(name = "SN")]
    Sn,
    /// Sachsen-Anhalt (AGS 15…).
    #[graphql(name = "ST")]
    St,
    /// Thüringen (AGS 16…).
    #[graphql(name = "TH")]
    Th,
}
