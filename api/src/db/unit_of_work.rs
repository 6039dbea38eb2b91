//! The unit of work: every write of a service goes through one. It opens the write transaction
//! the backend needs, takes the locks and version checks the change needs, collects what the
//! change causes beyond its rows (live events, outgoing mail, webhook occurrences) and on
//! [`UnitOfWork::commit`] writes the mail and the webhook deliveries into their outboxes and the
//! events' notifications (PostgreSQL) inside the transaction, commits, counts the commit and
//! wakes the delivery workers. A change that fails is
//! rolled back when the unit is dropped: nothing it collected is ever announced or sent.
//!
//! # One version strategy: lock, then compare
//! A change to a versioned row (`expectedVersion` in the API) locks the row first
//! ([`UnitOfWork::expect_version`]: `SELECT … FOR UPDATE` on PostgreSQL; SQLite's write
//! transaction holds the database already), then compares its version with the one the client
//! read, then writes `version + 1` without a guard. Why this and not a version-guarded UPDATE:
//! - the CONFLICT answer names the current version, which the locked read has at hand (a guarded
//!   UPDATE that hits nothing would need a second read, racing again);
//! - the events' seat counters need the row lock anyway (a registration reads and changes them),
//!   so one mechanism serves both invariants, on every replica;
//! - two writers of one row are rare: the lock's cost is one round trip that the read it
//!   replaces would cost as well.

use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait, ExecResult,
    QueryFilter, QueryResult, QueryTrait, Select, Statement, TransactionTrait,
};
use uuid::Uuid;

use dkbm_entity::outbox_message;
use sea_orm::sea_query::OnConflict;

use crate::error::{AppError, AppResult};
use crate::mail::{Mail, Mailer};
use crate::messages::MessageKey;
use crate::realtime::webhooks::Occurrence;
use crate::realtime::{self, Bus, Event};
use tokio::sync::Notify;

/// A table whose rows carry a version that every change raises by one.
pub trait Versioned: EntityTrait {
    /// What the client calls one row, for messages ("practice", "event").
    const NOUN: MessageKey;
    /// The message when the row does not exist (or the viewer may not know it does).
    const NOT_FOUND: MessageKey;
    /// The primary-key column.
    fn id_column() -> Self::Column;
    /// The version of a row.
    fn version_of(model: &Self::Model) -> i64;
}

/// What a change needs to be written: the pool, the data version's pool, the bus that carries
/// its live events, the mailer that renders its mail and the bell of the webhook workers.
/// Services that write take this, not the whole instance.
#[derive(Clone)]
pub struct Writer {
    conn: DatabaseConnection,
    version: DatabaseConnection,
    bus: Arc<Bus>,
    mailer: Arc<Mailer>,
    webhooks: Arc<Notify>,
}

impl Writer {
    pub fn new(db: &super::Db, bus: Arc<Bus>, mailer: Arc<Mailer>, webhooks: Arc<Notify>) -> Self {
        Writer {
            conn: db.connection.clone(),
            version: db.version.clone(),
            bus,
            mailer,
            webhooks,
        }
    }

    /// Rung after a commit that queued webhook deliveries, so this instance's worker sends them
    /// at once.
    pub fn webhook_bell(&self) -> &Arc<Notify> {
        &self.webhooks
    }

    /// The pool, for the reads before a change.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// The mailer, for links in what a change answers.
    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// The live-event bus.
    pub fn bus(&self) -> &Arc<Bus> {
        &self.bus
    }
}

/// One write transaction and what its change causes.
pub struct UnitOfWork {
    txn: DatabaseTransaction,
    /// The data version's pool, for advancing it once the transaction committed.
    db: DatabaseConnection,
    /// None for work before the instance's bus exists (start-up, the command line).
    bus: Option<Arc<Bus>>,
    events: Mutex<Vec<Event>>,
    /// None where no mail can be sent (start-up, the command line).
    mailer: Option<Arc<Mailer>>,
    mail: Mutex<Vec<outbox_message::ActiveModel>>,
    occurrences: Mutex<Vec<Occurrence>>,
    /// None where no worker listens (start-up, the command line: the workers' poll finds it).
    webhooks: Option<Arc<Notify>>,
}

impl UnitOfWork {
    /// Begins the write transaction (on SQLite `BEGIN IMMEDIATE`: the write lock at once, so a
    /// transaction that reads first and writes later never fails with "database is locked").
    pub async fn begin(writer: &Writer) -> AppResult<UnitOfWork> {
        Ok(UnitOfWork {
            txn: super::begin_write(&writer.conn).await?,
            db: writer.version.clone(),
            bus: Some(writer.bus.clone()),
            events: Mutex::default(),
            mailer: Some(writer.mailer.clone()),
            mail: Mutex::default(),
            occurrences: Mutex::default(),
            webhooks: Some(writer.webhooks.clone()),
        })
    }

    /// Begins a unit of work that announces nothing: for start-up and command-line work done
    /// before the instance's event bus exists (nobody can be subscribed yet).
    pub async fn begin_quiet(db: &DatabaseConnection) -> AppResult<UnitOfWork> {
        Ok(UnitOfWork {
            txn: super::begin_write(db).await?,
            db: db.clone(),
            bus: None,
            events: Mutex::default(),
            mailer: None,
            mail: Mutex::default(),
            occurrences: Mutex::default(),
            webhooks: None,
        })
    }

    /// Opens a savepoint inside the transaction: a part of the change that may fail on its own
    /// (one item of a batch) and be rolled back without the rest.
    pub async fn savepoint(&self) -> AppResult<DatabaseTransaction> {
        Ok(self.txn.begin().await?)
    }

    /// Reads the rows of `select` locked until the transaction ends.
    pub async fn lock<E: EntityTrait>(&self, select: Select<E>) -> AppResult<Option<E::Model>> {
        Ok(super::one_for_update(&self.txn, select).await?)
    }

    /// Reads all rows of `select`, each locked until the transaction ends.
    pub async fn lock_all<E: EntityTrait>(&self, select: Select<E>) -> AppResult<Vec<E::Model>> {
        Ok(super::all_for_update(&self.txn, select).await?)
    }

    /// Takes a transaction-scoped advisory lock on `key` (PostgreSQL; SQLite's write transaction
    /// is exclusive already): for invariants that no single row holds.
    pub async fn advisory(&self, key: i64) -> AppResult<()> {
        Ok(super::advisory_lock(&self.txn, key).await?)
    }

    /// Takes the advisory lock keyed by a hex digest (its first 60 bits): for invariants of one
    /// email, one throttle key … whose rows do not exist yet.
    pub async fn advisory_on_digest(&self, hex: &str) -> AppResult<()> {
        let key = i64::from_str_radix(hex.get(..15).unwrap_or_default(), 16).unwrap_or_default();
        self.advisory(key).await
    }

    /// Locks the row `id` of a versioned table for a change. `may_change` decides on the locked
    /// row whether the viewer may change it (so that someone who may not never learns its
    /// version); then a stale `expected` version is the one CONFLICT of the API, naming the
    /// current version.
    pub async fn expect_version<E: Versioned>(
        &self,
        id: Uuid,
        expected: Option<i64>,
        may_change: impl FnOnce(&E::Model) -> AppResult<()>,
    ) -> AppResult<E::Model> {
        let current = self
            .lock(E::find().filter(E::id_column().eq(id)))
            .await?
            .ok_or_else(|| AppError::not_found(E::NOT_FOUND))?;
        may_change(&current)?;
        let version = E::version_of(&current);
        match expected {
            Some(expected) if expected != version => Err(AppError::version_conflict(E::NOUN, version, expected)),
            _ => Ok(current),
        }
    }

    /// Announces `event` to live subscribers once the change has committed.
    pub fn announce(&self, event: Event) {
        self.events.lock().unwrap_or_else(PoisonError::into_inner).push(event);
    }

    /// Tells the webhook endpoints subscribed to `occurrence` if the change commits: their
    /// deliveries are written into the webhook outbox with the change.
    pub fn emit(&self, occurrence: Occurrence) {
        self.occurrences
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(occurrence);
    }

    /// Sends `mail` if the change commits: it is rendered now and written into the outbox with
    /// the change.
    pub fn send(&self, mail: Mail) -> AppResult<()> {
        let row = self.mailer()?.compose(mail, super::now());
        self.mail.lock().unwrap_or_else(PoisonError::into_inner).push(row);
        Ok(())
    }

    /// The mailer, for links in the messages a change builds.
    pub fn mailer(&self) -> AppResult<&Mailer> {
        self.mailer
            .as_deref()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("this unit of work cannot send mail")))
    }

    /// Commits the change with its mail, its webhook deliveries and its events, then counts the
    /// commit and wakes the delivery workers.
    pub async fn commit(self) -> AppResult<()> {
        let UnitOfWork {
            txn,
            db,
            bus,
            events,
            mailer,
            mail,
            occurrences,
            webhooks,
        } = self;
        let occurrences = occurrences.into_inner().unwrap_or_else(PoisonError::into_inner);
        let hooked = super::webhook_outbox::fan_out(&txn, &occurrences, super::now()).await? > 0;
        let mail = mail.into_inner().unwrap_or_else(PoisonError::into_inner);
        let queued = !mail.is_empty();
        // A message with a dedupe key that is queued already (a reminder, a digest) is skipped.
        let outbox = queued.then(|| {
            outbox_message::Entity::insert_many(mail)
                .on_conflict(
                    OnConflict::column(outbox_message::Column::DedupeKey)
                        .do_nothing()
                        .to_owned(),
                )
                .into_query()
        });
        let events = events.into_inner().unwrap_or_else(PoisonError::into_inner);
        // One statement for both: they are the last round trips before the commit, while the
        // change's row locks are held.
        super::notify::write_and_notify(&txn, outbox, realtime::CHANNEL, realtime::payloads(&events)).await?;
        txn.commit().await?;
        // Before the change is answered: whoever learns of it finds every cache stale.
        if let Err(error) = super::notify::advance_data_version(&db).await {
            tracing::warn!(error = %error, "advancing the data version failed; cached answers may lag until they expire");
        }
        if let Some(bus) = bus {
            bus.committed(events);
        }
        if let (true, Some(mailer)) = (queued, mailer) {
            mailer.wake.notify_one();
        }
        if let (true, Some(webhooks)) = (hooked, webhooks) {
            webhooks.notify_one();
        }
        Ok(())
    }
}

// A unit of work is a connection: services pass `&work` wherever a statement is run.
#[async_trait::async_trait]
impl ConnectionTrait for UnitOfWork {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(statement).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(statement).await
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(statement).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}
