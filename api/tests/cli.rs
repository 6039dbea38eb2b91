//! The command line as an operator uses it: migrate, seed twice, export the schema, serve and
//! stop with SIGTERM. (The binary can only be reached from its own package's tests.)

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn dkbm_hub(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dkbm-hub"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("DKBM_LOG", "warn");
    command
}

#[test]
fn migrate_seed_export_and_serve() {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = dkbm_hub(dir.path()).arg("migrate").status().expect("run migrate");
    assert!(status.success());
    assert!(
        dir.path().join("dkbm.db").exists(),
        "the default database is dkbm.db in the working directory"
    );

    for _ in 0..2 {
        let status = dkbm_hub(dir.path())
            .args(["seed", "--demo"])
            .status()
            .expect("run seed");
        assert!(status.success());
    }
    let status = dkbm_hub(dir.path()).arg("seed").status().expect("run seed");
    assert!(!status.success(), "seed without --demo says what is missing");

    let output = dkbm_hub(dir.path())
        .arg("export-schema")
        .output()
        .expect("run export-schema");
    assert!(output.status.success());
    let committed = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql"))
        .expect("schema.graphql");
    assert_eq!(String::from_utf8_lossy(&output.stdout), committed);

    // Serve on a free port, answer, stop on SIGTERM.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut server = dkbm_hub(dir.path())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let started = Instant::now();
    let mut healthy = false;
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut reply = String::new();
            let _ = stream.read_to_string(&mut reply);
            if reply.starts_with("HTTP/1.1 200") {
                healthy = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(healthy, "the server answers /healthz");
    let startup = started.elapsed();
    assert!(startup < Duration::from_secs(10));
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = server.wait().expect("wait");
    assert!(exit.success(), "SIGTERM is a clean shutdown: {exit:?}");
}

#[test]
fn admin_create_makes_the_first_administrator() {
    let dir = tempfile::tempdir().expect("temp dir");
    let create = |password: &str| {
        dkbm_hub(dir.path())
            .args([
                "admin",
                "create",
                "--email",
                "Erste.Admin@Example.org",
                "--display-name",
                "Erste Admin",
            ])
            .env("DKBM_ADMIN_PASSWORD", password)
            .output()
            .expect("run admin create")
    };
    let weak = create("passwort123456");
    assert!(!weak.status.success(), "a weak password is refused");
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too easy to guess"));
    let created = create("Ein langes Passwort für die Verwaltung");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(String::from_utf8_lossy(&created.stderr).contains("created the administrator erste.admin@example.org"));
    let again = create("Ein langes Passwort für die Verwaltung");
    assert!(again.status.success());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let database = dkbm_hub::config::DatabaseConfig {
            url: format!("sqlite://{}?mode=rwc", dir.path().join("dkbm.db").display()),
            max_connections: 1,
            replica: Default::default(),
        };
        let db = dkbm_hub::db::connect(&database).await.expect("connect");
        let member = dkbm_entity::member::Entity::find()
            .filter(dkbm_entity::member::Column::Email.eq("erste.admin@example.org"))
            .one(&db.connection)
            .await
            .expect("query")
            .expect("the member");
        let admins = dkbm_entity::member_role::Entity::find()
            .filter(dkbm_entity::member_role::Column::MemberId.eq(member.id))
            .filter(dkbm_entity::member_role::Column::Role.eq(dkbm_entity::Role::Admin))
            .count(&db.connection)
            .await
            .expect("count");
        assert_eq!(admins, 1, "one ADMIN grant, also after running twice");
        let keys = dkbm_entity::signing_key::Entity::find()
            .filter(dkbm_entity::signing_key::Column::RetiredAt.is_null())
            .count(&db.connection)
            .await
            .expect("count keys");
        assert_eq!(keys, 1, "the generated signing key is kept in the database");
    });
    assert!(
        !dir.path().join("dkbm-jwt-signing-key.pem").exists(),
        "no private key file is written beside the database"
    );
}
