//! The vocabularies of good practices in GraphQL: editorial status, target groups and stages of
//! the education system (each mirrors its entity enum).

use async_graphql::Enum;

/// Where a good practice stands in its editorial workflow.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::PracticeStatus")]
pub enum PracticeStatus {
    /// Being written; visible only to the owner agency's editors.
    Draft,
    /// Public.
    Published,
    /// Withdrawn from the public; visible only to the owner agency's editors.
    Archived,
}

/// Who a good practice is for.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::TargetGroup")]
pub enum TargetGroup {
    /// Children (Kinder).
    Children,
    /// Young people (Jugendliche).
    YoungPeople,
    /// Young adults (junge Erwachsene).
    YoungAdults,
    /// Parents and families (Eltern und Familien).
    ParentsAndFamilies,
    /// Adults (Erwachsene).
    Adults,
    /// Older people (Ältere, Senior:innen).
    Seniors,
    /// Newly arrived immigrants (Neuzugewanderte).
    NewlyArrived,
    /// Education professionals: teachers, educators, counsellors (pädagogische Fachkräfte).
    EducationProfessionals,
    /// Municipal administration (Verwaltung).
    Administration,
    /// Civil society: associations, volunteers (Zivilgesellschaft).
    CivilSociety,
}

/// The stage of the education system a good practice works in.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::EducationStage")]
pub enum EducationStage {
    /// Early childhood education (frühkindliche Bildung, Kita).
    EarlyChildhood,
    /// Primary school (Grundschule).
    Primary,
    /// Secondary school (Sekundarstufe).
    Secondary,
    /// Transition from school to work (Übergang Schule–Beruf).
    TransitionSchoolWork,
    /// Vocational education and training (berufliche Bildung).
    Vocational,
    /// Higher education (Hochschule).
    HigherEducation,
    /// Adult and continuing education (Weiterbildung).
    AdultEducation,
    /// Non-formal and informal learning (non-formale und informelle Bildung).
    NonFormal,
}
