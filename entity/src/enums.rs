//! Enumerations shared by several tables, stored as short upper-case strings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of organisation an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum AgencyKind {
    #[sea_orm(string_value = "TRANSFER_AGENCY")]
    TransferAgency,
    #[sea_orm(string_value = "NETWORK_OFFICE")]
    NetworkOffice,
    #[sea_orm(string_value = "FOUNDATION")]
    Foundation,
    #[sea_orm(string_value = "ASSOCIATION")]
    Association,
    #[sea_orm(string_value = "MUNICIPAL_OFFICE")]
    MunicipalOffice,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// The administrative kind of a municipality (Kommune).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum MunicipalityKind {
    #[sea_orm(string_value = "KREISFREIE_STADT")]
    KreisfreieStadt,
    #[sea_orm(string_value = "KREIS")]
    Kreis,
    #[sea_orm(string_value = "KREISANGEHOERIGE_GEMEINDE")]
    KreisangehoerigeGemeinde,
    #[sea_orm(string_value = "REGION")]
    Region,
    #[sea_orm(string_value = "LAND")]
    Land,
    #[sea_orm(string_value = "REGIERUNGSBEZIRK")]
    Regierungsbezirk,
    #[sea_orm(string_value = "GEMEINDEVERBAND")]
    Gemeindeverband,
}

/// What a recorded succession is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SuccessionSubject {
    #[sea_orm(string_value = "MUNICIPALITY")]
    Municipality,
    #[sea_orm(string_value = "AGENCY")]
    Agency,
    #[sea_orm(string_value = "PROGRAMME")]
    Programme,
}

/// Why one place or organisation followed another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SuccessionReason {
    #[sea_orm(string_value = "MERGED")]
    Merged,
    #[sea_orm(string_value = "SPLIT")]
    Split,
    #[sea_orm(string_value = "RENAMED")]
    Renamed,
    #[sea_orm(string_value = "REKEYED")]
    Rekeyed,
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
}

/// The sixteen German states (Länder), by their official two-letter codes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(2))")]
pub enum State {
    #[sea_orm(string_value = "SH")]
    Sh,
    #[sea_orm(string_value = "HH")]
    Hh,
    #[sea_orm(string_value = "NI")]
    Ni,
    #[sea_orm(string_value = "HB")]
    Hb,
    #[sea_orm(string_value = "NW")]
    Nw,
    #[sea_orm(string_value = "HE")]
    He,
    #[sea_orm(string_value = "RP")]
    Rp,
    #[sea_orm(string_value = "BW")]
    Bw,
    #[sea_orm(string_value = "BY")]
    By,
    #[sea_orm(string_value = "SL")]
    Sl,
    #[sea_orm(string_value = "BE")]
    Be,
    #[sea_orm(string_value = "BB")]
    Bb,
    #[sea_orm(string_value = "MV")]
    Mv,
    #[sea_orm(string_value = "SN")]
    Sn,
    #[sea_orm(string_value = "ST")]
    St,
    #[sea_orm(string_value = "TH")]
    Th,
}

impl State {
    /// The official two-letter code (NW, ST, …).
    pub const fn code(self) -> &'static str {
        match self {
            State::Sh => "SH",
            State::Hh => "HH",
            State::Ni => "NI",
            State::Hb => "HB",
            State::Nw => "NW",
            State::He => "HE",
            State::Rp => "RP",
            State::Bw => "BW",
            State::By => "BY",
            State::Sl => "SL",
            State::Be => "BE",
            State::Bb => "BB",
            State::Mv => "MV",
            State::Sn => "SN",
            State::St => "ST",
            State::Th => "TH",
        }
    }

    /// The state's bit in the practices' facet masks: its key minus one (0 to 15).
    pub const fn bit(self) -> u32 {
        match self {
            State::Sh => 0,
            State::Hh => 1,
            State::Ni => 2,
            State::Hb => 3,
            State::Nw => 4,
            State::He => 5,
            State::Rp => 6,
            State::Bw => 7,
            State::By => 8,
            State::Sl => 9,
            State::Be => 10,
            State::Bb => 11,
            State::Mv => 12,
            State::Sn => 13,
            State::St => 14,
            State::Th => 15,
        }
    }

    /// The first two digits of every AGS in this state (the Länderschlüssel).
    pub const fn ags_prefix(self) -> &'static str {
        match self {
            State::Sh => "01",
            State::Hh => "02",
            State::Ni => "03",
            State::Hb => "04",
            State::Nw => "05",
            State::He => "06",
            State::Rp => "07",
            State::Bw => "08",
            State::By => "09",
            State::Sl => "10",
            State::Be => "11",
            State::Bb => "12",
            State::Mv => "13",
            State::Sn => "14",
            State::St => "15",
            State::Th => "16",
        }
    }
}

/// The two kinds of agreement the community signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum AgreementKind {
    /// Zielvereinbarung: an agency and a municipality agree on goals of accompaniment.
    #[sea_orm(string_value = "TARGET_AGREEMENT")]
    TargetAgreement,
    /// Kooperationsvereinbarung: two organisations agree to cooperate.
    #[sea_orm(string_value = "COOPERATION_AGREEMENT")]
    CooperationAgreement,
}

/// A role granted to a member. Every signed-in member is a MEMBER without a grant; these are
/// the grants on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Role {
    /// Publishes content (good practices, events) for one agency.
    #[sea_orm(string_value = "EDITOR")]
    Editor,
    /// Manages one agency: its editors, admins and API clients; edits its content.
    #[sea_orm(string_value = "AGENCY_ADMIN")]
    AgencyAdmin,
    /// Moderates the forums.
    #[sea_orm(string_value = "MODERATOR")]
    Moderator,
    /// Administers the platform.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// Works for one municipality (its Bildungsbüro): takes part in its accompaniments.
    #[sea_orm(string_value = "MUNICIPAL_STAFF")]
    MunicipalStaff,
}

impl Role {
    /// Whether the role is held for one agency (EDITOR, AGENCY_ADMIN) or platform-wide.
    pub const fn is_per_agency(self) -> bool {
        matches!(self, Role::Editor | Role::AgencyAdmin)
    }

    /// Whether the role is held for one municipality (MUNICIPAL_STAFF).
    pub const fn is_per_municipality(self) -> bool {
        matches!(self, Role::MunicipalStaff)
    }

    /// The stored name.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Editor => "EDITOR",
            Role::AgencyAdmin => "AGENCY_ADMIN",
            Role::Moderator => "MODERATOR",
            Role::Admin => "ADMIN",
            Role::MunicipalStaff => "MUNICIPAL_STAFF",
        }
    }
}

/// Where a good practice stands in its editorial workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PracticeStatus {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "PUBLISHED")]
    Published,
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
}

/// Who a good practice is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum TargetGroup {
    #[sea_orm(string_value = "CHILDREN")]
    Children,
    #[sea_orm(string_value = "YOUNG_PEOPLE")]
    YoungPeople,
    #[sea_orm(string_value = "YOUNG_ADULTS")]
    YoungAdults,
    #[sea_orm(string_value = "PARENTS_AND_FAMILIES")]
    ParentsAndFamilies,
    #[sea_orm(string_value = "ADULTS")]
    Adults,
    #[sea_orm(string_value = "SENIORS")]
    Seniors,
    #[sea_orm(string_value = "NEWLY_ARRIVED")]
    NewlyArrived,
    #[sea_orm(string_value = "EDUCATION_PROFESSIONALS")]
    EducationProfessionals,
    #[sea_orm(string_value = "ADMINISTRATION")]
    Administration,
    #[sea_orm(string_value = "CIVIL_SOCIETY")]
    CivilSociety,
}

impl TargetGroup {
    /// The group's bit in the practices' facet masks (stable: new groups are appended).
    pub const fn bit(self) -> u32 {
        match self {
            TargetGroup::Children => 0,
            TargetGroup::YoungPeople => 1,
            TargetGroup::YoungAdults => 2,
            TargetGroup::ParentsAndFamilies => 3,
            TargetGroup::Adults => 4,
            TargetGroup::Seniors => 5,
            TargetGroup::NewlyArrived => 6,
            TargetGroup::EducationProfessionals => 7,
            TargetGroup::Administration => 8,
            TargetGroup::CivilSociety => 9,
        }
    }
}

/// The stage of the education system a good practice works in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EducationStage {
    #[sea_orm(string_value = "EARLY_CHILDHOOD")]
    EarlyChildhood,
    #[sea_orm(string_value = "PRIMARY")]
    Primary,
    #[sea_orm(string_value = "SECONDARY")]
    Secondary,
    #[sea_orm(string_value = "TRANSITION_SCHOOL_WORK")]
    TransitionSchoolWork,
    #[sea_orm(string_value = "VOCATIONAL")]
    Vocational,
    #[sea_orm(string_value = "HIGHER_EDUCATION")]
    HigherEducation,
    #[sea_orm(string_value = "ADULT_EDUCATION")]
    AdultEducation,
    #[sea_orm(string_value = "NON_FORMAL")]
    NonFormal,
}

impl EducationStage {
    /// The stage's bit in the practices' facet masks (stable: new stages are appended).
    pub const fn bit(self) -> u32 {
        match self {
            EducationStage::EarlyChildhood => 0,
            EducationStage::Primary => 1,
            EducationStage::Secondary => 2,
            EducationStage::TransitionSchoolWork => 3,
            EducationStage::Vocational => 4,
            EducationStage::HigherEducation => 5,
            EducationStage::AdultEducation => 6,
            EducationStage::NonFormal => 7,
        }
    }
}

/// The format of a training event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EventFormat {
    #[sea_orm(string_value = "WORKSHOP")]
    Workshop,
    #[sea_orm(string_value = "WEBINAR")]
    Webinar,
    #[sea_orm(string_value = "CONFERENCE")]
    Conference,
    #[sea_orm(string_value = "PEER_EXCHANGE")]
    PeerExchange,
    #[sea_orm(string_value = "TRAINING_SERIES")]
    TrainingSeries,
}

/// Where a training event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EventStatus {
    #[sea_orm(string_value = "SCHEDULED")]
    Scheduled,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
}

/// Where a registration for an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RegistrationStatus {
    #[sea_orm(string_value = "CONFIRMED")]
    Confirmed,
    #[sea_orm(string_value = "WAITLISTED")]
    Waitlisted,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
    #[sea_orm(string_value = "ATTENDED")]
    Attended,
}

impl RegistrationStatus {
    /// Whether the registration holds a seat.
    pub const fn holds_seat(self) -> bool {
        matches!(self, RegistrationStatus::Confirmed | RegistrationStatus::Attended)
    }
}

/// What the organiser recorded about a participant's attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Attendance {
    #[sea_orm(string_value = "ATTENDED")]
    Attended,
    #[sea_orm(string_value = "NO_SHOW")]
    NoShow,
}

/// Who can see and write in a forum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ForumVisibility {
    /// Anyone reads; members write.
    #[sea_orm(string_value = "PUBLIC")]
    Public,
    /// Members read and write.
    #[sea_orm(string_value = "MEMBERS")]
    Members,
    /// Only the group's members (and moderators) know it exists.
    #[sea_orm(string_value = "GROUP")]
    Group,
}

/// A member's role in one forum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ForumRole {
    /// Belongs to the forum's group (reads and writes a GROUP forum).
    #[sea_orm(string_value = "MEMBER")]
    Member,
    /// Moderates the forum (and belongs to its group).
    #[sea_orm(string_value = "MODERATOR")]
    Moderator,
}

/// Why a member is notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum NotificationKind {
    #[sea_orm(string_value = "NEW_POST")]
    NewPost,
    #[sea_orm(string_value = "REPLY")]
    Reply,
}

/// A moderator's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ModerationAction {
    #[sea_orm(string_value = "PIN")]
    Pin,
    #[sea_orm(string_value = "UNPIN")]
    Unpin,
    #[sea_orm(string_value = "LOCK")]
    Lock,
    #[sea_orm(string_value = "UNLOCK")]
    Unlock,
    #[sea_orm(string_value = "HIDE")]
    Hide,
    #[sea_orm(string_value = "UNHIDE")]
    Unhide,
    #[sea_orm(string_value = "DELETE_POST")]
    DeletePost,
    #[sea_orm(string_value = "MOVE_IN")]
    MoveIn,
    #[sea_orm(string_value = "MOVE_OUT")]
    MoveOut,
    #[sea_orm(string_value = "SET_ROLE")]
    SetRole,
}

/// How forum notifications (watched threads, replies) reach a member by mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ForumMail {
    /// A mail for each new post, as it is written.
    #[sea_orm(string_value = "IMMEDIATE")]
    Immediate,
    /// One mail a day with everything new.
    #[sea_orm(string_value = "DAILY")]
    Daily,
    /// No forum mail.
    #[sea_orm(string_value = "OFF")]
    Off,
}

/// Where a message of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum OutboxStatus {
    /// Waiting to be sent (again, after a temporary failure).
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Claimed by a delivery worker that is sending it now.
    #[sea_orm(string_value = "SENDING")]
    Sending,
    /// Accepted by the mail server (or written to the mail folder).
    #[sea_orm(string_value = "SENT")]
    Sent,
    /// Given up: refused permanently or failed too often.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

/// What a single-use account token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TokenPurpose {
    /// Proves an email address (sign-up, change of address).
    #[sea_orm(string_value = "VERIFY_EMAIL")]
    VerifyEmail,
    /// Sets a new password.
    #[sea_orm(string_value = "RESET_PASSWORD")]
    ResetPassword,
}

/// Which direction of an education indicator is desirable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Polarity {
    /// More is better (e.g. the share of school leavers with the Abitur).
    #[sea_orm(string_value = "HIGHER_IS_BETTER")]
    HigherIsBetter,
    /// Less is better (e.g. the share of school leavers without a qualification).
    #[sea_orm(string_value = "LOWER_IS_BETTER")]
    LowerIsBetter,
    /// Neither (e.g. the number of pupils).
    #[sea_orm(string_value = "NEUTRAL")]
    Neutral,
}

/// The official special signs (Zeichenerklärung) of the statistical offices, standing in a table
/// cell instead of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum ValueFlag {
    /// `-`: nothing (genau null, nichts vorhanden).
    #[sea_orm(string_value = "NOTHING")]
    Nothing,
    /// `.`: unknown or kept secret (Zahlenwert unbekannt oder geheim zu halten).
    #[sea_orm(string_value = "UNKNOWN_OR_SECRET")]
    UnknownOrSecret,
    /// `x`: not applicable (Tabellenfach gesperrt, weil Aussage nicht sinnvoll).
    #[sea_orm(string_value = "NOT_APPLICABLE")]
    NotApplicable,
    /// `/`: too uncertain to publish (keine Angabe, da Zahlenwert nicht sicher genug).
    #[sea_orm(string_value = "TOO_UNCERTAIN")]
    TooUncertain,
    /// `...`: not yet available (Angabe fällt später an).
    #[sea_orm(string_value = "NOT_YET_AVAILABLE")]
    NotYetAvailable,
}
