//! On paper and on social media (issue 16): an initiative's short link `/i/{code}` opens
//! its share page (the widgets' detail, Open Graph and Twitter card metadata with its
//! texts escaped, share links without third-party scripts), stays the same across a
//! restart and an export/import, and leads nowhere once the initiative is hidden; the
//! printable poster in A4 and A5 carries the support count at print time.

use std::io::Cursor;

use mekaar_server::export::{self, Scope};
use mekaar_server::{communities, initiatives};
use mekaar_tests::town::Town;
use mekaar_tests::{call, open_store, voter_key, TestServer};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

const TITLE: &str = "Bankjes \"aan\" de <Maas> & meer";

fn jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(320, 200, |x, y| {
        image::Rgb([(x * 255 / 320) as u8, (y * 255 / 200) as u8, 120])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::from(image)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode test image");
    out.into_inner()
}

/// A published initiative made by a moderator, with a summary; its id and public card.
async fn initiative(town: &Town, title: &str, summary: &str) -> (String, Value) {
    let created = call(
        town.http
            .post(town.admin_url("/initiatives"))
            .bearer_auth(&town.token)
            .json(&json!({"title": title, "summary": summary})),
    )
    .await;
    let id = created.expect_status(201)["id"]
        .as_str()
        .expect("id")
        .to_string();
    let card = town.detail(&id).await.expect_ok().clone();
    (id, card)
}

async fn page(town: &Town, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let response = town
        .http
        .get(town.server.at(path))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.expect("body"), headers)
}

fn share_path(card: &Value) -> String {
    card["share_url"]
        .as_str()
        .unwrap_or_else(|| panic!("a short link: {card}"))
        .to_string()
}

#[tokio::test]
async fn a_short_link_opens_the_initiatives_share_page_with_a_proper_preview() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let (id, card) = initiative(&town, TITLE, "Drie <script>alert(1)</script> bankjes").await;
    let path = share_path(&card);
    let code = path.strip_prefix("/i/").expect("/i/{code}");
    assert_eq!(code.len(), 6, "{code}");
    assert!(
        code.bytes()
            .all(|b| b"23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(&b)),
        "easy to type: {code}"
    );
    // The photo goes along as the preview image, by its absolute address.
    call(
        town.http
            .put(town.admin_url(&format!("/initiatives/{id}/photo")))
            .query(&[("alt", "Een bank aan de Maas")])
            .bearer_auth(&town.token)
            .header(CONTENT_TYPE, "image/jpeg")
            .body(jpeg()),
    )
    .await
    .expect_ok();
    let large = town.detail(&id).await.expect_ok()["photo"]["large_url"]
        .as_str()
        .expect("photo")
        .to_string();

    let (status, html, headers) = page(&town, &path).await;
    assert_eq!(status, 200, "{html}");
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-type").starts_with("text/html"));
    let csp = header("content-security-policy");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(header("set-cookie").is_empty());

    let url = town.server.at(&path);
    let escaped = "Bankjes &quot;aan&quot; de &lt;Maas&gt; &amp; meer";
    for tag in [
        format!("<meta property=\"og:title\" content=\"{escaped}\">"),
        format!("<meta name=\"twitter:title\" content=\"{escaped}\">"),
        "<meta property=\"og:description\" content=\"Drie &lt;script&gt;alert(1)&lt;/script&gt; bankjes\">".into(),
        format!("<meta property=\"og:url\" content=\"{url}\">"),
        format!("<meta property=\"og:image\" content=\"{}\">", town.server.at(&large)),
        "<meta property=\"og:image:alt\" content=\"Een bank aan de Maas\">".into(),
        "<meta property=\"og:type\" content=\"article\">".into(),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".into(),
        format!("<title>{escaped} · Community baarlo</title>"),
    ] {
        assert!(html.contains(&tag), "{tag} in {html}");
    }
    // What the initiator wrote stays text everywhere on the page.
    assert!(
        !html.contains("<Maas>") && !html.contains("<script>alert"),
        "{html}"
    );
    // The widgets show the initiative (the meetings placeholder mounts once it exists).
    assert!(html.contains(&format!(
        "data-mekaar=\"initiatives\" data-community=\"baarlo\" data-initiative=\"{id}\""
    )));
    assert!(html.contains(&format!(
        "data-mekaar=\"meetings\" data-community=\"baarlo\" data-initiative=\"{id}\""
    )));
    // Share links are plain links; the only scripts are the server's own files.
    assert!(html.contains("href=\"https://wa.me/?text=Bankjes%20%22aan%22%20de%20%3CMaas%3E"));
    assert!(html.contains("href=\"mailto:?subject=Bankjes%20%22aan%22"));
    assert!(html.contains(&format!("href=\"/poster/baarlo/{id}\"")));
    let scripts: Vec<&str> = html
        .match_indices("<script")
        .map(|(i, _)| &html[i..i + 40])
        .collect();
    assert_eq!(scripts.len(), 2, "{scripts:?}");
    assert!(html.contains("<script async src=\"/embed.js\"></script>"));
    assert!(html.contains("<script defer src=\"/share.js\"></script>"));
    let (status, script, headers) = page(&town, "/share.js").await;
    assert_eq!(status, 200);
    assert!(script.contains("clipboard"));
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));

    // Typed in lower case or with a dash, the code still works.
    let typed = format!("/i/{}-{}", &code[..3].to_lowercase(), &code[3..]);
    assert_eq!(page(&town, &typed).await.0, 200);

    // Without a photo: the small card, no image.
    let (_, plain) = initiative(&town, "Een pluktuin bij de school", "Fruit voor iedereen").await;
    let (status, html, _) = page(&town, &share_path(&plain)).await;
    assert_eq!(status, 200);
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(!html.contains("og:image"), "{html}");
}

#[tokio::test]
async fn unknown_and_hidden_initiatives_get_a_friendly_not_found_page() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    for path in [
        "/i/ZZZZZZ",
        "/i/abc",
        "/i/%3Cscript%3E",
        "/poster/baarlo/nergens",
        "/poster/nergens/x",
    ] {
        let (status, html, headers) = page(&town, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(
            html.contains("Dit initiatief vinden we niet"),
            "{path}: {html}"
        );
        assert!(html.contains("We cannot find this initiative"));
    }
    let (id, card) = initiative(&town, "Een jeu-de-boulesbaan", "Bij het dorpshuis").await;
    let path = share_path(&card);
    assert_eq!(page(&town, &path).await.0, 200);
    town.moderate(&id, "hide").await.expect_ok();
    let (status, html, _) = page(&town, &path).await;
    assert_eq!(status, 404);
    assert!(!html.contains("jeu-de-boules"), "{html}");
    assert_eq!(page(&town, &format!("/poster/baarlo/{id}")).await.0, 404);
    town.moderate(&id, "restore").await.expect_ok();
    assert_eq!(page(&town, &path).await.0, 200);
}

#[tokio::test]
async fn a_short_link_stays_across_a_restart_and_an_export_and_import() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let (id, card) = initiative(&town, "Een wandelroute langs de Maas", "Met bordjes").await;
    let (_, older) = initiative(&town, "Een AED bij de kerk", "Voor iedereen").await;
    let path = share_path(&card);

    let town = town.restart().await;
    assert_eq!(share_path(town.detail(&id).await.expect_ok()), path);
    assert_eq!(page(&town, &path).await.0, 200);

    // An initiative stored before short links: it gets one when the server starts.
    let token = town.server.server_token.clone();
    let Town {
        server,
        slug,
        token: admin,
        http,
    } = town;
    let dir = server.stop().await;
    {
        let store = open_store(dir.path()).await;
        let community = communities::get(&store, "baarlo").unwrap();
        initiatives::update(
            &store,
            &community,
            older["id"].as_str().unwrap(),
            |mut i| {
                i.short_code = None;
                Ok(i)
            },
        )
        .unwrap();
        store.durable().await.unwrap();
        store.close();
    }
    let server = TestServer::builder()
        .data_dir(dir, token.clone())
        .start()
        .await;
    let town = Town {
        server,
        slug,
        token: admin,
        http,
    };
    let given = share_path(town.detail(older["id"].as_str().unwrap()).await.expect_ok());
    assert_ne!(given, share_path(&older));
    assert_eq!(page(&town, &given).await.0, 200);

    // Export and import into a new data directory: the same codes lead to the same pages.
    let Town {
        server,
        slug,
        token: admin,
        http,
    } = town;
    let dir = server.stop().await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("all.jsonl");
    {
        let store = open_store(dir.path()).await;
        let mut out = std::fs::File::create(&file).unwrap();
        export::export(&store, &Scope::All, &mut out).unwrap();
        store.close();
    }
    let restored = tempfile::tempdir().unwrap();
    export::import(restored.path(), &file).unwrap();
    let server = TestServer::builder()
        .data_dir(restored, token)
        .start()
        .await;
    let town = Town {
        server,
        slug,
        token: admin,
        http,
    };
    assert_eq!(share_path(town.detail(&id).await.expect_ok()), path);
    let (status, html, _) = page(&town, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Een wandelroute langs de Maas"));
    assert_eq!(page(&town, &given).await.0, 200);
}

#[tokio::test]
async fn posters_print_the_support_count_in_a4_and_a5() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let (id, card) = initiative(&town, TITLE, "Drie bankjes met uitzicht").await;
    for n in 1..=3 {
        town.support(&id, &voter_key(n)).await.expect_ok();
    }
    let code = share_path(&card).trim_start_matches("/i/").to_string();
    let host = town.server.url.trim_start_matches("http://").to_string();
    for (query, size) in [("", "A4"), ("?size=a4", "A4"), ("?size=A5", "A5")] {
        let (status, html, headers) = page(&town, &format!("/poster/baarlo/{id}{query}")).await;
        assert_eq!(status, 200, "{query}: {html}");
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert!(
            html.contains(&format!("@page {{ size: {size}; margin: 0; }}")),
            "{html}"
        );
        assert!(
            html.contains("<strong>3</strong> <span>buurtgenoten steunen dit</span>"),
            "{html}"
        );
        assert!(html.contains("Steun dit initiatief") && html.contains("Community baarlo"));
        assert!(html.contains(&format!(
            "<span class=\"host\">{host}</span><span class=\"path\">/i/{code}</span>"
        )));
        assert!(
            html.contains("<svg role=\"img\"")
                && html.contains("Bankjes &quot;aan&quot; de &lt;Maas&gt;")
        );
        assert!(!html.contains("<Maas>"));
    }
    // In English on request; a size we do not print is a clear 400.
    let (_, html, _) = page(&town, &format!("/poster/baarlo/{id}?lang=en")).await;
    assert!(html.contains("Support this initiative") && html.contains("neighbours support this"));
    let refused = call(
        town.http
            .get(town.server.at(&format!("/poster/baarlo/{id}?size=a3"))),
    )
    .await;
    assert_eq!(refused.expect_status(400)["error"]["code"], "invalid_field");
}

#[tokio::test]
async fn a_meetings_flyer_says_what_when_and_where_with_the_short_link() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let (id, card) = initiative(&town, TITLE, "Drie bankjes met uitzicht").await;
    // In a month, on the hour (the Dutch wording itself is pinned by share's unit tests).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let starts_at = (now / 3600 + 30 * 24) * 3600;
    let created = call(
        town.http
            .post(town.admin_url(&format!("/initiatives/{id}/meetings")))
            .bearer_auth(&town.token)
            .json(
                &json!({"title": "Samen <plannen> maken", "starts_at": starts_at,
                          "ends_at": starts_at + 5_400, "place": "Dorpshuis De Schakel"}),
            ),
    )
    .await;
    let made: mekaar_api::meetings::Meeting =
        serde_json::from_value(created.expect_status(201).clone()).expect("a meeting");
    let meeting = made.id.clone();
    let (date, time) = mekaar_server::share::meeting_when(&made, "nl");
    assert!(time.contains(" – "), "{time}");
    let code = share_path(&card).trim_start_matches("/i/").to_string();
    for (query, size) in [("", "A4"), ("?size=a5", "A5")] {
        let (status, html, _) = page(&town, &format!("/flyer/baarlo/{meeting}{query}")).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(&format!("@page {{ size: {size}; margin: 0; }}")));
        assert!(
            html.contains("<h1>Samen &lt;plannen&gt; maken</h1>"),
            "{html}"
        );
        assert!(html.contains("Bankjes &quot;aan&quot; de &lt;Maas&gt;"));
        assert!(
            html.contains(&date) && html.contains(&time),
            "{date} {time}: {html}"
        );
        assert!(html.contains("Dorpshuis De Schakel") && html.contains("Kom ook!"));
        assert!(html.contains(&format!("<span class=\"path\">/i/{code}</span>")));
        assert!(!html.contains("Afgelast"));
    }
    // Cancelled: the flyer says so; unknown meetings and hidden initiatives lead nowhere.
    call(
        town.http
            .patch(town.admin_url(&format!("/meetings/{meeting}")))
            .bearer_auth(&town.token)
            .json(&json!({"cancelled": true})),
    )
    .await
    .expect_ok();
    let (_, html, _) = page(&town, &format!("/flyer/baarlo/{meeting}")).await;
    assert!(html.contains("Afgelast"), "{html}");
    assert_eq!(page(&town, "/flyer/baarlo/nergens").await.0, 404);
    town.moderate(&id, "hide").await.expect_ok();
    assert_eq!(
        page(&town, &format!("/flyer/baarlo/{meeting}")).await.0,
        404
    );
}
