//! Input types of the directory, one file per object, and their mapping to the service's plain
//! structs. A `MaybeUndefined` field of an update input becomes the service's `Option<Option<T>>`:
//! left out keeps the value, null clears it.

mod agency;
mod agreement;
mod municipality;
mod programme;

pub use agency::*;
pub use agreement::*;
pub use municipality::*;
pub use programme::*;

use async_graphql::MaybeUndefined;

use crate::graphql::Date;

fn date(value: Option<Date>) -> Option<chrono::NaiveDate> {
    value.map(|d| d.0)
}

fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    value.into()
}

fn patch_date(value: MaybeUndefined<Date>) -> Option<Option<chrono::NaiveDate>> {
    patch(value).map(date)
}
