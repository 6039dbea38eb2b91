//! Similar municipalities in GraphQL.

use async_graphql::{Enum, Object};
use dkbm_entity::indicator;

use super::Indicator;
use crate::directory::schema::Municipality;
use crate::indicators::service;

/// Why an indicator was left out of a similarity.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "service::SkipReason")]
pub enum SkipReason {
    /// The reference municipality has no number for it that year (missing, or a special sign).
    NoValue,
    /// Its values do not vary over the municipalities of the kind (fewer than two numbers, or all equal).
    NoSpread,
}

/// Municipalities like one municipality, nearest first.
pub struct SimilarMunicipalities(pub service::Similarity);

/// Municipalities like one municipality: the nearest municipalities of the same kind by
/// standardised (z-score) distance, nearest first.
///
/// Each indicator is standardised over all municipalities of that kind with a number that year
/// (z = (value − mean) / population standard deviation); the distance is the Euclidean distance
/// of the z-scores. Indicators the reference has no number for, or whose values do not vary, are
/// left out (`skipped`). A municipality lacking some of the remaining K indicators is compared on
/// the k it has, its sum of squares scaled by K / k (a gap neither draws it nearer nor pushes it
/// away; `missing` lists them); one with numbers for fewer than half of them is not ranked.
#[Object]
impl SimilarMunicipalities {
    /// The municipality the others are compared with.
    async fn reference(&self) -> Municipality {
        Municipality::from(self.0.reference.clone())
    }

    /// The year compared (null when the reference has no number for any of the indicators).
    async fn year(&self) -> Option<i32> {
        self.0.year
    }

    /// The indicators used, with their spread over the municipalities of the kind.
    async fn indicators(&self) -> Vec<StandardisedIndicator> {
        self.0.used.iter().cloned().map(StandardisedIndicator).collect()
    }

    /// The indicators left out, and why.
    async fn skipped(&self) -> Vec<SkippedIndicator> {
        self.0
            .skipped
            .iter()
            .map(|(indicator, reason)| SkippedIndicator(indicator.clone(), *reason))
            .collect()
    }

    /// The nearest municipalities, nearest first (ties by id).
    async fn nodes(&self) -> Vec<SimilarMunicipality> {
        self.0.neighbours.iter().cloned().map(SimilarMunicipality).collect()
    }
}

/// An indicator as a similarity used it.
pub struct StandardisedIndicator(service::Standardised);

/// An indicator as a similarity used it: its spread over the municipalities of the kind, and
/// the reference municipality's value.
#[Object]
impl StandardisedIndicator {
    /// The indicator.
    async fn indicator(&self) -> Indicator {
        Indicator(self.0.indicator.clone())
    }

    /// How many municipalities of the kind have a number for it that year.
    async fn count(&self) -> i64 {
        self.0.count
    }

    /// Their mean.
    async fn mean(&self) -> f64 {
        self.0.mean
    }

    /// Their population standard deviation.
    async fn standard_deviation(&self) -> f64 {
        self.0.deviation
    }

    /// The reference municipality's value.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// The reference municipality's z-score.
    async fn z_score(&self) -> f64 {
        self.0.z(self.0.value)
    }
}

/// An indicator a similarity left out.
pub struct SkippedIndicator(indicator::Model, service::SkipReason);

/// An indicator a similarity left out, and why.
#[Object]
impl SkippedIndicator {
    /// The indicator.
    async fn indicator(&self) -> Indicator {
        Indicator(self.0.clone())
    }

    /// Why.
    async fn reason(&self) -> SkipReason {
        self.1.into()
    }
}

/// A municipality near the reference.
pub struct SimilarMunicipality(service::Neighbour);

/// A municipality near the reference, with what makes it close or far.
#[Object]
impl SimilarMunicipality {
    /// The municipality.
    async fn municipality(&self) -> Municipality {
        Municipality::from(self.0.municipality.clone())
    }

    /// Its standardised distance from the reference (0: the same on every indicator).
    async fn distance(&self) -> f64 {
        self.0.distance
    }

    /// The indicators compared, the one making it closest first and the one setting it farthest
    /// apart last.
    async fn contributions(&self) -> Vec<DistanceContribution> {
        self.0.contributions.iter().cloned().map(DistanceContribution).collect()
    }

    /// The indicators it has no number for that year (skipped for it, see the scaling above).
    async fn missing(&self) -> Vec<Indicator> {
        self.0.missing.iter().cloned().map(Indicator).collect()
    }
}

/// One indicator's part in a distance.
pub struct DistanceContribution(service::Contribution);

/// One indicator's part in a distance.
#[Object]
impl DistanceContribution {
    /// The indicator.
    async fn indicator(&self) -> Indicator {
        Indicator(self.0.indicator.clone())
    }

    /// This municipality's value.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// This municipality's z-score.
    async fn z_score(&self) -> f64 {
        self.0.z
    }

    /// The reference municipality's value.
    async fn reference_value(&self) -> f64 {
        self.0.reference_value
    }

    /// The reference municipality's z-score.
    async fn reference_z_score(&self) -> f64 {
        self.0.reference_z
    }

    /// zScore − referenceZScore: near 0 makes it close, far from 0 sets it apart.
    async fn difference(&self) -> f64 {
        self.0.difference()
    }
}
