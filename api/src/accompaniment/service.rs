//! The rules of an accompaniment, split by action: who may ([`access`]), the agreement's own
//! fields ([`agreement`]), goals and their progress, activities, reviews, the timeline, the
//! reminders before a review, the report, drafting a practice, and the member's data. (The
//! overviews of accompaniments are the directory's: they list agreements.)

mod access;
mod activities;
mod agreement;
mod goals;
mod practice;
mod privacy;
mod progress;
mod read;
mod reminders;
mod report;
mod reviews;
mod timeline;

pub use access::{ensure_open, for_change, visible_agreement};
pub use activities::{NewActivity, record_activity};
pub use agreement::{AgreementChanges, update_agreement};
pub use goals::{GoalChanges, GoalDraft, NewGoal, add_goal, drop_goal, update_goal};
pub use practice::draft_practice;
pub use privacy::export_member;
pub use progress::{GoalProgress, progress_of};
pub use read::{activity_in_view, goal_in_view, municipality_of_agreement, review_in_view};
pub use reminders::queue_review_reminders;
pub use report::{Report, ReportGoal, ReportReview, chart_of, goal_chart, report_of};
pub use reviews::{Assessment, ReviewInput, save_review_draft, submit_review};
pub use timeline::{record, timeline};
