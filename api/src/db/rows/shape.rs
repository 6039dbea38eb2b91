//! Which columns of a model a read selects.

use super::ByPosition;

/// Which columns of a model a read selects, by declared position (a model has at most 64).
/// A read that shows a list of practices with their titles needs a fifth of a row's columns,
/// and every column costs both servers (PostgreSQL forms and sends it, the driver checks its
/// type and decodes it). The fields of columns not read hold their defaults: only code that
/// knows what the read selected may look at them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape(u64);

impl Shape {
    /// Every column.
    pub const ALL: Shape = Shape(u64::MAX);

    /// The columns of `M` named in `names`, and its enumerations; a name `M` does not have is
    /// left out.
    pub fn of<'a, M: ByPosition>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let enumerations = M::ENUMERATIONS
            .iter()
            .enumerate()
            .filter(|(_, enumeration)| **enumeration)
            .fold(0, |bits, (position, _)| bits | 1 << position);
        Shape(enumerations).with::<M>(names)
    }

    /// These columns and the columns of `M` named in `names`.
    pub fn with<'a, M: ByPosition>(self, names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut bits = self.0;
        for name in names {
            if let Some(position) = M::COLUMNS.iter().position(|column| *column == name) {
                bits |= 1 << position;
            }
        }
        Shape(bits)
    }

    /// These columns but the columns of `M` named in `names`.
    pub fn without<'a, M: ByPosition>(self, names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut bits = self.0;
        for name in names {
            if let Some(position) = M::COLUMNS.iter().position(|column| *column == name) {
                bits &= !(1 << position);
            }
        }
        Shape(bits)
    }

    /// Whether the column at `position` is read.
    pub fn has(self, position: usize) -> bool {
        position < 64 && self.0 & (1 << position) != 0
    }

    /// Whether every column of `M` is read.
    pub fn is_all<M: ByPosition>(self) -> bool {
        (0..M::COLUMNS.len()).all(|position| self.has(position))
    }

    /// How many columns of `M` are read.
    pub fn count<M: ByPosition>(self) -> usize {
        (0..M::COLUMNS.len()).filter(|position| self.has(*position)).count()
    }
}
