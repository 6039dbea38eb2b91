//! Indicators and their values in GraphQL.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{indicator, indicator_value};

use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Municipality, Topic};
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::indicators::chart::german_number;
use crate::indicators::service::Comparison;

/// Which direction of an indicator is desirable.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::Polarity")]
pub enum Polarity {
    /// More is better (e.g. the share of school leavers with the Abitur).
    HigherIsBetter,
    /// Less is better (e.g. the share of school leavers without a qualification).
    LowerIsBetter,
    /// Neither (e.g. the number of pupils).
    Neutral,
}

/// An official special sign of the statistical offices (Zeichenerklärung), standing instead of a number.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ValueFlag")]
pub enum ValueFlag {
    /// `-`: nothing (nichts vorhanden).
    Nothing,
    /// `.`: unknown or kept secret (unbekannt oder geheim zu halten).
    UnknownOrSecret,
    /// `x`: not applicable (Aussage nicht sinnvoll).
    NotApplicable,
    /// `/`: too uncertain to publish (nicht sicher genug).
    TooUncertain,
    /// `...`: not yet available (Angabe fällt später an).
    NotYetAvailable,
}

/// The sign as the statistical offices print it.
pub fn sign(flag: dkbm_entity::ValueFlag) -> &'static str {
    use dkbm_entity::ValueFlag::*;
    match flag {
        Nothing => "-",
        UnknownOrSecret => ".",
        NotApplicable => "x",
        TooUncertain => "/",
        NotYetAvailable => "...",
    }
}

/// An education monitoring indicator (Bildungsindikator).
pub struct Indicator(pub indicator::Model);

/// An education monitoring indicator (Bildungsindikator), e.g. the share of school leavers
/// without a qualification.
#[Object]
impl Indicator {
    /// The indicator's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The code imports and queries name it by (e.g. a GENESIS value variable such as `BIL002`).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// German name.
    async fn name_de(&self) -> &str {
        &self.0.name_de
    }

    /// English name.
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }

    /// The name in the requested language: `de` (default) or `en`.
    async fn name(&self, #[graphql(desc = "Language code: de or en.", default = "de")] lang: String) -> &str {
        if lang.eq_ignore_ascii_case("en") {
            &self.0.name_en
        } else {
            &self.0.name_de
        }
    }

    /// What it measures and how.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The unit of its values (e.g. `%`, `Anzahl`).
    async fn unit(&self) -> &str {
        &self.0.unit
    }

    /// Where the values come from (e.g. "Statistische Ämter des Bundes und der Länder, Regionaldatenbank").
    async fn source(&self) -> &str {
        &self.0.source
    }

    /// The field of action (Handlungsfeld) it belongs to.
    async fn topic(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        let Some(id) = self.0.topic_id else {
            return Ok(None);
        };
        Ok(ctx.loaders::<DirectoryLoaders>()?.topic(id.into()).await?.map(Topic))
    }

    /// Whether higher values are better, worse, or neither.
    async fn polarity(&self) -> Polarity {
        self.0.polarity.into()
    }

    /// Decimal places its values are shown with.
    async fn decimals(&self) -> i32 {
        self.0.decimals
    }

    /// When it was defined.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its definition last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One value of an indicator for a municipality and year.
pub struct IndicatorValue(pub indicator::Model, pub indicator_value::Model);

/// One value of an indicator for a municipality and year: a number, or a special sign instead.
#[Object]
impl IndicatorValue {
    /// The indicator.
    async fn indicator(&self) -> Indicator {
        Indicator(self.0.clone())
    }

    /// The year (for a reference date, its year; for a school year such as 2023/24, the year it starts).
    async fn year(&self) -> i32 {
        self.1.year
    }

    /// The number; null when a special sign (`flag`) stands instead.
    async fn value(&self) -> Option<f64> {
        self.1.value
    }

    /// The official special sign standing instead of a number; null when there is a number.
    async fn flag(&self) -> Option<ValueFlag> {
        self.1.flag.map(Into::into)
    }

    /// The value as the statistical offices print it, German style: `1.234,5` with the
    /// indicator's decimal places, or the special sign (`-`, `.`, `x`, `/`, `...`).
    async fn formatted(&self) -> String {
        match (self.1.value, self.1.flag) {
            (Some(value), _) => german_number(value, usize::try_from(self.0.decimals).unwrap_or(1)),
            (None, Some(flag)) => sign(flag).to_owned(),
            (None, None) => String::new(),
        }
    }

    /// When it was last imported with a change.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.1.updated_at
    }
}

/// Several municipalities side by side on some indicators in one year.
pub struct MunicipalityComparison(pub Comparison);

/// Several municipalities side by side on some indicators in one year: a table whose columns
/// are `indicators` and whose rows are the municipalities, in the order asked for.
#[Object]
impl MunicipalityComparison {
    /// The year compared (null when none of them has any value).
    async fn year(&self) -> Option<i32> {
        self.0.year
    }

    /// The columns.
    async fn indicators(&self) -> Vec<Indicator> {
        self.0.indicators.iter().cloned().map(Indicator).collect()
    }

    /// The rows.
    async fn rows(&self) -> Vec<ComparisonRow> {
        self.0
            .rows
            .iter()
            .map(|(place, cells)| ComparisonRow {
                municipality: place.clone(),
                values: self
                    .0
                    .indicators
                    .iter()
                    .zip(cells)
                    .map(|(indicator, cell)| cell.clone().map(|cell| IndicatorValue(indicator.clone(), cell)))
                    .collect(),
            })
            .collect()
    }
}

/// One municipality's row of a comparison.
pub struct ComparisonRow {
    municipality: dkbm_entity::municipality::Model,
    values: Vec<Option<IndicatorValue>>,
}

/// One municipality's row of a comparison.
#[Object]
impl ComparisonRow {
    /// The municipality.
    async fn municipality(&self) -> Municipality {
        Municipality::from(self.municipality.clone())
    }

    /// Its values, one per indicator of the table in that order; null where it has none that year.
    async fn values(&self) -> Vec<Option<&IndicatorValue>> {
        self.values.iter().map(Option::as_ref).collect()
    }
}
