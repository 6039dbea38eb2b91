//! What a read of practices fetches: which long texts, and which relations in the same
//! statement.

use dkbm_entity::good_practice;
use sea_orm::sea_query::Expr;
use sea_orm::{IdenStatic, Iterable, QuerySelect, Select};

/// Which of the practices' long texts a read needs. A text not needed is not read and its
/// field reads as empty: the texts are most of a row's bytes, and most lists show only title
/// and summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PracticeColumns {
    pub body: bool,
    pub body_html: bool,
    /// The plain text (for search snippets).
    pub plain_text: bool,
    /// The owner agencies, joined in the page's statement (a list read only; see `joined`).
    pub agency: bool,
    /// The municipalities, joined in the page's statement (a list read only).
    pub municipalities: bool,
}

impl PracticeColumns {
    /// The whole rows (and no relations).
    pub const ALL: PracticeColumns = PracticeColumns {
        body: true,
        body_html: true,
        plain_text: true,
        agency: false,
        municipalities: false,
    };

    /// `select` reading these columns.
    pub(super) fn of(self, select: Select<good_practice::Entity>) -> Select<good_practice::Entity> {
        use good_practice::Column;
        let shown = |column: &Column| match column {
            Column::Body => self.body,
            Column::BodyHtml => self.body_html,
            Column::PlainText => self.plain_text,
            _ => true,
        };
        if Column::iter().all(|column| shown(&column)) {
            return select;
        }
        // In the declared order, which rows decoded by position follow.
        Column::iter().fold(select.select_only(), |select, column| {
            if shown(&column) {
                select.column(column)
            } else {
                select.column_as(Expr::cust("''"), column.as_str())
            }
        })
    }
}
