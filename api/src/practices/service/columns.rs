//! What a read of practices fetches: which long texts, and which relations in the same
//! statement.

use dkbm_entity::good_practice;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbErr, IdenStatic, Iterable, QuerySelect, Select};

use crate::db::rows::{self, Shape};

/// Which of the practices' long texts a read needs. A text not needed is not read and its
/// field reads as empty: the texts are most of a row's bytes, and most lists show only title
/// and summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PracticeColumns {
    pub body: bool,
    pub body_html: bool,
    /// The plain text (for search snippets).
    pub plain_text: bool,
    /// The other columns read; the fields of columns not read hold defaults. (The long texts
    /// are always in the statement, as themselves where the flags above say so, else as ''.)
    pub row: Shape,
    /// The owner agencies' columns, where they are joined in the page's statement (a list read
    /// only; see `joined`).
    pub agency: Option<Shape>,
    /// The municipalities' columns, where they are joined in the page's statement (a list read
    /// only).
    pub municipalities: Option<Shape>,
}

impl PracticeColumns {
    /// The whole rows (and no relations).
    pub const ALL: PracticeColumns = PracticeColumns {
        body: true,
        body_html: true,
        plain_text: true,
        row: Shape::ALL,
        agency: None,
        municipalities: None,
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
        let shape = self.shape();
        if shape.is_all::<good_practice::Model>() && Column::iter().all(|column| shown(&column)) {
            return select;
        }
        // In the declared order, which rows decoded by position follow.
        let read = Column::iter().enumerate().filter(|(position, _)| shape.has(*position));
        read.fold(select.select_only(), |select, (_, column)| {
            if shown(&column) {
                select.column(column)
            } else {
                select.column_as(Expr::cust("''"), column.as_str())
            }
        })
    }

    /// The practices `select` (made by [`Self::of`]) reads.
    pub(super) async fn rows(
        self,
        select: Select<good_practice::Entity>,
        db: &impl ConnectionTrait,
    ) -> Result<Vec<good_practice::Model>, DbErr> {
        rows::shaped(select, self.shape(), db).await
    }

    /// The columns in the statement: the row's and the long texts.
    pub(super) fn shape(self) -> Shape {
        self.row
            .with::<good_practice::Model>(["body", "body_html", "plain_text"])
    }
}
