//! Browser tests of the overlay page `/overlay/{poll}` for broadcast software (issue 14,
//! "broadcast grade"): at 1280×720 and 1920×1080, in each layout (`full`, `lower-third`,
//! `side`) and both themes, a poll with 10 long options fits the picture, open and closed;
//! the type grows for fewer options; the call to vote (QR code and link) shows only while
//! voting is possible; the poll's assurance is on screen; axe-core is clean in both
//! themes.
//!
//! NEEDS: as the other browser tests (chromium, chromedriver, `npm ci --prefix tests`,
//! `pkg/` built). Run with
//!
//! ```text
//! cargo test -p mekaar-tests --test browser -- overlay::
//! ```
//!
//! With `MEKAAR_SCREENSHOTS=DIR` every state checked is also saved as a PNG in DIR, to
//! look at.

use std::time::Duration;

use crate::harness::{axe_source, with_browser, AxeFindings, Profile, PATIENCE};
use crate::polls::{id, wait_phase, world, World};
use serde_json::{json, Value};

const SIZES: [(u32, u32); 2] = [(1280, 720), (1920, 1080)];
const LAYOUTS: [&str; 3] = ["full", "lower-third", "side"];
const THEMES: [&str; 2] = ["light", "dark"];

/// Every element of the page and of the widget's shadow root that has a box, with its
/// rectangle, and those that are not wholly inside the viewport. Also the widget's font
/// size and whether the call to vote (the slotted QR code) and the assurance show.
const MEASURE: &str = r#"
var W = window.innerWidth, H = window.innerHeight, out = [], seen = 0;
function walk(node) {
  var all = node.querySelectorAll('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    if (el.shadowRoot) walk(el.shadowRoot);
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (['HTML', 'HEAD', 'BODY', 'SCRIPT', 'STYLE', 'TITLE', 'META'].indexOf(el.tagName) >= 0) continue;
    if (el.classList.contains('visually-hidden') || el.classList.contains('mekaar-sr')) continue;
    seen++;
    if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) {
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' [' + Math.round(r.left) + ',' +
        Math.round(r.top) + ' → ' + Math.round(r.right) + ',' + Math.round(r.bottom) + ']');
    }
  }
}
walk(document);
var img = host.querySelector('.join img');
return { viewport: [W, H], seen: seen, outside: out,
  font: root ? parseFloat(getComputedStyle(root).fontSize) : null,
  qr: !!img && img.getClientRects().length > 0 && img.complete && img.naturalWidth > 0,
  sure: t('.mekaar-assurance'), when: t('.mekaar-when'), rows: qa('.mekaar-result').length };
"#;

/// 100 characters: the longest option the API takes.
fn long_option(i: usize) -> String {
    let o = format!("Voorstel {i:>2}: meer bankjes, bomen en schaduw rond de oude waterpomp bij de kerk en de zaterdagsmarkt.");
    assert_eq!(o.chars().count(), 100, "{o}");
    o
}

/// A profile whose viewport is `w`×`h` CSS px.
async fn screen(browser: &crate::harness::Browser, (w, h): (u32, u32)) -> Profile {
    let p = browser
        .profile_with(&[&format!("--window-size={w},{h}")])
        .await;
    // Headless windows have no browser chrome, but make sure of the inner size.
    let inner = p
        .exec("return [window.innerWidth, window.innerHeight];", vec![])
        .await;
    if inner != json!([w, h]) {
        let dw = w as i64 - inner[0].as_i64().unwrap_or(w as i64);
        let dh = h as i64 - inner[1].as_i64().unwrap_or(h as i64);
        p.client
            .set_window_size((w as i64 + dw) as u32, (h as i64 + dh) as u32)
            .await
            .expect("window size");
    }
    p
}

/// Saves a screenshot as `name.png` in `MEKAAR_SCREENSHOTS`, if set.
pub(crate) async fn save(p: &Profile, name: &str) {
    let Ok(dir) = std::env::var("MEKAAR_SCREENSHOTS") else {
        return;
    };
    // The bars grow with a transition: let it end.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let png = p.client.screenshot().await.expect("screenshot");
    std::fs::write(format!("{dir}/{name}.png"), png).expect("write screenshot");
}

/// Opens the overlay of `poll` and waits for `phase`; then measures.
async fn measure(p: &Profile, w: &World, poll: &str, query: &str, phase: &str) -> Value {
    p.goto(&w.api.at(&format!("/overlay/{poll}?{query}"))).await;
    wait_phase(p, 0, phase).await;
    // The QR code is an image: wait until it is there (or surely not shown).
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let m = p.inside(0, MEASURE).await;
        if m["qr"] == json!(true) || phase != "open" || std::time::Instant::now() > deadline {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overlay_fits_the_picture_with_ten_long_options_open_and_closed() {
    with_browser(|browser| async move {
        let w = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let options: Vec<String> = (1..=10).map(long_option).collect();
        let refs: Vec<&str> = options.iter().map(String::as_str).collect();
        let question = "Welke van deze tien voorstellen voor het nieuwe dorpsplein vindt u het \
                        allerbelangrijkste voor de komende jaren, nu de gemeente geld heeft vrijgemaakt \
                        voor het opknappen van het plein?";
        let ten = id(&w.poll(question, &refs, json!({}), false).await);
        let two = id(&w.poll("Moet de kermis blijven?", &["Ja", "Nee"], json!({}), false).await);
        for (i, choice) in [0u8, 3, 3, 9, 5, 3, 1].iter().enumerate() {
            assert_eq!(w.vote(&ten, 100 + i as u64, &[*choice]).await, 200);
        }
        assert_eq!(w.vote(&two, 1, &[0]).await, 200);

        let mut problems = Vec::new();
        for phase in ["open", "closed"] {
            if phase == "closed" {
                w.action(&ten, json!({ "action": "close" })).await;
                w.action(&two, json!({ "action": "close" })).await;
            }
            for size in SIZES {
                let p = screen(&browser, size).await;
                for layout in LAYOUTS {
                    for theme in THEMES {
                        let query = format!("layout={layout}&theme={theme}");
                        let name = format!("{}x{}-{layout}-{theme}-{phase}", size.0, size.1);
                        let m = measure(&p, &w, &ten, &query, phase).await;
                        save(&p, &format!("ten-{name}")).await;
                        println!("{name}: font {}px, {} boxes, qr {}", m["font"], m["seen"], m["qr"]);
                        assert_eq!(m["viewport"], json!([size.0, size.1]), "{name}");
                        assert_eq!(m["rows"], json!(10), "{name}: {m}");
                        if m["outside"] != json!([]) {
                            problems.push(format!("{name}: outside the picture: {}", m["outside"]));
                        }
                        // Readable on a TV, even with 10 options of 100 characters: at
                        // least 2% of the picture's height (14.4 px at 720p).
                        let font = m["font"].as_f64().unwrap_or(0.0);
                        if font < size.1 as f64 * 0.02 {
                            problems.push(format!("{name}: type of {font}px is too small"));
                        }
                        // The call to vote only while voting is possible.
                        assert_eq!(m["qr"], json!(phase == "open"), "{name}: QR code {m}");
                        assert_eq!(
                            m["sure"],
                            json!("Open peiling: één stem per apparaat per website."),
                            "{name}"
                        );
                        if phase == "closed" {
                            assert_eq!(m["when"], json!("Deze peiling is gesloten."), "{name}");
                        }
                        // Fewer options: larger type, and it fits as well.
                        let few = measure(&p, &w, &two, &query, phase).await;
                        save(&p, &format!("two-{name}")).await;
                        if few["outside"] != json!([]) {
                            problems.push(format!("{name}, 2 options: outside: {}", few["outside"]));
                        }
                        let big = few["font"].as_f64().unwrap_or(0.0);
                        if big <= font {
                            problems.push(format!("{name}: 2 options at {big}px, 10 at {font}px"));
                        }
                    }
                }
                if size == (1280, 720) {
                    for theme in THEMES {
                        measure(&p, &w, &ten, &format!("theme={theme}"), phase).await;
                        findings
                            .check(&p, &axe, &format!("overlay, {theme}, {phase}, 10 options"))
                            .await;
                    }
                }
            }
        }
        assert!(problems.is_empty(), "the overlay does not fit:\n{}", problems.join("\n"));
        findings.assert_clean();
    })
    .await;
}

/// `?layout=` takes full, lower-third and side only: anything else is a 400 with the
/// field named, not a page laid out by chance.
#[tokio::test]
async fn an_unknown_overlay_layout_is_a_400() {
    let w = world().await;
    let poll = id(&w
        .poll("Moet de kermis blijven?", &["Ja", "Nee"], json!({}), false)
        .await);
    let bad = reqwest::get(w.api.at(&format!("/overlay/{poll}?layout=corner")))
        .await
        .expect("overlay");
    assert_eq!(bad.status().as_u16(), 400);
    let body: Value = bad.json().await.expect("JSON error");
    assert_eq!(body["error"]["code"], json!("invalid_field"), "{body}");
    let good = reqwest::get(w.api.at(&format!("/overlay/{poll}?layout=lower-third")))
        .await
        .expect("overlay");
    assert_eq!(good.status().as_u16(), 200);
    let page = good.text().await.expect("page");
    assert!(page.contains("data-layout=\"lower-third\""), "{page}");
}
