//! The server on the open internet: what one client must not be able to do to
//! it (hold it with connections, feed it endless bodies, guess its codes), and
//! the edges an attacker finds (Host headers, forwarded addresses, formulas in
//! CSV files, webhooks into our own network).

use std::net::SocketAddr;
use std::time::Duration;

use mekaar_server::abuse::Limits;
use mekaar_server::connections::ConnectionLimits;
use mekaar_tests::{call, eventually, TestServer, Town};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Longest any step here may take: a server that holds a connection forever
/// fails the test instead of hanging it.
const HANG_GUARD: Duration = Duration::from_secs(30);

fn addr(server: &TestServer) -> SocketAddr {
    server
        .url
        .trim_start_matches("http://")
        .parse()
        .expect("a socket address")
}

/// A connection to `server` from the loopback address `from` (127.0.0.0/8
/// holds many: each stands for another network).
async fn connect_from(server: &TestServer, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{from}:0").parse().expect("an address"))
        .expect("bind");
    socket.connect(addr(server)).await.expect("connect")
}

/// Everything the server sends until it closes the connection (an error
/// such as a reset counts as the end).
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    let read = tokio::time::timeout(HANG_GUARD, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server held the connection open");
    answer
}

/// The status and the JSON body of a raw HTTP answer.
fn parse_answer(answer: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer in {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let body = serde_json::from_str(body).unwrap_or_else(|_| panic!("no JSON body in {text:?}"));
    (status, body)
}

async fn raw(server: &TestServer, request: &[u8]) -> (u16, Value) {
    let mut stream = connect_from(server, "127.0.0.1").await;
    // The server may answer and close before it read everything we send.
    let _ = stream.write_all(request).await;
    parse_answer(&read_until_closed(&mut stream).await)
}

fn quick_timeouts() -> ConnectionLimits {
    ConnectionLimits {
        head_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..Default::default()
    }
}

async fn metrics(server: &TestServer) -> Value {
    call(
        server
            .client
            .get(server.at("/api/v1/admin/metrics"))
            .bearer_auth(&server.server_token),
    )
    .await
    .expect_ok()
    .clone()
}

// ---------------------------------------------------------------- bodies

#[tokio::test]
async fn cleartext_http2_with_a_streamed_body_is_not_served() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let stream = connect_from(&town.server, "127.0.0.1").await;
    // A real HTTP/2 client with prior knowledge, sending a body of 64 MiB
    // that has no length (HTTP/2 needs none): the server must neither answer
    // it nor read it into memory.
    let handshake = tokio::time::timeout(
        HANG_GUARD,
        hyper::client::conn::http2::handshake(
            hyper_util::rt::TokioExecutor::new(),
            hyper_util::rt::TokioIo::new(stream),
        ),
    )
    .await
    .expect("the handshake ends");
    if let Ok((mut sender, connection)) = handshake {
        tokio::spawn(connection);
        let chunks = futures_util::stream::iter((0..64).map(|_| {
            Ok::<_, std::io::Error>(hyper::body::Frame::data(bytes::Bytes::from(vec![
                0u8;
                1 << 20
            ])))
        }));
        let request = hyper::Request::get(town.url(""))
            .body(http_body_util::StreamBody::new(chunks))
            .expect("a request");
        let answer = tokio::time::timeout(HANG_GUARD, sender.send_request(request))
            .await
            .expect("the request ends");
        assert!(answer.is_err(), "an HTTP/2 request was served: {answer:?}");
    }
    // Everybody else is still served.
    call(town.http.get(town.url(""))).await.expect_ok();
}

#[tokio::test]
async fn bodies_are_refused_by_the_bytes_that_arrive_whatever_the_framing() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    // A chunked body carries no length: it gets 413 once 64 KiB arrived, and
    // the server stops reading (a megabyte more waits unread).
    let mut stream = connect_from(&town.server, "127.0.0.1").await;
    let head = format!(
        "POST /api/v1/communities/baarlo/initiatives HTTP/1.1\r\nHost: {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        addr(&town.server)
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, " ".repeat(16 * 1024));
    let mut sent = 0;
    for _ in 0..64 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
        sent += 1;
    }
    // No end chunk: whatever the server still waits for, it will not come.
    let _ = stream.shutdown().await;
    let (status, body) = parse_answer(&read_until_closed(&mut stream).await);
    assert_eq!(status, 413, "{body} after {sent} chunks");
    assert_eq!(body["error"]["code"], "body_too_large");

    // A small chunked body is read like any other.
    let submit = json!({"title": "Een AED bij de kerk", "summary": "Voor het hele dorp.", "initiator_name": "Anja"}).to_string();
    let request = format!(
        "POST /api/v1/communities/baarlo/initiatives HTTP/1.1\r\nHost: {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{submit}\r\n0\r\n\r\n",
        addr(&town.server),
        submit.len()
    );
    let (status, body) = raw(&town.server, request.as_bytes()).await;
    assert_eq!(status, 201, "{body}");

    // A Content-Length above the limit is refused before anything is read.
    let request = format!(
        "POST /api/v1/communities/baarlo/initiatives HTTP/1.1\r\nHost: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{{",
        addr(&town.server)
    );
    let (status, body) = raw(&town.server, request.as_bytes()).await;
    assert_eq!(status, 413, "{body}");
}

// ------------------------------------------------------------ connections

#[tokio::test]
async fn idle_slow_and_kept_alive_connections_are_let_go() {
    let server = TestServer::builder()
        .connections(quick_timeouts())
        .start()
        .await;
    let host = addr(&server);

    // A connection that says nothing is closed (no answer: nothing was asked).
    let mut idle = connect_from(&server, "127.0.0.1").await;
    assert!(read_until_closed(&mut idle).await.is_empty());

    // Headers that never end: closed too.
    let mut dripping = connect_from(&server, "127.0.0.1").await;
    dripping
        .write_all(format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nX-Slow: a").as_bytes())
        .await
        .expect("write");
    let answer = read_until_closed(&mut dripping).await;
    assert!(!answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");

    // A body that stops halfway: 408 with the JSON error.
    let mut half = connect_from(&server, "127.0.0.1").await;
    half.write_all(
        format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
             Content-Length: 100\r\n\r\n{{\"tok"
        )
        .as_bytes(),
    )
    .await
    .expect("write");
    let (status, body) = parse_answer(&read_until_closed(&mut half).await);
    assert_eq!(status, 408, "{body}");
    assert_eq!(body["error"]["code"], "request_timeout");

    // A kept-alive connection is answered, then let go once idle.
    let mut kept = connect_from(&server, "127.0.0.1").await;
    kept.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let answer = read_until_closed(&mut kept).await;
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");

    let counts = metrics(&server).await;
    assert!(counts["head_timeouts"].as_u64().unwrap() >= 2, "{counts}");
    assert!(counts["body_timeouts"].as_u64().unwrap() >= 1, "{counts}");
}

#[tokio::test]
async fn one_network_at_its_limit_does_not_keep_others_out() {
    let server = TestServer::builder()
        .connections(ConnectionLimits {
            per_network: 5,
            ..Default::default()
        })
        .start()
        .await;
    let host = addr(&server);
    // 127.0.0.2 holds its five connections...
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect_from(&server, "127.0.0.2").await);
    }
    // ...so a sixth from there is refused at once, with the JSON error...
    let mut sixth = connect_from(&server, "127.0.0.2").await;
    let (status, body) = parse_answer(&read_until_closed(&mut sixth).await);
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "too_many_connections");
    // ...while another network is served.
    let (status, _) = raw(
        &server,
        format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    // A place given back can be used again.
    drop(held.pop());
    eventually("the network's place is free again", || async {
        let mut stream = connect_from(&server, "127.0.0.2").await;
        let _ = stream
            .write_all(
                format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await;
        read_until_closed(&mut stream)
            .await
            .starts_with(b"HTTP/1.1 200")
            .then_some(())
    })
    .await;
    let counts = metrics(&server).await;
    assert!(
        counts["refused_network_full"].as_u64().unwrap() >= 1,
        "{counts}"
    );
}

#[tokio::test]
async fn requests_that_are_not_http_get_the_json_error_too() {
    let server = TestServer::start().await;
    let host = addr(&server);
    let (status, body) = raw(&server, b"GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("malformed_request"))
    );

    let long = format!(
        "GET /healthz?{} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "a".repeat(9000)
    );
    let (status, body) = raw(&server, long.as_bytes()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (414, Some("uri_too_long"))
    );

    let many: String = (0..120).map(|i| format!("X-{i}: 1\r\n")).collect();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n{many}\r\n");
    let (status, body) = raw(&server, request.as_bytes()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (431, Some("headers_too_large"))
    );

    // Larger than hyper itself reads: its own answer, in our shape.
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: {host}\r\nX: {}\r\n\r\n",
        "a".repeat(600_000)
    );
    let (status, body) = raw(&server, huge.as_bytes()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (431, Some("headers_too_large"))
    );
}

#[tokio::test]
async fn a_body_cut_short_is_counted_not_shouted() {
    let server = TestServer::start().await;
    let host = addr(&server);
    let before = metrics(&server).await["aborted_bodies"].as_u64().unwrap();
    for _ in 0..3 {
        let mut stream = connect_from(&server, "127.0.0.1").await;
        stream
            .write_all(
                format!(
                    "POST /api/v1/session HTTP/1.1\r\nHost: {host}\r\n\
                     Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
                )
                .as_bytes(),
            )
            .await
            .expect("write");
        drop(stream);
    }
    eventually("the cut bodies are counted", || async {
        (metrics(&server).await["aborted_bodies"].as_u64().unwrap() >= before + 3).then_some(())
    })
    .await;
}

// ------------------------------------------------------------------ data

#[tokio::test]
async fn csv_cells_never_run_as_formulas() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    town.patch_community(&json!({"moderation": "post"})).await;
    town.submit_ok(&json!({
        "title": "=HYPERLINK(\"http://evil.example\",\"Klik\")",
        "summary": "+31 6 1234 5678",
        "initiator_name": "@Anja",
    }))
    .await;
    let poll = town
        .open_poll(json!({"question": "@SUM(1+1)?", "options": ["-1", "=1+1"]}))
        .await;
    town.poll_action(&poll, json!({"action": "close"}))
        .await
        .expect_ok();

    let csv = town.get_text(&town.url("/open-data/initiatives.csv")).await;
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let row = reader.records().next().expect("a row").expect("a record");
    let cell = |name: &str| {
        row.get(headers.iter().position(|h| h == name).unwrap())
            .unwrap()
            .to_string()
    };
    assert_eq!(
        cell("title"),
        "'=HYPERLINK(\"http://evil.example\",\"Klik\")"
    );
    assert_eq!(cell("summary"), "'+31 6 1234 5678");

    let csv = town
        .get_text(&town.url("/open-data/poll-results.csv"))
        .await;
    assert!(csv.text.contains("'@SUM(1+1)?"), "{}", csv.text);
    assert!(
        csv.text.contains(",'-1,") && csv.text.contains(",'=1+1,"),
        "{}",
        csv.text
    );
}

#[tokio::test]
async fn a_polls_network_cap_outlives_a_restart() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let poll = town
        .open_poll(json!({
            "question": "Kermis op het plein?",
            "options": ["ja", "nee"],
            "audience": {"kind": "open", "max_keys_per_network": 2},
        }))
        .await;
    for voter in ["a".repeat(32), "b".repeat(32)] {
        town.vote(&poll, &voter, json!([0])).await.expect_ok();
    }
    let town = town.restart().await;
    town.vote(&poll, &"c".repeat(32), json!([1]))
        .await
        .expect_error(429, "network_cap");
}

#[tokio::test]
async fn webhooks_cannot_reach_the_servers_own_network() {
    let receiver = mekaar_tests::webhook_receiver::Receiver::start().await;
    let open = TestServer::start().await;
    let town = Town::start(open, "baarlo", &[]).await;
    // Made while private addresses were allowed (a development server)...
    let literal = town.add_hook(&receiver.url(), &["submitted"]).await;
    let by_name = town
        .add_hook(
            &receiver.url().replace("127.0.0.1", "localhost"),
            &["submitted"],
        )
        .await;
    let Town {
        server,
        http,
        slug,
        token,
    } = town;
    let server_token = server.server_token.clone();
    let dir = server.stop().await;
    // ...then the same data on a server that allows only public destinations.
    let server = TestServer::builder()
        .data_dir(dir, server_token)
        .public_webhooks_only()
        .start()
        .await;
    let town = Town {
        server,
        http,
        slug,
        token,
    };
    for url in [
        "http://127.0.0.1:9/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/hook",
        "http://192.168.1.10/hook",
        "http://localhost:8080/hook",
        "http://2130706433/",
    ] {
        call(
            town.http
                .post(town.admin_url("/webhooks"))
                .bearer_auth(&town.token)
                .json(&json!({"url": url, "events": ["submitted"]})),
        )
        .await
        .expect_invalid("url");
    }
    town.submit_ok(&json!({"title": "Een bankje bij de vijver", "summary": "Om uit te rusten.", "initiator_name": "Piet"}))
        .await;
    eventually("both deliveries were refused", || async {
        let deliveries = town.deliveries().await;
        [&literal.id, &by_name.id]
            .iter()
            .all(|hook| {
                deliveries.iter().any(|d| {
                    d["webhook_id"] == json!(hook)
                        && d["error"].as_str().is_some_and(|e| e.contains("private"))
                })
            })
            .then_some(())
    })
    .await;
    assert_eq!(
        receiver.received().len(),
        0,
        "a delivery reached the own network"
    );
}

// ------------------------------------------------------------ guesses

#[tokio::test]
async fn the_right_token_gets_in_after_many_wrong_ones() {
    let server = TestServer::builder()
        .limits(Limits {
            sign_in_failures: 3,
            ..Default::default()
        })
        .start()
        .await;
    let town = Town::start(server, "baarlo", &[]).await;
    let sign_in = |token: &str| {
        town.http
            .post(town.server.at("/api/v1/session"))
            .json(&json!({"token": token}))
    };
    for _ in 0..3 {
        call(sign_in(&format!("mk_{}", "0".repeat(64))))
            .await
            .expect_error(401, "unauthorized");
    }
    call(sign_in(&format!("mk_{}", "0".repeat(64))))
        .await
        .expect_error(429, "rate_limited");
    call(sign_in(&town.token)).await.expect_status(201);
    // Bearer tokens alike.
    let audit = |token: &str| {
        town.http
            .get(town.admin_url("/audit"))
            .bearer_auth(token.to_string())
    };
    call(audit("wrong")).await.expect_error(429, "rate_limited");
    call(audit(&town.token)).await.expect_ok();
}

#[tokio::test]
async fn vote_codes_and_join_codes_cannot_be_guessed_quickly() {
    let server = TestServer::builder()
        .limits(Limits {
            vote_code_failures: 3,
            join_code_failures: 3,
            ..Default::default()
        })
        .start()
        .await;
    let town = Town::start(server, "baarlo", &[]).await;
    let poll = town
        .open_poll(json!({"question": "Binding?", "options": ["ja", "nee"], "audience": {"kind": "codes"}}))
        .await;
    let codes = town.vote_codes(&poll, 1, None).await.expect_status(201)["codes"].clone();
    let code = codes[0].as_str().unwrap().to_string();
    for _ in 0..3 {
        town.vote_with_code(&poll, "ZZZZZZZZZZ", json!([0]))
            .await
            .expect_error(403, "invalid_vote_code");
    }
    // The budget is spent: even the right code waits, so guessing gains nothing.
    town.vote_with_code(&poll, &code, json!([0]))
        .await
        .expect_error(429, "rate_limited");

    // Join codes: a draft's code is as unknown as one that leads nowhere, and
    // its 404 does not name the poll.
    let draft = town
        .draft_poll(json!({"question": "Nog geheim?", "options": ["ja", "nee"]}))
        .await;
    let join_code = town.poll_admin_view(&draft).await.poll.join_code;
    let lookup = |code: &str| {
        town.http
            .get(town.server.at(&format!("/api/v1/polls/join/{code}")))
    };
    let answer = call(lookup(&join_code)).await;
    answer.expect_error(404, "poll_not_found");
    assert!(!answer.text.contains(&draft), "{}", answer.text);
    call(lookup("ZZZZZ"))
        .await
        .expect_error(404, "poll_not_found");
    call(lookup("YYYYY"))
        .await
        .expect_error(404, "poll_not_found");
    town.poll_action(&draft, json!({"action": "open"}))
        .await
        .expect_ok();
    call(lookup(&join_code))
        .await
        .expect_error(429, "rate_limited");
}

// ------------------------------------------------------------ small edges

#[tokio::test]
async fn the_host_header_does_not_make_a_site_our_own() {
    let town = Town::start(
        TestServer::start().await,
        "baarlo",
        &["https://www.baarlo.nl"],
    )
    .await;
    let mine = town
        .submit_ok(&json!({"title": "Een AED bij de kerk", "summary": "Voor iedereen.", "initiator_name": "Anja"}))
        .await;
    town.moderate(&mine.id, "approve").await;
    let answer = call(
        town.http
            .put(town.initiative_url(&mine.id, "/support"))
            .header("origin", "https://evil.example")
            .header("host", "evil.example")
            .header(mekaar_tests::VOTER_HEADER, "e".repeat(32)),
    )
    .await;
    answer.expect_error(403, "origin_not_allowed");
    let detail = town.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["support_count"], 0);
}

#[tokio::test]
async fn a_direct_client_cannot_name_another_address() {
    // The proxies are on 10.0.0.0/8; this test connects from 127.0.0.1.
    let server = TestServer::builder()
        .limits(Limits {
            submits_per_hour: 1,
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..Default::default()
        })
        .start()
        .await;
    let town = Town::start(server, "baarlo", &[]).await;
    let submit = |forwarded: &str, title: &str| {
        town.http
            .post(town.url("/initiatives"))
            .header("x-forwarded-for", forwarded)
            .json(
                &json!({"title": title, "summary": "Samen iets moois.", "initiator_name": "Anja"}),
            )
    };
    call(submit("198.51.100.1", "Eerste idee"))
        .await
        .expect_status(201);
    call(submit("198.51.100.2", "Tweede idee"))
        .await
        .expect_error(429, "rate_limited");
}

#[tokio::test]
async fn bodies_must_be_json_objects_and_texts_plain() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let tokens = || {
        town.http
            .post(town.admin_url("/tokens"))
            .bearer_auth(&town.token)
    };
    // No role, no token: an empty body makes nothing.
    call(tokens().header("content-type", "application/json"))
        .await
        .expect_error(400, "malformed_json");
    call(
        tokens()
            .header("content-type", "application/json")
            .body(r#"["admin"]"#),
    )
    .await
    .expect_error(400, "invalid_field");
    call(
        tokens()
            .header("content-type", "application/jsonx")
            .body(r#"{"role":"admin"}"#),
    )
    .await
    .expect_error(415, "unsupported_media_type");
    call(tokens().json(&json!({"role": "moderator"})))
        .await
        .expect_status(201);
    let listed = call(
        town.http
            .get(town.admin_url("/tokens"))
            .bearer_auth(&town.token),
    )
    .await;
    assert_eq!(
        listed.expect_ok()["tokens"].as_array().unwrap().len(),
        2,
        "only the admin's and the moderator's"
    );

    town.submit(&json!({"title": "Kermis \u{202E}netsoK", "summary": "Gezellig.", "initiator_name": "Anja"}))
        .await
        .expect_invalid("title");
    town.submit(
        &json!({"title": "Baar\u{200B}lo", "summary": "Gezellig.", "initiator_name": "Anja"}),
    )
    .await
    .expect_invalid("title");
}
