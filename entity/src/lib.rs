//! sea-orm entities of dkbm-hub: one module per table, plus the shared enums.
//!
//! Entities describe rows and nothing else: no GraphQL, no business rules. They could be
//! regenerated from the database by `sea-orm-cli` without losing anything.

pub mod agreement_enums;
pub mod enums;

pub mod account_token;
pub mod agency;
pub mod agency_state;
pub mod agreement;
pub mod agreement_activity;
pub mod agreement_activity_goal;
pub mod agreement_activity_participant;
pub mod agreement_entry;
pub mod agreement_goal;
pub mod agreement_review;
pub mod agreement_review_goal;
pub mod api_client;
pub mod api_key;
pub mod attachment;
pub mod calendar_feed;
pub mod certificate;
pub mod event_quota;
pub mod event_quota_municipality;
pub mod forum;
pub mod forum_member;
pub mod forum_post;
pub mod forum_read;
pub mod forum_thread;
pub mod forum_thread_tag;
pub mod forum_watch;
pub mod good_practice;
pub mod good_practice_municipality;
pub mod good_practice_stage;
pub mod good_practice_target_group;
pub mod good_practice_topic;
pub mod indicator;
pub mod indicator_revision;
pub mod indicator_value;
pub mod login_attempt;
pub mod member;
pub mod member_role;
pub mod moderation_log;
pub mod municipality;
pub mod municipality_name_token;
pub mod notification;
pub mod outbox_message;
pub mod portal;
pub mod portal_collection;
pub mod portal_collection_item;
pub mod portal_hidden;
pub mod portal_reach;
pub mod portal_teaser;
pub mod practice_change;
pub mod practice_feed;
pub mod programme;
pub mod programme_participation;
pub mod refresh_token;
pub mod registration;
pub mod request_throttle;
pub mod server_setting;
pub mod session;
pub mod signing_key;
pub mod storage_blob;
pub mod succession;
pub mod topic;
pub mod training_event;
pub mod training_event_topic;
pub mod used_jti;
pub mod webhook;
pub mod webhook_delivery;

pub use agreement_enums::*;
pub use enums::*;
