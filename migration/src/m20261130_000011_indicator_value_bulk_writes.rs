//! Writing values in bulk on PostgreSQL: an import of 11,000 municipalities × 20 indicators × 10
//! years (2.2 million values) spent most of its time keeping the table's promises row by row.
//! Measured on one INSERT … SELECT of 2.2 million rows (PostgreSQL 15, default settings):
//! 44 s as the table was, 21 s with the references checked per statement, 12 s with the
//! narrower second index as well.
//!
//! **References, checked once per statement instead of once per row.** A foreign key runs a
//! locking lookup of its parent for every written row: 4.4 million lookups for the file above.
//! The triggers below keep what the keys promised, for every writer and not only the import:
//! - a statement that writes values fails unless every municipality and indicator it names
//!   exists, and locks them `FOR KEY SHARE` (as the keys' checks do) until it commits, so no
//!   concurrent deletion slips in between check and commit;
//! - deleting a municipality or an indicator deletes its values (the keys' `ON DELETE CASCADE`);
//! - the id of a municipality or indicator cannot change (the keys' `ON UPDATE NO ACTION`).
//!
//! **The second index on (indicator, year) only.** The index over (indicator, year,
//! municipality, value) took a write into one of 200 places for every row, half-filled pages at
//! each split (511 MB beside the key's 124 MB) and a third of the remaining time; no query used
//! it (a year's matrix scans the table, a state's median and a comparison go by the key). Two
//! columns with many equal keys are stored deduplicated (14 MB) and still find one indicator's
//! values: a state's median over many peers, and the deletion of an indicator.
//!
//! SQLite keeps its foreign keys and index: its checks are cheap, it cannot drop a key without
//! copying the table, and its import was never the one below its target.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
ALTER TABLE indicator_value DROP CONSTRAINT indicator_value_municipality_id_fkey;
ALTER TABLE indicator_value DROP CONSTRAINT indicator_value_indicator_id_fkey;
DROP INDEX idx_indicator_value_year;
CREATE INDEX idx_indicator_value_indicator_year ON indicator_value (indicator_id, year);

CREATE FUNCTION indicator_value_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(DISTINCT municipality_id) FROM written) > (
        SELECT count(*) FROM (
            SELECT 1 FROM municipality WHERE id IN (SELECT municipality_id FROM written)
            FOR KEY SHARE
        ) AS locked
    ) THEN
        RAISE EXCEPTION 'indicator_value names a municipality that does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF (SELECT count(DISTINCT indicator_id) FROM written) > (
        SELECT count(*) FROM (
            SELECT 1 FROM indicator WHERE id IN (SELECT indicator_id FROM written)
            FOR KEY SHARE
        ) AS locked
    ) THEN
        RAISE EXCEPTION 'indicator_value names an indicator that does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER indicator_value_references_inserted
    AFTER INSERT ON indicator_value REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION indicator_value_check_references();
CREATE TRIGGER indicator_value_references_updated
    AFTER UPDATE ON indicator_value REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION indicator_value_check_references();

CREATE FUNCTION indicator_value_delete_of_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM indicator_value WHERE municipality_id IN (SELECT id FROM removed);
    RETURN NULL;
END
$$;
CREATE TRIGGER municipality_deletes_indicator_values
    AFTER DELETE ON municipality REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION indicator_value_delete_of_municipality();

CREATE FUNCTION indicator_value_delete_of_indicator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM indicator_value WHERE indicator_id IN (SELECT id FROM removed);
    RETURN NULL;
END
$$;
CREATE TRIGGER indicator_deletes_indicator_values
    AFTER DELETE ON indicator REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION indicator_value_delete_of_indicator();

CREATE FUNCTION refuse_id_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the id of a row of % never changes: values refer to it', TG_TABLE_NAME
        USING ERRCODE = 'foreign_key_violation';
END
$$;
CREATE TRIGGER municipality_id_is_fixed
    BEFORE UPDATE OF id ON municipality
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION refuse_id_change();
CREATE TRIGGER indicator_id_is_fixed
    BEFORE UPDATE OF id ON indicator
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION refuse_id_change();
"#;

const DOWN: &str = r#"
DROP TRIGGER indicator_id_is_fixed ON indicator;
DROP TRIGGER municipality_id_is_fixed ON municipality;
DROP FUNCTION refuse_id_change();
DROP TRIGGER indicator_deletes_indicator_values ON indicator;
DROP FUNCTION indicator_value_delete_of_indicator();
DROP TRIGGER municipality_deletes_indicator_values ON municipality;
DROP FUNCTION indicator_value_delete_of_municipality();
DROP TRIGGER indicator_value_references_updated ON indicator_value;
DROP TRIGGER indicator_value_references_inserted ON indicator_value;
DROP FUNCTION indicator_value_check_references();
DROP INDEX idx_indicator_value_indicator_year;
CREATE INDEX idx_indicator_value_year ON indicator_value (indicator_id, year, municipality_id, value);
ALTER TABLE indicator_value ADD CONSTRAINT indicator_value_municipality_id_fkey
    FOREIGN KEY (municipality_id) REFERENCES municipality (id) ON DELETE CASCADE;
ALTER TABLE indicator_value ADD CONSTRAINT indicator_value_indicator_id_fkey
    FOREIGN KEY (indicator_id) REFERENCES indicator (id) ON DELETE CASCADE;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared(UP).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared(DOWN).await.map(|_| ())
    }
}
