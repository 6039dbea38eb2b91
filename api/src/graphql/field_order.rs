//! Responses in the order the query asked for the fields (GraphQL spec, "serialized maps keep
//! the requested order"). async-graphql 7.2 resolves the fields of a query in parallel and puts
//! each into the response map when it completes, so a field that waits for the database can
//! land after one asked for later. This puts every object of a response back into the order of
//! its selection set (aliases, fragments and inline fragments included) before it is sent. The
//! order of an operation's response ([`ResponseShape`]) is found once per document, in the one
//! walk of [`super::document`].

use async_graphql::indexmap::IndexMap;
use async_graphql::{Name, Value};

/// The response keys an object was asked for, in order, each with the shape of its value
/// (fragments merged, a key asked for twice once with both selections).
#[derive(Debug, Default)]
pub struct ResponseShape {
    keys: Vec<(Name, ResponseShape)>,
}

impl ResponseShape {
    /// The shape below `key`, added at the end if it is new.
    pub fn key(&mut self, key: Name) -> &mut ResponseShape {
        let index = match self.keys.iter().position(|(known, _)| *known == key) {
            Some(index) => index,
            None => {
                self.keys.push((key, ResponseShape::default()));
                self.keys.len() - 1
            }
        };
        &mut self.keys[index].1
    }

    /// Reorders `value` (an object, or a list of them) as this shape asks.
    pub fn reorder(&self, value: &mut Value) {
        if self.keys.is_empty() {
            return;
        }
        match value {
            Value::Object(map) => self.order_object(map),
            Value::List(items) => items.iter_mut().for_each(|item| self.reorder(item)),
            _ => {}
        }
    }

    fn order_object(&self, map: &mut IndexMap<Name, Value>) {
        // Fields mostly come in the order they were asked for: then nothing moves.
        let in_order = map.len() == self.keys.len() && map.keys().zip(&self.keys).all(|(have, (want, _))| have == want);
        if !in_order {
            let mut ordered = IndexMap::with_capacity(map.len());
            for (key, _) in &self.keys {
                if let Some(value) = map.shift_remove(key) {
                    ordered.insert(key.clone(), value);
                }
            }
            // Anything the selection did not name (there should be nothing) keeps its place at the end.
            ordered.extend(map.drain(..));
            *map = ordered;
        }
        for (key, below) in &self.keys {
            if below.keys.is_empty() {
                continue;
            }
            if let Some(value) = map.get_mut(key) {
                below.reorder(value);
            }
        }
    }
}
