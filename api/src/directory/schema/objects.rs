//! Output types of the directory.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{agency, agreement, municipality, programme, programme_participation, topic};

use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date, connection_type};

/// What kind of organisation an agency is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgencyKind")]
pub enum AgencyKind {
    /// A transfer agency (Transferagentur) accompanying municipalities in building DKBM.
    TransferAgency,
    /// A network office (Netzwerkbüro), e.g. Netzwerkbüro Bildung Rheinisches Revier.
    NetworkOffice,
    /// A foundation (Stiftung) or its initiative.
    Foundation,
    /// A registered association (eingetragener Verein) or non-profit company.
    Association,
    /// A municipal office, e.g. a Bildungsbüro.
    MunicipalOffice,
    /// Any other organisation.
    Other,
}

/// The administrative kind of a municipality.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::MunicipalityKind")]
pub enum MunicipalityKind {
    /// An independent city (kreisfreie Stadt); 8-digit AGS.
    KreisfreieStadt,
    /// A district (Kreis, Landkreis); 5-digit AGS.
    Kreis,
    /// A town or municipality inside a district (kreisangehörige Gemeinde); 8-digit AGS.
    KreisangehoerigeGemeinde,
    /// A region at district level (e.g. Region Hannover, Städteregion Aachen); 5-digit AGS.
    Region,
}

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

/// The kind of an agreement.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgreementKind")]
pub enum AgreementKind {
    /// Zielvereinbarung: an agency and a municipality agree on the goals of accompaniment.
    TargetAgreement,
    /// Kooperationsvereinbarung: two organisations agree to cooperate.
    CooperationAgreement,
}

/// An agency: a transfer agency, network office, foundation, association or municipal office.
pub struct Agency(pub agency::Model);

impl From<agency::Model> for Agency {
    fn from(model: agency::Model) -> Self {
        Agency(model)
    }
}

/// An agency: a transfer agency, network office, foundation, association or municipal office.
#[Object]
impl Agency {
    /// The agency's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Stable, URL-safe name (e.g. `transferagentur-nrw`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What kind of organisation it is.
    async fn kind(&self) -> AgencyKind {
        self.0.kind.into()
    }

    /// What the agency does, in a few sentences.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Public website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// The agency that carries this one (Träger), if it is on the platform.
    async fn carrier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.0.carrier_agency_id else {
            return Ok(None);
        };
        Ok(ctx.get::<DirectoryLoaders>()?.agency(id).await?.map(Agency))
    }

    /// The carrier's name when it is not itself an agency on the platform.
    async fn carrier_name(&self) -> Option<&str> {
        self.0.carrier_name.as_deref()
    }

    /// The states (Länder) the agency serves.
    async fn states_served(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<State>> {
        let states = ctx.get::<DirectoryLoaders>()?.agency_states(self.0.id).await?;
        Ok(states.into_iter().map(State::from).collect())
    }

    /// The municipalities the agency accompanies under a target agreement (Zielvereinbarung), by name.
    async fn accompanied_municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .accompanied_municipalities(self.0.id)
            .await?;
        Ok(rows.into_iter().map(Municipality).collect())
    }

    /// The agreements the agency is party to, newest first.
    async fn agreements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let rows = ctx.get::<DirectoryLoaders>()?.agreements_of_agency(self.0.id).await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A municipality (Kommune): an independent city, a district, a town inside a district, or a region.
pub struct Municipality(pub municipality::Model);

impl From<municipality::Model> for Municipality {
    fn from(model: municipality::Model) -> Self {
        Municipality(model)
    }
}

/// A municipality (Kommune): an independent city, a district, a town inside a district, or a region.
#[Object]
impl Municipality {
    /// The municipality's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Amtlicher Gemeindeschlüssel: 8 digits (2 state, 1 government region, 2 district,
    /// 3 municipality); a district's is its first 5 digits.
    async fn ags(&self) -> &str {
        &self.0.ags
    }

    /// Stable, URL-safe name (e.g. `stadt-bottrop`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Official name, e.g. "Stadt Bottrop" or "Landkreis Börde".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Administrative kind.
    async fn kind(&self) -> MunicipalityKind {
        self.0.kind.into()
    }

    /// The state (Land) it belongs to.
    async fn state(&self) -> State {
        self.0.state.into()
    }

    /// Number of inhabitants, where known.
    async fn population(&self) -> Option<i64> {
        self.0.population
    }

    /// Public website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// Name of the education office, e.g. "Bildungsbüro" or "Stabsstelle Bildung integriert".
    async fn education_office(&self) -> Option<&str> {
        self.0.education_office.as_deref()
    }

    /// The funding programmes it takes part in, with funding code and period.
    async fn programmes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeParticipation>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .participations_of_municipality(self.0.id)
            .await?;
        Ok(rows.into_iter().map(ProgrammeParticipation).collect())
    }

    /// The agreements it is party to, newest first.
    async fn agreements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .agreements_of_municipality(self.0.id)
            .await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
pub struct Topic(pub topic::Model);

impl From<topic::Model> for Topic {
    fn from(model: topic::Model) -> Self {
        Topic(model)
    }
}

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
#[Object]
impl Topic {
    /// The topic's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Stable, URL-safe name (e.g. `transition-school-work`); filters take it.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// German label (e.g. "Übergang Schule–Beruf").
    async fn label_de(&self) -> &str {
        &self.0.label_de
    }

    /// English label (e.g. "Transition from school to work").
    async fn label_en(&self) -> &str {
        &self.0.label_en
    }

    /// The label in the requested language: `de` (default) or `en`.
    async fn label(&self, #[graphql(desc = "Language code: de or en.", default = "de")] lang: String) -> &str {
        if lang.eq_ignore_ascii_case("en") {
            &self.0.label_en
        } else {
            &self.0.label_de
        }
    }

    /// What the field of action covers.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Position in the display order.
    async fn position(&self) -> i32 {
        self.0.position
    }
}

/// A funding programme (Förderprogramm), e.g. Bildungskommunen or Bildung integriert.
pub struct Programme(pub programme::Model);

impl From<programme::Model> for Programme {
    fn from(model: programme::Model) -> Self {
        Programme(model)
    }
}

/// A funding programme (Förderprogramm), e.g. Bildungskommunen or Bildung integriert.
#[Object]
impl Programme {
    /// The programme's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Stable, URL-safe name (e.g. `bildungskommunen`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name of the programme.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Who funds it (e.g. BMBF, European Social Fund).
    async fn funder(&self) -> &str {
        &self.0.funder
    }

    /// What the programme is for.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Public website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// First day of the programme.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }

    /// Last day of the programme.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }

    /// The municipalities taking part, with funding code and period.
    async fn participations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeParticipation>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .participations_in_programme(self.0.id)
            .await?;
        Ok(rows.into_iter().map(ProgrammeParticipation).collect())
    }
}

/// A municipality's participation in a funding programme.
pub struct ProgrammeParticipation(pub programme_participation::Model);

impl From<programme_participation::Model> for ProgrammeParticipation {
    fn from(model: programme_participation::Model) -> Self {
        ProgrammeParticipation(model)
    }
}

/// A municipality's participation in a funding programme.
#[Object]
impl ProgrammeParticipation {
    /// The participation's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// The programme.
    async fn programme(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Programme>> {
        Ok(ctx
            .get::<DirectoryLoaders>()?
            .programme(self.0.programme_id)
            .await?
            .map(Programme))
    }

    /// The municipality taking part.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        Ok(ctx
            .get::<DirectoryLoaders>()?
            .municipality(self.0.municipality_id)
            .await?
            .map(Municipality))
    }

    /// Funding code (Förderkennzeichen), e.g. 01JL1815.
    async fn funding_code(&self) -> Option<&str> {
        self.0.funding_code.as_deref()
    }

    /// Title of the funded project.
    async fn project_title(&self) -> Option<&str> {
        self.0.project_title.as_deref()
    }

    /// First day of the funding.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }

    /// Last day of the funding.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
}

/// An agreement between an agency and a municipality or another agency.
pub struct Agreement(pub agreement::Model);

impl From<agreement::Model> for Agreement {
    fn from(model: agreement::Model) -> Self {
        Agreement(model)
    }
}

/// An agreement between an agency and a municipality or another agency.
#[Object]
impl Agreement {
    /// The agreement's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Zielvereinbarung or Kooperationsvereinbarung.
    async fn kind(&self) -> AgreementKind {
        self.0.kind.into()
    }

    /// Short title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What was agreed, in a few sentences.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// The day it was signed.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }

    /// The agency party (for a Zielvereinbarung: the accompanying agency).
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .get::<DirectoryLoaders>()?
            .agency(self.0.agency_id)
            .await?
            .map(Agency))
    }

    /// The municipality party, if the other party is a municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        let Some(id) = self.0.municipality_id else {
            return Ok(None);
        };
        Ok(ctx.get::<DirectoryLoaders>()?.municipality(id).await?.map(Municipality))
    }

    /// The other agency, if the other party is an agency.
    async fn partner_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.0.partner_agency_id else {
            return Ok(None);
        };
        Ok(ctx.get::<DirectoryLoaders>()?.agency(id).await?.map(Agency))
    }
}

connection_type!(
    AgencyConnection,
    AgencyEdge,
    Agency,
    agency::Model,
    "A page of agencies (a Relay connection with keyset cursors).",
    "An agency with its cursor."
);
connection_type!(
    MunicipalityConnection,
    MunicipalityEdge,
    Municipality,
    municipality::Model,
    "A page of municipalities (a Relay connection with keyset cursors).",
    "A municipality with its cursor."
);
