//! The one partial-update idiom of every area. A field of a `…Changes` struct is `None` to leave
//! the value as it is and `Some(value)` to set it; where a value can be cleared it is itself an
//! `Option`, so `Some(None)` clears. A service loads the current values into a draft, applies
//! the changes to it with [`Patch::apply_to`], and checks the draft as a whole, like a new one.

/// A change to one value that may or may not be given.
pub trait Patch<T> {
    /// Sets `target` to the new value, if one is given.
    fn apply_to(self, target: &mut T);
}

impl<T> Patch<T> for Option<T> {
    fn apply_to(self, target: &mut T) {
        if let Some(value) = self {
            *target = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Patch;

    #[test]
    fn none_leaves_some_sets_and_some_none_clears() {
        let mut title = String::from("alt");
        None.apply_to(&mut title);
        assert_eq!(title, "alt");
        Some(String::from("neu")).apply_to(&mut title);
        assert_eq!(title, "neu");
        let mut contact: Option<String> = Some("a@example.org".into());
        Some(None).apply_to(&mut contact);
        assert_eq!(contact, None);
    }
}
