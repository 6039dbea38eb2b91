//! Full-text search of good practices: the one place where SQLite (an FTS5 table keyed by the
//! practice's number) and PostgreSQL (a weighted tsvector column with a GIN index) differ. Both
//! store the terms [`crate::text::analysis`] makes, and both answer the same query the same way:
//!
//! - a practice matches when every word and phrase of the query occurs in it;
//! - its score is, summed over the words and phrases, 2 if one occurs in the title and 1 if in
//!   the summary ([`score`] computes the same in Rust). The score reads the practice's padded
//!   title and summary terms (plain columns, the same SQL on both backends), which is cheaper
//!   than asking the full-text index once more per word.

use dkbm_entity::good_practice;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use uuid::Uuid;

use crate::text::analysis::SearchQuery;

/// The indexed text of one practice: its terms per field, joined by spaces.
pub struct Document<'a> {
    pub id: Uuid,
    pub number: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// Writes the index entries of practices, inside the caller's transaction (to rewrite one,
/// [`remove`] it first): one statement per 200 practices.
pub async fn index(db: &impl ConnectionTrait, documents: &[Document<'_>]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for chunk in documents.chunks(200) {
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(chunk.len() * 4);
        let mut rows = Vec::with_capacity(chunk.len());
        for (n, document) in chunk.iter().enumerate() {
            if backend == DbBackend::Postgres {
                let p = n * 4;
                rows.push(format!(
                    "(${}::uuid, ${}::text, ${}::text, ${}::text)",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4
                ));
                values.push(document.id.into());
            } else {
                rows.push("(?, ?, ?, ?)".to_owned());
                values.push(document.number.into());
            }
            values.push(document.title.into());
            values.push(document.summary.into());
            values.push(document.body.into());
        }
        let sql = if backend == DbBackend::Postgres {
            format!(
                "UPDATE good_practice AS g SET search_vector = setweight(to_tsvector('simple', v.t), 'A') \
                 || setweight(to_tsvector('simple', v.s), 'B') || setweight(to_tsvector('simple', v.b), 'D') \
                 FROM (VALUES {}) AS v(id, t, s, b) WHERE g.id = v.id",
                rows.join(", ")
            )
        } else {
            format!(
                "INSERT INTO good_practice_fts (rowid, title, summary, body) VALUES {}",
                rows.join(", ")
            )
        };
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

const VECTOR: &str = "setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B') \
     || setweight(to_tsvector('simple', $3), 'D')";

/// On PostgreSQL a practice's index entry is a column of its row: that column and the value an
/// INSERT of the practice gives it (one write of the row, not an insert and an update). `None`
/// on SQLite, whose index is a table of its own: there [`index`] writes the entry.
pub fn in_row(db: &impl ConnectionTrait, document: &Document<'_>) -> Option<(Alias, Expr)> {
    let backend = db.get_database_backend();
    (backend == DbBackend::Postgres).then(|| {
        (
            Alias::new("search_vector"),
            Expr::cust_with_values(VECTOR, [document.title, document.summary, document.body]),
        )
    })
}

/// Writes the index entries of new practices that [`in_row`] did not put in their rows.
pub async fn index_new(db: &impl ConnectionTrait, documents: &[Document<'_>]) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        return Ok(());
    }
    index(db, documents).await
}

/// Removes a practice's index entry (PostgreSQL's goes with the row).
pub async fn remove(db: &impl ConnectionTrait, number: i64) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "DELETE FROM good_practice_fts WHERE rowid = ?",
            [number.into()],
        ))
        .await?;
    }
    Ok(())
}

/// FTS5 syntax of one word or phrase.
fn fts5(unit: &[String]) -> String {
    format!("\"{}\"", unit.join(" "))
}

/// tsquery syntax of one word or phrase.
fn tsquery(unit: &[String]) -> String {
    format!("({})", unit.join(" <-> "))
}

fn fts5_hit(query: String) -> Expr {
    Expr::cust_with_values(
        r#""good_practice"."number" IN (SELECT rowid FROM good_practice_fts WHERE good_practice_fts MATCH ?)"#,
        [query],
    )
}

fn tsvector_hit(query: String) -> Expr {
    // sea-query numbers placeholders per expression for PostgreSQL (`$1`), not `?`.
    Expr::cust_with_values(
        r#""good_practice"."search_vector" @@ to_tsquery('simple', $1)"#,
        [query],
    )
}

fn points(hit: Expr, points: i32) -> Expr {
    Expr::case(hit, points).finally(0).into()
}

/// The condition "matches the query" and the score expression, for a select on good_practice.
/// The query's terms are `[a-z0-9]+` (made by [`crate::text::analysis`]), so quoting them is safe and
/// they hold no LIKE wildcards.
pub fn matching(db: &impl ConnectionTrait, query: &SearchQuery) -> (Expr, Expr) {
    let backend = db.get_database_backend();
    let all = if backend == DbBackend::Postgres {
        tsvector_hit(
            query
                .units
                .iter()
                .map(|unit| tsquery(unit))
                .collect::<Vec<_>>()
                .join(" & "),
        )
    } else {
        fts5_hit(
            query
                .units
                .iter()
                .map(|unit| fts5(unit))
                .collect::<Vec<_>>()
                .join(" AND "),
        )
    };
    let mut score: Expr = Expr::val(0);
    for unit in &query.units {
        let pattern = format!("% {} %", unit.join(" "));
        let title = Expr::col((good_practice::Entity, good_practice::Column::TitleTerms)).like(pattern.clone());
        let summary = Expr::col((good_practice::Entity, good_practice::Column::SummaryTerms)).like(pattern);
        score = Expr::expr(score).add(points(title, 2)).add(points(summary, 1));
    }
    (all, score)
}

/// Whether `unit` occurs (as a phrase) in the terms.
fn occurs(terms: &[String], unit: &[String]) -> bool {
    !unit.is_empty() && terms.windows(unit.len()).any(|window| window == unit)
}

/// The score [`matching`] gives a practice with these title and summary terms.
pub fn score(query: &SearchQuery, title_terms: &[String], summary_terms: &[String]) -> i64 {
    query
        .units
        .iter()
        .map(|unit| 2 * i64::from(occurs(title_terms, unit)) + i64::from(occurs(summary_terms, unit)))
        .sum()
}
