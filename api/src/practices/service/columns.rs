//! What a read of practices fetches: which columns, and which relations in the same
//! statement.

use dkbm_entity::good_practice;
use sea_orm::{ConnectionTrait, DbErr, Iterable, QuerySelect, Select};

use crate::db::rows::{self, Shape, Shaped};

/// What a read of practices fetches. A column not read is not in the statement and its field
/// holds its default (an empty text): the long texts are most of a row's bytes, and every
/// column costs both servers; most lists show only title and summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PracticeColumns {
    /// The practices' columns read.
    pub row: Shape,
    /// The owner agencies' columns, where they are joined in the page's statement (a list read
    /// only; see `joined`).
    pub agency: Option<Shape>,
    /// The municipalities' columns, where they are joined in the page's statement (a list read
    /// only).
    pub municipalities: Option<Shape>,
}

/// The shape of these columns of a practice row.
macro_rules! columns {
    ($($column:ident),*) => {
        Shape::of_positions(&[$(good_practice::Column::$column as usize),*])
    };
}

/// The practice's id.
pub const ID_COLUMN: Shape = columns!(Id);

/// What a list reads whatever its selection shows: the cursors' keys (and a search's score),
/// what visibility and the page's relations read.
pub const LISTED: Shape = columns!(
    Id,
    OwnerAgencyId,
    Status,
    Title,
    TitleSort,
    Summary,
    ListedAt,
    UpdatedAt
);

/// What a feed page reads whatever its selection shows: what the page's relations read.
pub const FED: Shape = columns!(Id, OwnerAgencyId);

/// The plain text a search snippet is cut from.
pub const PLAIN_TEXT: Shape = columns!(PlainText);

/// The long texts: most of a row's bytes.
const TEXTS: Shape = columns!(Body, BodyHtml, PlainText);

impl PracticeColumns {
    /// The whole rows (and no relations).
    pub const ALL: PracticeColumns = PracticeColumns {
        row: Shape::ALL,
        agency: None,
        municipalities: None,
    };

    /// The whole rows but the long texts, except those of `shown`, and no relations.
    pub fn texts(shown: Shape) -> PracticeColumns {
        let row = Shape::ALL.without(TEXTS).union(shown);
        PracticeColumns { row, ..Self::ALL }
    }

    /// These rows' columns (and no relations).
    pub fn rows_of(row: Shape) -> PracticeColumns {
        PracticeColumns { row, ..Self::ALL }
    }

    /// `select` reading these columns.
    pub(super) fn of(self, select: Select<good_practice::Entity>) -> Select<good_practice::Entity> {
        if self.row.is_all::<good_practice::Model>() {
            return select;
        }
        // In the declared order, which rows decoded by position follow.
        let read = good_practice::Column::iter()
            .enumerate()
            .filter(|(position, _)| self.row.has(*position));
        read.fold(select.select_only(), |select, (_, column)| select.column(column))
    }

    /// The practices `select` (made by [`Self::of`]) reads.
    pub(super) async fn rows(
        self,
        select: Select<good_practice::Entity>,
        db: &impl ConnectionTrait,
    ) -> Result<Vec<Shaped<good_practice::Model>>, DbErr> {
        rows::shaped(select, self.row, db).await
    }
}
