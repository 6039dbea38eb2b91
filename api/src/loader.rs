//! DataLoaders: generic loaders over sea-orm entities (rows by id, rows grouped by a foreign
//! key) and the [`BatchGate`] that makes their batching deterministic. Each area's `loaders.rs`
//! builds its loaders from these ([`AreaLoaders`]); a request builds an area's loaders only when
//! it first uses them ([`Lazy`]). A loader lives for one request, so nothing it holds outlives
//! what the viewer may see.
//!
//! Why a gate: async-graphql's DataLoader collects keys for a fixed delay, then loads. When
//! resolving a page takes longer than the delay (a slow machine, a debug build, a busy
//! executor), one level of the query is split into several batches. The gate instead holds
//! every batch until the request's execution is idle — every resolver that can run has run
//! and registered its keys — and no released batch is still handing out its results, and only
//! then starts the loads: one statement per relation and level, whatever the page size or the
//! machine. (A batch answers its keys one by one from another worker thread; were the gate to
//! open while it is halfway, the next level would load the keys of the answered half first and
//! the rest in a second statement.)

use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, Loader};
use futures::future::BoxFuture;
use sea_orm::sea_query::{Order, ValueType};
use sea_orm::{
    DatabaseConnection, DbErr, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::db::ids::any_of;
use crate::error::AppError;
use crate::ids::MemberId;

/// What an area's loaders are built from: the pool, the request's gate and the member asking.
#[derive(Clone)]
pub struct LoaderSource {
    pub db: DatabaseConnection,
    pub gate: BatchGate,
    /// The member the request is for (their registrations, read positions …), if any.
    pub member_id: Option<MemberId>,
}

/// An area's DataLoaders for one request.
pub trait AreaLoaders: Send + Sync + Sized + 'static {
    /// The loaders, built on the request's source.
    fn new(source: &LoaderSource) -> Self;
}

/// An area's loaders in a request's data, built when the request first asks for them: a
/// request that lists practices builds no forum loaders.
pub struct Lazy<L> {
    source: Arc<LoaderSource>,
    built: OnceLock<L>,
}

impl<L: AreaLoaders> Lazy<L> {
    pub fn new(source: Arc<LoaderSource>) -> Self {
        Lazy {
            source,
            built: OnceLock::new(),
        }
    }

    /// The loaders, built now if this is the first use.
    pub fn get(&self) -> &L {
        self.built.get_or_init(|| L::new(&self.source))
    }
}

/// The error of a batch load: shared by every key of the batch.
pub type LoadError = Arc<DbErr>;

impl From<LoadError> for AppError {
    fn from(error: LoadError) -> Self {
        AppError::internal(anyhow::anyhow!("batch load failed: {error}"))
    }
}

/// Decides when DataLoader batches start.
#[derive(Clone)]
pub struct BatchGate {
    /// Batches waiting for the request to become idle; `None` starts them at once.
    held: Option<Arc<Held>>,
}

/// The gate of one request: the batches it holds and those it released that still run.
#[derive(Default)]
struct Held {
    queue: Mutex<Vec<BoxFuture<'static, ()>>>,
    running: AtomicUsize,
    /// The waker of the request's execution, woken when the last running batch ends.
    execution: Mutex<Option<Waker>>,
}

/// Counts a released batch as running until it ends (or unwinds), then lets the execution
/// look again whether it may open the gate.
struct Running(Arc<Held>);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.running.fetch_sub(1, Ordering::SeqCst) == 1
            && let Ok(execution) = self.0.execution.lock()
            && let Some(waker) = execution.as_ref()
        {
            waker.wake_by_ref();
        }
    }
}

impl BatchGate {
    /// Holds batches until [`RunGated`] finds the request idle (HTTP requests).
    pub fn held() -> Self {
        BatchGate {
            held: Some(Arc::default()),
        }
    }

    /// Starts batches at once, after the DataLoader's short delay (subscriptions, tools).
    pub fn immediate() -> Self {
        BatchGate { held: None }
    }

    /// A DataLoader whose batches pass this gate. Held batches use a zero delay: the gate has
    /// already waited for every key (and async-graphql's zero delay completes at once without
    /// the tokio timer, whose 1 ms tick would add a millisecond per level).
    pub fn loader<L: Send + Sync + 'static>(&self, loader: L) -> DataLoader<L> {
        match &self.held {
            None => DataLoader::new(loader, tokio::spawn),
            Some(held) => {
                let held = held.clone();
                DataLoader::new(loader, move |batch: BoxFuture<'static, ()>| {
                    if let Ok(mut queue) = held.queue.lock() {
                        queue.push(batch);
                    }
                })
                .delay(Duration::ZERO)
            }
        }
    }

    /// Starts every held batch, unless a released one still runs: its remaining answers may
    /// add keys to the held ones. `execution` is woken when the last running batch ends.
    fn release(&self, execution: &Waker) {
        let Some(held) = &self.held else { return };
        if let Ok(mut waker) = held.execution.lock() {
            *waker = Some(execution.clone());
        }
        if held.running.load(Ordering::SeqCst) > 0 {
            return;
        }
        let batches = match held.queue.lock() {
            Ok(mut queue) => std::mem::take(&mut *queue),
            Err(_) => return,
        };
        for batch in batches {
            held.running.fetch_add(1, Ordering::SeqCst);
            let running = Running(held.clone());
            tokio::spawn(async move {
                batch.await;
                drop(running);
            });
        }
    }

    /// Runs `future` (a request's execution), releasing held batches whenever it is idle.
    pub fn run<F: Future>(&self, future: F) -> RunGated<F> {
        RunGated {
            future: Box::pin(future),
            gate: self.clone(),
        }
    }
}

/// A future that releases its gate's batches whenever the inner future is idle: pending, and
/// not woken during its own poll (which is how a future asks to be polled again at once).
pub struct RunGated<F> {
    future: Pin<Box<F>>,
    gate: BatchGate,
}

struct WokenFlag {
    woken: AtomicBool,
    waker: Waker,
}

impl Wake for WokenFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.waker.wake_by_ref();
    }
}

impl<F: Future> Future for RunGated<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let flag = Arc::new(WokenFlag {
            woken: AtomicBool::new(false),
            waker: cx.waker().clone(),
        });
        let waker = Waker::from(flag.clone());
        let result = self.future.as_mut().poll(&mut Context::from_waker(&waker));
        if result.is_pending() && !flag.woken.load(Ordering::SeqCst) {
            self.gate.release(cx.waker());
        }
        result
    }
}

fn uuid_of<M: ModelTrait>(model: &M, column: <M::Entity as EntityTrait>::Column) -> Option<Uuid> {
    <Uuid as ValueType>::try_from(model.get(column)).ok()
}

/// Rows of `E` by their UUID primary key.
pub struct ById<E> {
    db: DatabaseConnection,
    entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    pub fn new(db: DatabaseConnection) -> Self {
        ById {
            db,
            entity: PhantomData,
        }
    }
}

impl<E> Loader<Uuid> for ById<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, LoadError> {
        let Some(id) = E::PrimaryKey::iter().next().map(PrimaryKeyToColumn::into_column) else {
            return Ok(HashMap::new());
        };
        let rows = E::find()
            .filter(any_of(&self.db, id, keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| Some((uuid_of(&row, id)?, row)))
            .collect())
    }
}

/// Rows of `E` grouped by the UUID in `column`, each group in the given order.
pub struct GroupedBy<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
    order: Vec<(E::Column, Order)>,
}

impl<E: EntityTrait> GroupedBy<E> {
    pub fn new(db: DatabaseConnection, column: E::Column, order: Vec<(E::Column, Order)>) -> Self {
        GroupedBy { db, column, order }
    }
}

impl<E> Loader<Uuid> for GroupedBy<E>
where
    E: EntityTrait,
    E::Column: Send + Sync,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<E::Model>>, LoadError> {
        let mut select = E::find().filter(any_of(&self.db, self.column, keys.iter().copied()));
        for (column, order) in &self.order {
            select = select.order_by(*column, order.clone());
        }
        let mut groups: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
        for row in select.all(&self.db).await? {
            if let Some(key) = uuid_of(&row, self.column) {
                groups.entry(key).or_default().push(row);
            }
        }
        Ok(groups)
    }
}
