//! The showcase's three forums, and the threads the demo members start and answer in them. A
//! forum's threads are written when it has none yet, so a second load adds nothing.

use dkbm_entity::forum;

use super::conversations::{Author, Conversation, FORUMS, ShowcaseForum};
use crate::app::App;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::forums::service::{Forums, NewForum, NewReply, NewThread, create_forum, forum_by_slug, reply, start_thread};
use crate::ids::{ForumId, ThreadId};
use crate::messages::MessageKey;
use crate::seed::created;

/// The forums area as the seed writes in it: the instance's live posts, but no per-minute
/// allowance — that guards members typing, not the operator loading twenty posts at once.
fn seeding_forums(app: &App) -> Forums {
    Forums {
        live_posts: app.areas.forums.live_posts.clone(),
        posts_per_minute: u32::MAX,
    }
}

/// The member who writes a post.
fn author(members: &[Viewer], author: Author) -> AppResult<&Viewer> {
    members
        .get(author)
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))
}

/// Starts a thread and writes its replies; how many posts were written.
async fn write_thread(
    app: &App,
    forums: &Forums,
    members: &[Viewer],
    forum: &forum::Model,
    conversation: &Conversation,
) -> AppResult<usize> {
    let writer = &app.state.writer;
    let (opener, body) = conversation.opening;
    let thread = NewThread {
        forum_id: ForumId::from(forum.id),
        title: conversation.title.into(),
        body: body.into(),
        tags: conversation.tags.iter().map(|tag| (*tag).to_owned()).collect(),
    };
    let thread = start_thread(writer, forums, author(members, opener)?, thread).await?;
    for (replier, body) in conversation.replies {
        let input = NewReply {
            thread_id: ThreadId::from(thread.id),
            body: (*body).into(),
            reply_to_post_id: None,
        };
        reply(writer, &app.state.auth, forums, author(members, *replier)?, input).await?;
    }
    Ok(1 + conversation.replies.len())
}

/// Creates a forum unless it exists, and its threads unless it has some; how many records
/// (forum, posts) were created.
async fn create_one(app: &App, operator: &Viewer, members: &[Viewer], planned: &ShowcaseForum) -> AppResult<usize> {
    let writer = &app.state.writer;
    let input = NewForum {
        slug: planned.slug.into(),
        title: planned.title.into(),
        description: planned.description.into(),
        visibility: planned.visibility,
    };
    let mut count = usize::from(created(create_forum(writer, operator, input).await)?);
    let forum = forum_by_slug(writer.conn(), operator, planned.slug)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchForum))?;
    if forum.thread_count > 0 {
        return Ok(count);
    }
    let forums = seeding_forums(app);
    for conversation in planned.threads {
        count += write_thread(app, &forums, members, &forum, conversation).await?;
    }
    Ok(count)
}

/// Creates the forums and their threads where missing; how many records were created.
pub(super) async fn create_forums(app: &App, operator: &Viewer, members: &[Viewer]) -> AppResult<usize> {
    let mut count = 0;
    for planned in FORUMS {
        count += create_one(app, operator, members, planned).await?;
    }
    Ok(count)
}
