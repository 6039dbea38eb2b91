//! Names and titles are one line (they go into mail headers and calendar lines): what was
//! stored before that rule has its tabs and line breaks replaced by spaces. Members' display
//! names, events', threads', forums' and practices' titles.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column) of the names and titles.
const ONE_LINE: [(&str, &str); 5] = [
    ("member", "display_name"),
    ("training_event", "title"),
    ("forum_thread", "title"),
    ("forum", "title"),
    ("good_practice", "title"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let char_fn = match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => "chr",
            _ => "char",
        };
        let db = manager.get_connection();
        for (table, column) in ONE_LINE {
            let mut replaced = column.to_owned();
            for code in [13, 10, 9] {
                replaced = format!("replace({replaced}, {char_fn}({code}), ' ')");
            }
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {column} = {replaced} WHERE {column} <> {replaced}"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // What was folded is not unfolded.
        Ok(())
    }
}
