//! The events area's handle: what one instance keeps for its events (the registrations waiting
//! to be placed together). The assembly builds it once and hands it to the schema.

use super::admission::Admission;

/// The events area of one instance. Cheap to clone: clones share the waiting registrations.
#[derive(Clone, Default)]
pub struct Events {
    /// New registrations waiting to be placed together, per event (on this instance).
    pub admission: Admission,
}

impl Events {
    /// The handle of an instance, with nobody waiting yet.
    pub fn new() -> Self {
        Events::default()
    }
}
