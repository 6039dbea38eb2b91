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

    /// No column.
    pub const NONE: Shape = Shape(0);

    /// The columns at these declared positions (`Column::Title as usize`: the entities'
    /// `Column` enums list the columns in their declared order).
    pub const fn of_positions(positions: &[usize]) -> Shape {
        let mut bits = 0u64;
        let mut index = 0;
        while index < positions.len() {
            if positions[index] < 64 {
                bits |= 1 << positions[index];
            }
            index += 1;
        }
        Shape(bits)
    }

    /// These columns and `M`'s enumerations (read in every shape: they have no default).
    pub fn with_enumerations<M: ByPosition>(self) -> Self {
        let enumerations = M::ENUMERATIONS
            .iter()
            .enumerate()
            .filter(|(_, enumeration)| **enumeration)
            .fold(0, |bits, (position, _)| bits | 1 << position);
        Shape(self.0 | enumerations)
    }

    /// These columns and those of `other`.
    pub const fn union(self, other: Shape) -> Shape {
        Shape(self.0 | other.0)
    }

    /// These columns but those of `other`.
    pub const fn without(self, other: Shape) -> Shape {
        Shape(self.0 & !other.0)
    }

    /// Whether every column of `other` is among these.
    pub const fn covers(self, other: Shape) -> bool {
        other.0 & !self.0 == 0
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

/// A row of which only the columns of its shape were read; the others hold their defaults.
#[derive(Debug, Clone)]
pub struct Shaped<M> {
    row: M,
    shape: Shape,
}

impl<M> Shaped<M> {
    /// A row read with the columns of `shape`.
    pub fn new(row: M, shape: Shape) -> Self {
        Shaped { row, shape }
    }

    /// A row read whole.
    pub fn whole(row: M) -> Self {
        Shaped { row, shape: Shape::ALL }
    }

    /// The columns read.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The row, to read the columns of `columns` from (which it must have: checked in debug
    /// builds; a field reads only what it declares).
    pub fn read(&self, columns: Shape) -> &M {
        debug_assert!(
            self.shape.covers(columns),
            "a read of columns {columns:?} from a row read with {:?}",
            self.shape
        );
        &self.row
    }

    /// The row, if it was read whole.
    pub fn whole_row(&self) -> Option<&M> {
        (self.shape == Shape::ALL).then_some(&self.row)
    }

    /// The row, if it was read whole.
    pub fn into_whole(self) -> Option<M> {
        (self.shape == Shape::ALL).then_some(self.row)
    }
}

impl<M> From<M> for Shaped<M> {
    fn from(row: M) -> Self {
        Shaped::whole(row)
    }
}
