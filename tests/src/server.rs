//! The real server, in process, on an ephemeral port.

use std::sync::Arc;

use dkbm_hub::{App, AppState, Config};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{Session, TestDb};

/// The operator token every test server accepts.
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

/// One running server instance.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The instance: its state and its areas' handles.
    pub app: App,
    /// The instance's shared state (`app.state`).
    pub state: AppState,
    pub db: Arc<TestDb>,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

fn test_config(db: &TestDb) -> Config {
    let mut config = Config::from_env().expect("configuration from defaults");
    config.database.url = db.url.clone();
    config.database.max_connections = 8;
    config.bind = "127.0.0.1:0".parse().expect("address");
    config.admin_token = Some(ADMIN_TOKEN.to_owned());
    config.demo = false;
    // Tests build their own map; the ones about the real districts switch them on.
    config.no_base_places = true;
    config.skip_migrations = false;
    config.mail.mail_dir = Some(db.mail_dir().to_path_buf());
    // Each test's files in a folder of its own (PostgreSQL's default is the working directory).
    config.storage.storage_url = Some(db.files_dir().display().to_string());
    config.mail.public_url = "https://dkbm.test".to_owned();
    config.mail.mail_retry_secs = 1;
    // The worker is woken by the commits that queue mail; its periodic look (a statement at a
    // random moment) would only disturb the tests that count statements. Tests of delivery
    // across instances set it.
    config.mail.mail_poll_secs = 3600;
    // Tests wait for their mail; the settling pause is for bursts (the events benchmark keeps it).
    config.mail.mail_settle_ms = 0;
    // The same for the webhook worker: woken by commits; tests across instances set it.
    config.webhooks.webhook_poll_secs = 3600;
    config
}

impl TestServer {
    /// A server on a fresh database with the test configuration.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server on a fresh database; `adjust` changes the configuration first.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let db = Arc::new(TestDb::fresh().await);
        Self::start_on(db, adjust).await
    }

    /// A second instance on the same database where several can run (PostgreSQL); none on
    /// SQLite, whose one process is the only writer.
    pub async fn replica_on_postgres(&self) -> Option<TestServer> {
        if crate::on_postgres() {
            Some(Self::start_on(self.db.clone(), |_| {}).await)
        } else {
            None
        }
    }

    /// Holds the database's write lock from outside the server (on PostgreSQL an exclusive lock
    /// on the agency table), so that a mutation writing agencies waits until it is released.
    pub async fn hold_write_lock(&self) -> WriteLock {
        let db = self.db.connect().await;
        let transaction = dkbm_hub::db::begin_write(&db).await.expect("begin");
        if crate::on_postgres() {
            sea_orm::ConnectionTrait::execute_unprepared(&transaction, "LOCK TABLE agency IN ACCESS EXCLUSIVE MODE")
                .await
                .expect("lock");
        }
        WriteLock { transaction, _db: db }
    }

    /// Another server on the same database (a second replica).
    pub async fn start_on(db: Arc<TestDb>, adjust: impl FnOnce(&mut Config)) -> TestServer {
        // DKBM_TEST_LOG=dkbm_hub=debug shows the server's logs (and SQL) in failing tests.
        if let Ok(filter) = std::env::var("DKBM_TEST_LOG") {
            dkbm_hub::logging::init(&filter, false);
        }
        let mut config = test_config(&db);
        adjust(&mut config);
        let app = dkbm_hub::prepare(config).await.expect("prepare the server");
        let state = app.state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(dkbm_hub::serve(app.clone(), listener, async move {
            let _ = signal.await;
        }));
        TestServer {
            base,
            app,
            state,
            db,
            client: reqwest::Client::new(),
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    /// The demo data set loaded into this server's database.
    pub async fn seed_demo(&self) {
        dkbm_hub::seed::demo(&self.app).await.expect("seed the demo data");
    }

    /// `http://…/graphql`
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// `http://…{path}`
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A GET of a path of this server (`/healthz`, `/events/…/participants.csv`), for adding
    /// headers before sending it.
    pub fn get_request(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    /// GETs a path of this server anonymously; the response, whatever its status.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_request(path).send().await.expect("send the GET")
    }

    /// GETs a path of this server with a member's access token.
    pub async fn get_as(&self, session: &Session, path: &str) -> reqwest::Response {
        self.get_request(path)
            .bearer_auth(&session.access_token)
            .send()
            .await
            .expect("send the GET")
    }

    /// POSTs a GraphQL request and returns the JSON body (whatever the status).
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_with(None, query, variables).await
    }

    /// Like [`Self::gql`] as the operator (admin token).
    pub async fn gql_admin(&self, query: &str, variables: Value) -> Value {
        self.gql_with(Some(ADMIN_TOKEN), query, variables).await
    }

    /// Like [`Self::gql`] with a bearer token.
    pub async fn gql_with(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_request(token, None, query, variables).await
    }

    /// Like [`Self::gql_with`] from a client whose `Accept-Language` is `languages`
    /// (`de-DE,de;q=0.9`).
    pub async fn gql_in(&self, languages: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_request(token, Some(languages), query, variables).await
    }

    async fn gql_request(&self, token: Option<&str>, languages: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.graphql_url())
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(languages) = languages {
            request = request.header("accept-language", languages);
        }
        let response = request.send().await.expect("send the request");
        response.json().await.expect("a JSON body")
    }

    /// SQL statements this instance has run so far.
    pub fn statements(&self) -> u64 {
        self.state.metrics().db_statements.get()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        self.shutdown_now().await;
    }

    async fn shutdown_now(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// The database's write lock held from outside a server ([`TestServer::hold_write_lock`]).
pub struct WriteLock {
    transaction: sea_orm::DatabaseTransaction,
    _db: sea_orm::DatabaseConnection,
}

impl WriteLock {
    /// Lets waiting writers go on.
    pub async fn release(self) {
        self.transaction.rollback().await.expect("release");
    }
}
