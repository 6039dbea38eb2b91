//! A goal's progress from the municipality's imported indicator values: 0 at the baseline, 1 at
//! the target, below 0 when worse, with the indicator's polarity deciding what is better. Read
//! from the values as they are, so a new import shows at once.

use dkbm_entity::{Polarity, agreement_goal, indicator, indicator_value};

use crate::messages::{Message, MessageKey};

/// A value of a goal's indicator in a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearValue {
    pub year: i32,
    pub value: f64,
}

/// Where a goal stands by its indicator.
#[derive(Debug, Clone, Default)]
pub struct GoalProgress {
    /// The value in the baseline year.
    pub baseline: Option<YearValue>,
    /// The most recent value.
    pub latest: Option<YearValue>,
    /// 0 at the baseline, 1 at the target.
    pub progress: Option<f64>,
    /// Why `progress` is null.
    pub note: Option<Message>,
}

/// The direction in which the indicator gets better: +1 up, −1 down; a neutral indicator
/// follows the target.
fn direction(polarity: Polarity, span: f64) -> f64 {
    match polarity {
        Polarity::HigherIsBetter => 1.0,
        Polarity::LowerIsBetter => -1.0,
        Polarity::Neutral => span.signum(),
    }
}

/// The progress of `goal` given its indicator and the municipality's values of it (any order,
/// other indicators' values are ignored).
pub fn progress_of(
    goal: &agreement_goal::Model,
    indicator: Option<&indicator::Model>,
    values: &[indicator_value::Model],
) -> GoalProgress {
    let Some(indicator) = indicator else {
        return GoalProgress {
            note: Some(MessageKey::NoProgress.into()),
            ..GoalProgress::default()
        };
    };
    let mut series: Vec<YearValue> = values
        .iter()
        .filter(|row| row.indicator_id == indicator.id)
        .filter_map(|row| row.value.map(|value| YearValue { year: row.year, value }))
        .collect();
    series.sort_by_key(|point| point.year);
    let baseline = goal
        .baseline_year
        .and_then(|year| series.iter().find(|point| point.year == year).copied());
    let latest = series.last().copied();
    let mut result = GoalProgress {
        baseline,
        latest,
        progress: None,
        note: None,
    };
    let (Some(baseline_year), Some(target)) = (goal.baseline_year, goal.target_value) else {
        result.note = Some(MessageKey::NoTarget.into());
        return result;
    };
    let Some(baseline) = baseline else {
        result.note = Some(Message::new(MessageKey::NoBaselineValue).with("year", baseline_year));
        return result;
    };
    let latest = match latest {
        Some(latest) if latest.year >= baseline.year => latest,
        _ => {
            result.note = Some(MessageKey::NoLaterValue.into());
            return result;
        }
    };
    let span = target - baseline.value;
    if span.abs() < f64::EPSILON * baseline.value.abs().max(1.0) {
        result.note = Some(MessageKey::TargetIsBaseline.into());
        return result;
    }
    let progress = direction(indicator.polarity, span) * (latest.value - baseline.value) / span.abs();
    result.progress = Some((progress * 1000.0).round() / 1000.0);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn goal(baseline_year: Option<i32>, target: Option<f64>) -> agreement_goal::Model {
        let at = chrono::Utc::now();
        agreement_goal::Model {
            id: Uuid::now_v7(),
            agreement_id: Uuid::now_v7(),
            position: 0,
            title: "Ziel".into(),
            description: None,
            topic_id: None,
            indicator_id: None,
            baseline_year,
            target_value: target,
            target_year: Some(2030),
            status: dkbm_entity::GoalStatus::Open,
            dropped_reason: None,
            created_by: None,
            created_at: at,
            updated_at: at,
        }
    }

    fn indicator(polarity: Polarity) -> indicator::Model {
        let at = chrono::Utc::now();
        indicator::Model {
            id: Uuid::now_v7(),
            code: "X".into(),
            name_de: "X".into(),
            name_en: "X".into(),
            description: None,
            unit: "%".into(),
            source: "Test".into(),
            topic_id: None,
            polarity,
            decimals: 1,
            created_at: at,
            updated_at: at,
        }
    }

    fn values(indicator: &indicator::Model, points: &[(i32, f64)]) -> Vec<indicator_value::Model> {
        points
            .iter()
            .map(|(year, value)| indicator_value::Model {
                municipality_id: Uuid::nil(),
                indicator_id: indicator.id,
                year: *year,
                value: Some(*value),
                flag: None,
                updated_at: chrono::Utc::now(),
            })
            .collect()
    }

    #[test]
    fn progress_runs_from_baseline_to_target_in_the_better_direction() {
        let lower = indicator(Polarity::LowerIsBetter);
        let goal = goal(Some(2020), Some(5.0));
        let p = progress_of(&goal, Some(&lower), &values(&lower, &[(2020, 8.0), (2022, 6.5)]));
        assert_eq!(p.progress, Some(0.5));
        let worse = progress_of(&goal, Some(&lower), &values(&lower, &[(2020, 8.0), (2022, 9.5)]));
        assert_eq!(worse.progress, Some(-0.5));
        let higher = indicator(Polarity::HigherIsBetter);
        let up = progress_of(
            &super::tests::goal(Some(2020), Some(40.0)),
            Some(&higher),
            &values(&higher, &[(2020, 30.0), (2023, 40.0)]),
        );
        assert_eq!(up.progress, Some(1.0));
    }

    #[test]
    fn missing_values_leave_progress_null_with_a_note() {
        let higher = indicator(Polarity::HigherIsBetter);
        let goal = goal(Some(2019), Some(40.0));
        let p = progress_of(&goal, Some(&higher), &values(&higher, &[(2020, 30.0)]));
        assert_eq!(p.progress, None);
        assert_eq!(p.note.map(|n| n.key()), Some(MessageKey::NoBaselineValue));
        assert!(progress_of(&goal, None, &[]).note.is_some());
    }
}
