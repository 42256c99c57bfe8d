//! On paper and on social media (issue 16), in Chromium: the poster of an initiative,
//! printed to PDF by headless Chromium (`--print-to-pdf`) in A4 and A5, is exactly one
//! page of that size and its QR code decodes to the short link (a meeting's flyer too);
//! the share page `/i/{code}`
//! shows the initiative's detail in the widget, carries its Open Graph data as the
//! browser reads them (the title with quotes and `<` intact, inert) and passes axe-core.
//!
//! NEEDS: as the other browser tests, and `pdfinfo`/`pdftoppm` (poppler-utils) and
//! `zbarimg` (zbar-tools), which `scripts/setup` installs. Run with
//!
//! ```text
//! cargo test -p mekaar-tests --test browser -- share::
//! ```
//!
//! With `MEKAAR_SCREENSHOTS=DIR` the PDFs, their rasterised pages and screenshots of the
//! share page and the poster's screen view (390 px and 1280 px) are also saved in DIR.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use mekaar_tests::town::Town;
use mekaar_tests::{call, voter_key, TestServer};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

use crate::harness::{axe_source, with_browser, AxeFindings, CHROMIUM, CHROMIUM_ARGS, PATIENCE};

/// The longest title and summary the API takes, with quotes and markup: the worst case
/// for a one-page layout and for escaping.
fn long_title() -> String {
    let t = "Bankjes \"aan\" de <Maas> & een pluktuin voor iedereen bij het dorpshuis, met schaduw en een waterpunt voor de fietsers";
    t.chars().take(120).collect()
}

fn long_summary() -> String {
    let s = "Langs de Maasdijk staan geen bankjes. Wie slecht ter been is, komt niet verder dan de kerk. \
             Drie bankjes met uitzicht over de uiterwaarden, een pluktuin en een waterpunt maken de dijk \
             weer van iedereen. Wij zoeken buren die meehelpen met plannen, bouwen en onderhouden, elk seizoen.";
    s.chars().take(280).collect()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (40 + x * 120 / width) as u8,
            (90 + y * 100 / height) as u8,
            70,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::from(image)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

/// A published initiative with the longest texts and a photo; its id and public card.
async fn initiative(town: &Town, photo: bool) -> (String, Value) {
    let created = call(
        town.http
            .post(town.admin_url("/initiatives"))
            .bearer_auth(&town.token)
            .json(&json!({"title": long_title(), "summary": long_summary()})),
    )
    .await;
    let id = created.expect_status(201)["id"]
        .as_str()
        .expect("id")
        .to_string();
    if photo {
        call(
            town.http
                .put(town.admin_url(&format!("/initiatives/{id}/photo")))
                .query(&[("alt", "De Maasdijk bij Baarlo")])
                .bearer_auth(&town.token)
                .header(CONTENT_TYPE, "image/jpeg")
                .body(jpeg(1200, 800)),
        )
        .await
        .expect_ok();
    }
    for n in 1..=7 {
        town.support(&id, &voter_key(n)).await.expect_ok();
    }
    let card = town.detail(&id).await.expect_ok().clone();
    (id, card)
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} ({e}): install poppler-utils and zbar-tools (scripts/setup)")
        });
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Prints `url` to `pdf` with headless Chromium (a fresh profile, the project's flags).
async fn print_to_pdf(url: String, pdf: &Path) {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.push(format!("--print-to-pdf={}", pdf.display()));
    args.push("--no-pdf-header-footer".into());
    args.push(url);
    let printing = tokio::task::spawn_blocking(move || Command::new(CHROMIUM).args(&args).output());
    // A hang guard, not a timing assertion.
    let output = tokio::time::timeout(PATIENCE * 3, printing)
        .await
        .expect("chromium printed within the hang guard")
        .expect("join")
        .expect("chromium runs");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn screenshots() -> Option<String> {
    std::env::var("MEKAAR_SCREENSHOTS").ok()
}

#[tokio::test]
async fn the_poster_prints_on_one_page_and_its_qr_code_leads_to_the_short_link() {
    with_browser(|_browser| async move {
        let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
        let (with_photo, card) = initiative(&town, true).await;
        let (without_photo, plain) = initiative(&town, false).await;
        let work = tempfile::tempdir().expect("work dir");
        for (id, card, photo) in [
            (&with_photo, &card, "photo"),
            (&without_photo, &plain, "text"),
        ] {
            let short = town
                .server
                .at(card["share_url"].as_str().expect("short link"));
            for (size, points) in [("a4", "595.2 x 841.9"), ("a5", "419.5 x 595.2")] {
                let name = format!("poster-{photo}-{size}");
                let pdf = work.path().join(format!("{name}.pdf"));
                print_to_pdf(
                    town.server.at(&format!("/poster/baarlo/{id}?size={size}")),
                    &pdf,
                )
                .await;
                let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
                let pages = info
                    .lines()
                    .find_map(|l| l.strip_prefix("Pages:"))
                    .map(str::trim);
                assert_eq!(pages, Some("1"), "{name}: one page\n{info}");
                let page_size = info
                    .lines()
                    .find_map(|l| l.strip_prefix("Page size:"))
                    .unwrap_or_default();
                // Chromium writes A4 as 595.92 x 842.88 pt, A5 as 419.76 x 595.92: allow the rounding.
                let (w, h) = parse_points(page_size);
                let (ew, eh) = parse_points(points);
                assert!(
                    (w - ew).abs() < 2.0 && (h - eh).abs() < 2.0,
                    "{name}: {page_size}"
                );
                let prefix = work.path().join(&name);
                run(
                    "pdftoppm",
                    &[
                        "-r",
                        "150",
                        "-png",
                        pdf.to_str().unwrap(),
                        prefix.to_str().unwrap(),
                    ],
                );
                let png = work.path().join(format!("{name}-1.png"));
                let decoded = run("zbarimg", &["-q", "--raw", png.to_str().unwrap()]);
                assert_eq!(decoded.trim(), short, "{name}: the QR code");
                if let Some(dir) = screenshots() {
                    std::fs::copy(&pdf, format!("{dir}/{name}.pdf")).expect("copy pdf");
                    std::fs::copy(&png, format!("{dir}/{name}.png")).expect("copy png");
                }
            }
        }
        // A meeting's flyer: one page too, and its QR code leads to the initiative.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        let starts_at = (now / 3600 + 30 * 24) * 3600;
        let meeting = call(
            town.http
                .post(town.admin_url(&format!("/initiatives/{with_photo}/meetings")))
                .bearer_auth(&town.token)
                .json(
                    &json!({"title": "Samen plannen maken voor de bankjes langs de Maasdijk",
                              "starts_at": starts_at, "ends_at": starts_at + 5_400,
                              "place": "Dorpshuis De Schakel, Kerkstraat 4, Baarlo",
                              "description": long_summary()}),
                ),
        )
        .await;
        let meeting = meeting.expect_status(201)["id"]
            .as_str()
            .expect("meeting id")
            .to_string();
        let short = town
            .server
            .at(card["share_url"].as_str().expect("short link"));
        for size in ["a4", "a5"] {
            let name = format!("flyer-{size}");
            let pdf = work.path().join(format!("{name}.pdf"));
            print_to_pdf(
                town.server
                    .at(&format!("/flyer/baarlo/{meeting}?size={size}")),
                &pdf,
            )
            .await;
            let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
            assert!(
                info.lines()
                    .any(|l| l.starts_with("Pages:") && l.ends_with(" 1")),
                "{name}: {info}"
            );
            let prefix = work.path().join(&name);
            run(
                "pdftoppm",
                &[
                    "-r",
                    "150",
                    "-png",
                    pdf.to_str().unwrap(),
                    prefix.to_str().unwrap(),
                ],
            );
            let png = work.path().join(format!("{name}-1.png"));
            if let Some(dir) = screenshots() {
                std::fs::copy(&png, format!("{dir}/{name}.png")).expect("copy png");
            }
            let decoded = run("zbarimg", &["-q", "--raw", png.to_str().unwrap()]);
            assert_eq!(decoded.trim(), short, "{name}: the QR code");
        }
    })
    .await;
}

fn parse_points(text: &str) -> (f64, f64) {
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[tokio::test]
async fn the_share_page_shows_the_initiative_with_its_preview_data_and_passes_axe() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
        let (id, card) = initiative(&town, true).await;
        let short = card["share_url"].as_str().expect("short link").to_string();
        let p = browser.profile().await;
        let mut findings = AxeFindings::default();
        for (width, height) in [(390, 844), (1280, 900)] {
            p.client
                .set_window_size(width, height)
                .await
                .expect("window size");
            p.goto(&town.server.at(&short)).await;
            // The widget opens on this initiative's detail, with its support button.
            let title = p
                .wait_inside(
                    0,
                    "the initiative's detail",
                    "return root && root.getAttribute('data-view') === 'detail' \
                     && root.getAttribute('data-state') === 'ready' && t('h1.mekaar-detail-title');",
                )
                .await;
            assert_eq!(title, json!(long_title()));
            // The browser reads the metadata as written: quotes and `<` are text.
            let meta = p
                .exec(
                    "var m = function (k) { var e = document.querySelector('meta[property=\"' + k + '\"], meta[name=\"' + k + '\"]'); return e ? e.content : null; };\
                     return { title: m('og:title'), image: m('og:image'), url: m('og:url'), card: m('twitter:card'),\
                              scripts: document.scripts.length, injected: document.getElementsByTagName('maas').length + document.querySelectorAll('body script').length };",
                    vec![],
                )
                .await;
            assert_eq!(meta["title"], json!(long_title()), "{meta}");
            assert_eq!(meta["url"], json!(town.server.at(&short)));
            assert!(meta["image"].as_str().unwrap_or_default().starts_with(&town.server.url));
            assert_eq!(meta["card"], "summary_large_image");
            assert_eq!(meta["injected"], 0, "{meta}");
            // The copy button shows (our own script runs under the page's policy).
            let copy = p
                .exec(
                    "var b = document.querySelector('[data-copy]'); return !!b && !b.parentNode.hidden;",
                    vec![],
                )
                .await;
            assert_eq!(copy, json!(true));
            findings
                .check(&p, &axe, &format!("share page at {width} px"))
                .await;
            if let Some(dir) = screenshots() {
                let png = p.client.screenshot().await.expect("screenshot");
                std::fs::write(format!("{dir}/share-{width}.png"), png).expect("write");
                p.exec("document.querySelector('.share').scrollIntoView();", vec![])
                    .await;
                let png = p.client.screenshot().await.expect("screenshot");
                std::fs::write(format!("{dir}/share-links-{width}.png"), png).expect("write");
            }
            p.goto(&town.server.at(&format!("/poster/baarlo/{id}"))).await;
            let print = p
                .exec(
                    "var b = document.querySelector('[data-print]'); return !!b && !b.hidden && b.textContent;",
                    vec![],
                )
                .await;
            assert_eq!(print, json!("Afdrukken"));
            findings
                .check(&p, &axe, &format!("poster screen view at {width} px"))
                .await;
            if let Some(dir) = screenshots() {
                let png = p.client.screenshot().await.expect("screenshot");
                std::fs::write(format!("{dir}/poster-screen-{width}.png"), png).expect("write");
            }
        }
        findings.assert_clean();
    })
    .await;
}
