//! GraphiQL at `/` is served from the binary (pinned, cacheable, no CDN), and it works in a real
//! browser: headless Chromium, driven over the DevTools protocol, renders the editor, runs a query,
//! runs a subscription over the WebSocket `/graphql/ws` and loads nothing from another host. Without Chromium the browser test says it skipped and why,
//! unless DKBM_REQUIRE_BROWSER=1 (as `.ci/run` sets), where a missing browser fails it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use dkbm_tests::{TestServer, header};
use futures::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::time::{Instant, sleep, timeout};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The bound of every wait on the browser.
const WAIT: Duration = Duration::from_secs(30);

/// The asset URLs the page at `/` refers to.
fn asset_paths(page: &str) -> Vec<String> {
    page.split(['"', '\''])
        .filter(|piece| piece.starts_with("/graphiql/"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn graphiql_page_and_assets_come_from_the_server() {
    let server = TestServer::start().await;
    let page = server.get("/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let page = page.text().await.expect("text");
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from elsewhere: {page}"
    );
    assert!(!page.contains("development"), "production React only");

    let assets = asset_paths(&page);
    assert_eq!(assets.len(), 4, "{assets:?}");
    for path in &assets {
        let response = server.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let expected = if path.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(header(&response, "content-type").starts_with(expected), "{path}");
        assert!(response.bytes().await.expect("body").len() > 1000, "{path}");
    }

    // Another version or an unknown file is not found.
    let unknown_version = server.get("/graphiql/0.0.0/graphiql.min.js").await;
    assert_eq!(unknown_version.status(), StatusCode::NOT_FOUND);
    let version_dir = assets[0].rsplit_once('/').expect("a file in a folder").0;
    let unknown_file = server.get(&format!("{version_dir}/secrets.txt")).await;
    assert_eq!(unknown_file.status(), StatusCode::NOT_FOUND);
}

/// Chromium: `CHROMIUM` if set, else `/usr/bin/chromium`; `None` if it is not there.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    path.is_file().then_some(path)
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A page of the browser over the DevTools protocol.
struct DevTools {
    socket: Socket,
    next_id: u64,
}

impl DevTools {
    /// Sends one command and waits (bounded) for its answer, skipping events.
    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let command = json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket
            .send(Message::text(command))
            .await
            .expect("send a DevTools command");
        timeout(WAIT, async {
            loop {
                let message = self.socket.next().await.expect("DevTools socket open").expect("read");
                let Message::Text(text) = message else { continue };
                let answer: Value = serde_json::from_str(&text).expect("DevTools JSON");
                if answer["id"] == id {
                    assert!(answer.get("error").is_none(), "{method}: {answer}");
                    return answer["result"].clone();
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no answer to {method} within {WAIT:?}"))
    }

    /// The value of a JavaScript expression in the page.
    async fn evaluate(&mut self, expression: &str) -> Value {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
            )
            .await;
        assert!(result.get("exceptionDetails").is_none(), "{expression}: {result}");
        result["result"]["value"].clone()
    }

    /// Evaluates `expression` until it is true; panics with `what` after the bound.
    async fn wait_for(&mut self, expression: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if self.evaluate(expression).await == json!(true) {
                return;
            }
            sleep(Duration::from_millis(100)).await;
        }
        let body = self
            .evaluate("document.body ? document.body.innerText.slice(0, 2000) : ''")
            .await;
        panic!("{what} not within {WAIT:?}; the page shows: {body}");
    }
}

/// Starts headless Chromium with a DevTools port of its choosing; the child and the
/// `http://127.0.0.1:PORT` of its DevTools endpoint.
async fn start_chromium(path: &PathBuf, profile: &tempfile::TempDir) -> (Child, String) {
    let mut child = Command::new(path)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|error| panic!("start {}: {error}", path.display()));
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    let websocket = timeout(WAIT, async {
        while let Some(line) = lines.next_line().await.expect("read Chromium's stderr") {
            if let Some(url) = line.strip_prefix("DevTools listening on ") {
                return Some(url.trim().to_owned());
            }
            seen.push(line);
        }
        None
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_else(|| panic!("Chromium printed no DevTools address; it said: {}", seen.join("\n")));
    // Keep draining stderr so the browser never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let address = websocket
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("DevTools address {websocket}"));
    (child, format!("http://{address}"))
}

/// Opens GraphiQL with `query` in the editor, runs it and waits until the result pane shows
/// every one of `expected`; the pane's text.
async fn run_in_graphiql(page: &mut DevTools, server: &TestServer, query: &str, expected: &[&str]) -> String {
    let mut url = url::Url::parse(&server.url("/")).expect("URL");
    url.query_pairs_mut().append_pair("query", query);
    page.call("Page.navigate", json!({ "url": url.as_str() })).await;

    // The editor rendered, with the query from the URL in it.
    let first_word = query.split_whitespace().find(|word| word.len() > 3).unwrap_or(query);
    let first_word = serde_json::to_string(first_word).expect("JSON string");
    page.wait_for(
        &format!(
            "!!document.querySelector('.graphiql-execute-button') \
             && !!document.querySelector('.graphiql-query-editor .CodeMirror') \
             && document.querySelector('.graphiql-query-editor').textContent.includes({first_word})"
        ),
        "the GraphiQL editor with the query",
    )
    .await;

    // Run it: the result pane shows the answer.
    page.evaluate("document.querySelector('.graphiql-execute-button').click(); true")
        .await;
    let expected = serde_json::to_string(expected).expect("JSON array");
    page.wait_for(
        &format!(
            "(() => {{ const result = document.querySelector('.graphiql-response'); \
               return !!result && {expected}.every(text => result.textContent.includes(text)); }})()"
        ),
        "the operation's result",
    )
    .await;
    page.evaluate("document.querySelector('.graphiql-response').textContent")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn graphiql_renders_and_runs_a_query_and_a_subscription_in_headless_chromium() {
    let required = std::env::var("DKBM_REQUIRE_BROWSER").is_ok_and(|value| value == "1");
    let Some(chromium) = chromium() else {
        assert!(
            !required,
            "DKBM_REQUIRE_BROWSER=1 but no Chromium at $CHROMIUM or /usr/bin/chromium"
        );
        println!(
            "skipped: no Chromium (install the Debian package chromium, or set DKBM_REQUIRE_BROWSER=1 to require it)"
        );
        return;
    };

    let server = TestServer::start().await;
    server.seed_demo().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let (mut child, devtools) = start_chromium(&chromium, &profile).await;

    // The page target the browser opened with about:blank.
    let targets: Vec<Value> = reqwest::get(format!("{devtools}/json/list"))
        .await
        .expect("DevTools /json/list")
        .json()
        .await
        .expect("targets");
    let page_socket = targets
        .iter()
        .find(|target| target["type"] == "page")
        .and_then(|target| target["webSocketDebuggerUrl"].as_str())
        .unwrap_or_else(|| panic!("no page among {targets:?}"))
        .to_owned();
    let (socket, _) = timeout(WAIT, tokio_tungstenite::connect_async(page_socket.as_str()))
        .await
        .expect("connect to the page within the bound")
        .expect("connect to the page");
    let mut page = DevTools { socket, next_id: 0 };

    let result = run_in_graphiql(&mut page, &server, "{ __typename }", &["\"data\"", "\"__typename\""]).await;
    println!("GraphiQL in {}: the result pane shows {result}", chromium.display());

    // A subscription runs over the WebSocket (over HTTP it could not: /graphql answers a
    // subscription with an error): the event's availability arrives at once.
    let events = server
        .gql("{ trainingEvents(first: 1) { nodes { id } } }", json!({}))
        .await;
    let event_id = events["data"]["trainingEvents"]["nodes"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a demo event: {events}"))
        .to_owned();
    let subscription =
        format!("subscription {{ eventAvailabilityChanged(eventId: \"{event_id}\") {{ eventId seatsTaken }} }}");
    let result = run_in_graphiql(
        &mut page,
        &server,
        &subscription,
        &["eventAvailabilityChanged", &event_id],
    )
    .await;
    println!("GraphiQL's subscription over /graphql/ws shows {result}");

    // Every request of the page went to this server: the page, its assets and /graphql.
    let loaded = page
        .evaluate("[location.href, ...performance.getEntriesByType('resource').map(entry => entry.name)]")
        .await;
    let loaded: Vec<&str> = loaded
        .as_array()
        .expect("URLs")
        .iter()
        .map(|url| url.as_str().expect("a URL"))
        .collect();
    let base = format!("{}/", server.base);
    assert!(
        loaded
            .iter()
            .all(|url| url.starts_with(&base) || url.starts_with("data:")),
        "{loaded:?}"
    );
    assert!(loaded.iter().any(|url| url.ends_with("/graphiql.min.js")), "{loaded:?}");
    assert!(loaded.iter().any(|url| url.ends_with("/graphql")), "{loaded:?}");
    println!("the page loaded only: {loaded:?}");

    child.kill().await.expect("stop Chromium");
    server.stop().await;
}
