//! The `mekaar-server` command line, run as an admin runs it: a community
//! and tokens made offline, `export` of a data directory, `import` into an
//! empty one whose server then answers with the same data (tokens included),
//! `import` into a directory that holds data refused with a clear message and
//! a non-zero exit, `backup` of the running server and `restore` of it, and
//! one community's `export --community` imported on its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use mekaar_tests::bench::ServerProcess;
use mekaar_tests::{http_client, voter_key};
use reqwest::Client;
use serde_json::{json, Value};

/// The server binary of this checkout. `cargo test` builds only the
/// server's library for this package, so the binary is built here (once
/// per test run; quick when it is current), unless `MEKAAR_SERVER_BIN`
/// names one.
pub(crate) fn server_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(path) = std::env::var_os("MEKAAR_SERVER_BIN") {
            return PathBuf::from(path);
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "mekaar-server",
                "--bin",
                "mekaar-server",
            ])
            .current_dir(root)
            .status()
            .expect("run cargo build");
        assert!(status.success(), "building mekaar-server failed");
        // This test runs as target/debug/deps/integration-…; the binary is in target/debug.
        let exe = std::env::current_exe().unwrap();
        let bin = exe
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .join("mekaar-server");
        assert!(bin.exists(), "no binary at {}", bin.display());
        bin
    })
}

/// Runs `mekaar-server --data-dir DIR ARGS…` to its end.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(server_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("MEKAAR_LOG", "warn")
        .output()
        .expect("run mekaar-server")
}

/// Runs it and expects success; returns standard output.
#[track_caller]
pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "mekaar-server {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The last line of the output: where the commands print a token or an id.
fn last_line(text: &str) -> String {
    text.lines().last().unwrap_or("").trim().to_string()
}

async fn get(http: &Client, url: String, token: &str) -> Value {
    let response = http.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.json().await.unwrap()
}

/// Everything the admin and the public see of the community.
async fn seen(http: &Client, server: &ServerProcess, admin: &str) -> Value {
    let admin_url = |rest: &str| server.url(&format!("/api/v1/admin/communities/baarlo{rest}"));
    json!({
        "community": get(http, admin_url(""), admin).await,
        "tokens": get(http, admin_url("/tokens"), admin).await,
        "queue": get(http, admin_url("/initiatives"), admin).await,
        "audit": get(http, admin_url("/audit"), admin).await,
        "public": get(http, server.url("/api/v1/communities/baarlo/initiatives"), "").await,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_and_import_with_the_command_line_keep_everything() {
    let work = tempfile::tempdir().unwrap();
    let original = work.path().join("original");
    let original = original.as_path();

    // Offline, as an admin sets a community up.
    let created = ok(
        original,
        &[
            "community",
            "create",
            "baarlo",
            "--name",
            "Baarlo",
            "--origin",
            "https://www.baarlo.nl",
            "--area",
            "Kloosterbuurt",
            "--retention-days",
            "365",
        ],
    );
    let admin = last_line(&created);
    assert!(admin.starts_with("mk_"), "{created}");
    let id = last_line(&ok(
        original,
        &[
            "initiative",
            "create",
            "baarlo",
            "--title",
            "Een AED bij de kerk",
        ],
    ));
    let made = ok(
        original,
        &[
            "token",
            "--community",
            "baarlo",
            "--role",
            "moderator",
            "--label",
            "Marieke",
        ],
    );
    assert!(made.starts_with("Moderator token"), "{made}");
    let moderator = last_line(&made);
    assert!(moderator.starts_with("mk_"), "{made}");
    let editor = last_line(&ok(
        original,
        &["token", "--community", "baarlo", "--role", "poll-editor"],
    ));

    // The token command refuses what it cannot do, saying why.
    let unknown = run(original, &["token", "--community", "nergens"]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("no community `nergens`"),
        "{unknown:?}"
    );
    let bad_role = run(
        original,
        &["token", "--community", "baarlo", "--role", "owner"],
    );
    assert!(!bad_role.status.success());

    let server_token = last_line(&ok(original, &["admin-token"]));
    assert!(server_token.starts_with("mk_"), "{server_token}");

    // Residents and the moderator use it for a while.
    let http = http_client();
    let server = ServerProcess::start(server_bin(), original).unwrap();
    let initiative = |rest: &str| {
        server.url(&format!(
            "/api/v1/communities/baarlo/initiatives/{id}{rest}"
        ))
    };
    for n in 0..3 {
        let answer = http
            .put(initiative("/support"))
            .header(mekaar_api::VOTER_HEADER, voter_key(n))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    }
    let answer = http
        .post(initiative("/join"))
        .header(mekaar_api::VOTER_HEADER, voter_key(1))
        .json(&json!({"name": "Piet", "contact": "piet@example.nl", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let answer = http
        .put(server.url(&format!(
            "/api/v1/admin/communities/baarlo/initiatives/{id}/answer"
        )))
        .bearer_auth(&moderator)
        .json(&json!({"text": "De gemeente betaalt de kast.", "answered_by": "Gemeente"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let before = seen(&http, &server, &admin).await;
    assert_eq!(before["community"]["retention_days"], 365);
    assert_eq!(before["tokens"]["tokens"].as_array().unwrap().len(), 3);
    assert_eq!(before["public"]["initiatives"][0]["support_count"], 3);
    server.kill9().unwrap();

    // Export, then import into a new directory.
    let file = work.path().join("baarlo.jsonl");
    let file_arg = file.to_str().unwrap();
    let exported = run(original, &["export", "--out", file_arg]);
    assert!(exported.status.success(), "{exported:?}");
    assert!(
        String::from_utf8_lossy(&exported.stderr).contains("Exported"),
        "{exported:?}"
    );
    let copy = work.path().join("copy");
    let imported = run(&copy, &["import", file_arg]);
    assert!(imported.status.success(), "{imported:?}");
    assert!(
        String::from_utf8_lossy(&imported.stderr).contains("Imported"),
        "{imported:?}"
    );

    // The imported server answers with the same data, and the same tokens work.
    let server = ServerProcess::start(server_bin(), &copy).unwrap();
    assert_eq!(seen(&http, &server, &admin).await, before);
    for (token, role) in [(&moderator, "moderator"), (&editor, "poll_editor")] {
        let signed_in = http
            .post(server.url("/api/v1/session"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 201);
        let session: Value = signed_in.json().await.unwrap();
        assert_eq!(session["role"], role);
    }
    server.kill9().unwrap();

    // Not into a directory that holds data: refused, nothing changed.
    let refused = run(&copy, &["import", file_arg]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("not empty"), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
    let server = ServerProcess::start(server_bin(), &copy).unwrap();
    assert_eq!(seen(&http, &server, &admin).await, before);

    // A backup of the running server, restored into a new directory: the same again.
    let backups = work.path().join("backups");
    let base = server.url("");
    let backup = |token: &str| {
        run(
            &copy,
            &[
                "backup",
                backups.to_str().unwrap(),
                "--server",
                base.trim_end_matches('/'),
                "--token",
                token,
            ],
        )
    };
    let taken = backup(&server_token);
    assert!(taken.status.success(), "{taken:?}");
    let backup_file = PathBuf::from(last_line(&String::from_utf8_lossy(&taken.stdout)));
    assert!(backup_file.starts_with(&backups), "{taken:?}");
    assert!(backup_file.is_file(), "{taken:?}");
    // Without a server-wide token there is no backup.
    let refused = backup(&admin);
    assert!(!refused.status.success(), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("401"),
        "refused for its token: {refused:?}"
    );
    server.kill9().unwrap();
    let restored = work.path().join("restored");
    let out = run(&restored, &["restore", backups.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Restored"),
        "{out:?}"
    );
    let server = ServerProcess::start(server_bin(), &restored).unwrap();
    assert_eq!(seen(&http, &server, &admin).await, before);
    server.kill9().unwrap();

    // One community's export (standard output) carries that community, tokens included.
    let one = run(&restored, &["export", "--community", "baarlo"]);
    assert!(one.status.success(), "{one:?}");
    let one_file = work.path().join("one.jsonl");
    std::fs::write(&one_file, &one.stdout).unwrap();
    let only = work.path().join("only-baarlo");
    ok(&only, &["import", one_file.to_str().unwrap()]);
    let server = ServerProcess::start(server_bin(), &only).unwrap();
    assert_eq!(seen(&http, &server, &admin).await, before);
    // Server-wide tables stay out of a community's export: the server token is unknown.
    let communities = http
        .get(server.url("/api/v1/admin/communities"))
        .bearer_auth(&server_token)
        .send()
        .await
        .unwrap();
    assert_eq!(communities.status(), 401);
}

/// `--database`: the commands and the server on PostgreSQL, and two servers
/// on one database (two nodes) that count the same supports once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_database_count_each_support_once() {
    let work = tempfile::tempdir().unwrap();
    let Some(url) = mekaar_tests::test_database_url(work.path()).await else {
        eprintln!("skipped: needs MEKAAR_TEST_DATABASE (scripts/test runs it on PostgreSQL)");
        return;
    };
    // No data directory is used: nothing may appear in it.
    let unused = work.path().join("unused");
    let db = |args: &[&str]| {
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        ok(&unused, &all)
    };
    let created = db(&["community", "create", "baarlo", "--name", "Baarlo"]);
    assert!(last_line(&created).starts_with("mk_"), "{created}");
    let id = last_line(&db(&[
        "initiative",
        "create",
        "baarlo",
        "--title",
        "Een AED bij de kerk",
    ]));
    let args = [
        "--database",
        url.as_str(),
        "--max-connections-per-network",
        "1000",
    ];
    let one = ServerProcess::start_with_args(server_bin(), &unused, &args).unwrap();
    let two = ServerProcess::start_with_args(server_bin(), &unused, &args).unwrap();
    let http = http_client();
    let support = |server: &ServerProcess, n: u64| {
        http.put(server.url(&format!(
            "/api/v1/communities/baarlo/initiatives/{id}/support"
        )))
        .header(mekaar_api::VOTER_HEADER, voter_key(n))
        .send()
    };
    // Voters 0..6 on the first, 3..9 on the second: 3, 4 and 5 twice.
    let mut answers = Vec::new();
    for n in 0..6 {
        answers.push(support(&one, n).await.unwrap().status());
        answers.push(support(&two, n + 3).await.unwrap().status());
    }
    assert!(answers.iter().all(|s| s.is_success()), "{answers:?}");
    for server in [&one, &two] {
        let list: Value = http
            .get(server.url("/api/v1/communities/baarlo/initiatives"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["initiatives"][0]["support_count"], 9, "{list}");
    }
    one.kill9().unwrap();
    two.kill9().unwrap();
    assert!(!unused.join("db").exists(), "sled was opened after all");
}

/// `migrate-store`: a sled installation moved into an empty store (PostgreSQL under
/// `MEKAAR_TEST_DATABASE`, another sled directory otherwise) exports the same records,
/// serves the same supports and still counts each voter once; a second move into the
/// now full target is refused with a clear message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_store_moves_an_installation_record_for_record() {
    let work = tempfile::tempdir().unwrap();
    let sled_dir = work.path().join("sled");
    let unused = work.path().join("unused");
    ok(
        &sled_dir,
        &["community", "create", "baarlo", "--name", "Baarlo"],
    );
    let id = last_line(&ok(
        &sled_dir,
        &[
            "initiative",
            "create",
            "baarlo",
            "--title",
            "Een AED bij de kerk",
        ],
    ));
    let http = http_client();
    let support = |server: &ServerProcess, n: u64| {
        http.put(server.url(&format!(
            "/api/v1/communities/baarlo/initiatives/{id}/support"
        )))
        .header(mekaar_api::VOTER_HEADER, voter_key(n))
        .send()
    };
    let count = |server: &ServerProcess| {
        let url = server.url("/api/v1/communities/baarlo/initiatives");
        let http = http.clone();
        async move {
            let list: Value = http.get(url).send().await.unwrap().json().await.unwrap();
            list["initiatives"][0]["support_count"].clone()
        }
    };
    let old = ServerProcess::start(server_bin(), &sled_dir).unwrap();
    for n in 0..5 {
        assert!(support(&old, n).await.unwrap().status().is_success());
    }
    // Every answered support is on disk.
    old.kill9().unwrap();

    let database = mekaar_tests::test_database_url(&work.path().join("pg")).await;
    let new_dir = work.path().join("sled-new");
    let (to, target_args): (String, Vec<String>) = match &database {
        // A password in the URL (the test cluster trusts loopback and ignores
        // it) that no message may repeat.
        Some(url) => {
            assert!(url.contains("://postgres@"), "{url}");
            let with_password = url.replace("://postgres@", "://postgres:s3cret-word@");
            (with_password, vec!["--database".into(), url.clone()])
        }
        None => (format!("sled:{}", new_dir.display()), Vec::new()),
    };
    let target_dir = if database.is_some() {
        &unused
    } else {
        &new_dir
    };
    let from = format!("sled:{}", sled_dir.display());
    let moved = run(&unused, &["migrate-store", "--from", &from, "--to", &to]);
    let said = String::from_utf8_lossy(&moved.stderr).to_string();
    assert!(moved.status.success(), "{said}");
    assert!(said.contains("and 5 set members"), "{said}");
    assert!(!said.contains("s3cret-word"), "{said}");

    // The same records, line for line (the header holds the export's time).
    let export_of = |dir: &Path, extra: &[String]| {
        let mut args: Vec<&str> = extra.iter().map(String::as_str).collect();
        args.push("export");
        let text = ok(dir, &args);
        text.lines().skip(1).map(str::to_string).collect::<Vec<_>>()
    };
    let before = export_of(&sled_dir, &[]);
    let after = export_of(target_dir, &target_args);
    assert!(before.len() > 3, "{before:?}");
    assert_eq!(before, after);

    let args: Vec<&str> = target_args.iter().map(String::as_str).collect();
    let new = ServerProcess::start_with_args(server_bin(), target_dir, &args).unwrap();
    assert_eq!(count(&new).await, 5);
    assert!(support(&new, 0).await.unwrap().status().is_success());
    assert_eq!(
        count(&new).await,
        5,
        "a voter who supported before counts once"
    );
    assert!(support(&new, 5).await.unwrap().status().is_success());
    assert_eq!(count(&new).await, 6);
    new.kill9().unwrap();

    let again = run(&unused, &["migrate-store", "--from", &from, "--to", &to]);
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already holds data"), "{said}");
    let nonsense = run(
        &unused,
        &["migrate-store", "--from", &from, "--to", "mysql://x"],
    );
    assert!(!nonsense.status.success());
    assert!(String::from_utf8_lossy(&nonsense.stderr).contains("is not a store"));
}
