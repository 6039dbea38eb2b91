//! Exchange forums and working groups: forums with visibility, threads, posts, moderation of
//! threads, and live posts.

pub mod loaders;
pub mod schema;
pub mod service;
