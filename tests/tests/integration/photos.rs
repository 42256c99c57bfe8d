//! Photos of initiatives (issue 14) over HTTP against the real server: the initiator
//! or a moderator uploads one (the body is the image, `?alt=` its alt text); the server
//! keeps only its own re-encoded JPEGs (≤ 1600 and ≤ 640 px, no metadata: a phone
//! photo's GPS position never reaches the public); pre-moderation holds a new photo
//! back until approval; moderators remove just the photo; bad uploads get a clear 4xx
//! and leave nothing behind.
//!
//! The test images are made here with the `image` crate, not committed.

use std::io::Cursor;

use mekaar_tests::{call, open_store, Answer, Mine, TestServer, Town};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

const MANAGE: &str = mekaar_api::MANAGE_HEADER;

/// A sentence that stands for the GPS position and camera details a phone writes
/// into its photos' EXIF block; it must never be served.
const SECRET: &str = "GPS 51.39210N 6.13370E Kloosterstraat 12";

async fn town(moderation: &str) -> Town {
    let (town, _) = Town::create(
        TestServer::start().await,
        &json!({"slug": "baarlo", "name": "Baarlo", "moderation": moderation}),
    )
    .await;
    town
}

fn submission(title: &str) -> Value {
    json!({
        "title": title,
        "summary": "Samen iets moois maken.",
        "initiator_name": "Anja",
    })
}

// ------------------------------------------------------------ test images

fn pixels(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 120])
    })
}

fn encode(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(pixels(width, height).into(), image::ImageFormat::Jpeg)
}

/// An EXIF block as a phone writes it (little-endian TIFF): the orientation
/// "turn 90° clockwise", a description holding [`SECRET`] and a GPS directory
/// with latitude 51° 23' 31.58" N.
fn exif_block() -> Vec<u8> {
    let mut description = SECRET.as_bytes().to_vec();
    description.push(0);
    if description.len() % 2 == 1 {
        description.push(0);
    }
    let ifd0_at = 8u32;
    let ifd0_len = 2 + 3 * 12 + 4;
    let description_at = ifd0_at + ifd0_len;
    let gps_at = description_at + description.len() as u32;
    let gps_len = 2 + 2 * 12 + 4;
    let rationals_at = gps_at + gps_len;

    let mut t = Vec::new();
    t.extend_from_slice(b"II");
    t.extend_from_slice(&42u16.to_le_bytes());
    t.extend_from_slice(&ifd0_at.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0, tags in ascending order.
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(
        &mut t,
        0x010E,
        2,
        SECRET.len() as u32 + 1,
        description_at.to_le_bytes(),
    );
    entry(&mut t, 0x0112, 3, 1, [6, 0, 0, 0]);
    entry(&mut t, 0x8825, 4, 1, gps_at.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&description);
    // The GPS directory.
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, [b'N', 0, 0, 0]);
    entry(&mut t, 0x0002, 5, 3, rationals_at.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(51u32, 1u32), (23, 1), (3158, 100)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    assert_eq!(t.len() as u32, rationals_at + 24);

    let mut segment = vec![0xFF, 0xE1];
    let length = (2 + 6 + t.len()) as u16;
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&t);
    segment
}

/// A landscape JPEG of `width` × `height` with [`exif_block`] right after its
/// start marker: a phone photo taken upright, stored sideways.
fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    let mut photo = plain[..2].to_vec();
    photo.extend(exif_block());
    photo.extend_from_slice(&plain[2..]);
    photo
}

/// The markers of a JPEG's segments before its first scan (APP1 is 0xE1).
fn segment_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
    let mut markers = Vec::new();
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        i += 2 + usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A PNG chunk: length, type, data, CRC-32 of type and data.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc.sum().to_be_bytes());
    chunk
}

/// A valid-looking PNG of 227 bytes that declares 30,000 × 30,000 pixels (2.7 GB
/// decoded): a decompression bomb's header.
fn png_bomb() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut zlib, &[0u8; 90_001]).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IDAT", &zlib.finish().unwrap()));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// A real small JPEG whose frame header says 10,000 × 10,000 (100 megapixels).
fn jpeg_claiming_100_megapixels() -> Vec<u8> {
    let mut bytes = jpeg(64, 48);
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    // FF C0, length (2), precision (1), height (2), width (2).
    bytes[sof + 5..sof + 7].copy_from_slice(&10_000u16.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&10_000u16.to_be_bytes());
    bytes
}

// ------------------------------------------------------------ calls

async fn upload(town: &Town, mine: &Mine, content_type: &str, body: Vec<u8>, alt: &str) -> Answer {
    call(
        town.http
            .put(town.initiative_url(&mine.id, "/photo"))
            .query(&[("alt", alt)])
            .header(MANAGE, &mine.token)
            .header(CONTENT_TYPE, content_type)
            .body(body),
    )
    .await
}

async fn admin_upload(
    town: &Town,
    id: &str,
    content_type: &str,
    body: Vec<u8>,
    alt: &str,
) -> Answer {
    call(
        town.http
            .put(town.admin_url(&format!("/initiatives/{id}/photo")))
            .query(&[("alt", alt)])
            .bearer_auth(&town.token)
            .header(CONTENT_TYPE, content_type)
            .body(body),
    )
    .await
}

/// `PUT …/photo` declaring 8 MiB + 1 bytes, over a raw connection: the status and
/// the JSON body of the answer.
async fn too_large_upload(town: &Town, mine: &Mine) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = town.server.url.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&host)
        .await
        .expect("connect");
    let head = format!(
        "PUT /api/v1/communities/{}/initiatives/{}/photo?alt=x HTTP/1.1\r\nHost: {host}\r\n\
         {MANAGE}: {}\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        town.slug,
        mine.id,
        mine.token,
        8 * 1024 * 1024 + 1
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&jpeg(64, 64)).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server held the connection open");
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A served rendition: its status, headers and bytes.
async fn fetch(town: &Town, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = town
        .http
        .get(town.server.at(path))
        .send()
        .await
        .expect("photo answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn size_of(jpeg: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .expect("a rendition decodes");
    (image.width(), image.height())
}

/// The photo the public detail shows, or null.
async fn public_photo(town: &Town, id: &str) -> Value {
    town.detail(id).await.expect_ok()["photo"].clone()
}

/// The photo on the initiative's card in the public list, or null.
async fn listed_photo(town: &Town, id: &str) -> Value {
    let list = town.list("").await.expect_ok().clone();
    list["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|card| card["id"] == id)
        .map(|card| card["photo"].clone())
        .unwrap_or(Value::Null)
}

/// Every rendition the photos tree holds, after stopping the server.
async fn stored_photos(server: TestServer) -> usize {
    let dir = server.stop().await;
    let store = open_store(dir.path()).await;
    store
        .raw_tree("photos")
        .unwrap()
        .expect("the photos tree")
        .len()
}

// ------------------------------------------------------------ tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_photo_is_shown_upright_resized_and_without_its_metadata() {
    let town = town("post").await;
    let mine = town.submit_ok(&submission("Bankje bij de kerk")).await;
    let mut photo = phone_photo(2400, 1800);
    // Some phones append more after the image (a motion photo's video, with its own
    // metadata): read past, never kept.
    photo.extend_from_slice(format!("ftypmp42 {SECRET}").as_bytes());
    assert!(contains(&photo, SECRET.as_bytes()) && contains(&photo, b"Exif"));

    let answer = upload(
        &town,
        &mine,
        "image/jpeg",
        photo,
        "Een houten bank voor de kerk",
    )
    .await;
    let view = answer.expect_ok();
    let shown = &view["initiative"]["photo"];
    assert_eq!(shown["alt"], "Een houten bank voor de kerk");
    assert!(
        view.get("pending_photo").is_none(),
        "post-moderation shows it at once"
    );

    // The public sees it on the card and in the detail.
    assert_eq!(&public_photo(&town, &mine.id).await, shown);
    assert_eq!(&listed_photo(&town, &mine.id).await, shown);

    // The sideways sensor image was turned upright (EXIF orientation 6), then fitted.
    let card_url = shown["card_url"].as_str().unwrap();
    let large_url = shown["large_url"].as_str().unwrap();
    assert!(
        card_url.starts_with("/photos/") && card_url.ends_with(".jpg"),
        "{card_url}"
    );
    let (status, headers, large) = fetch(&town, large_url).await;
    assert_eq!(status, 200);
    assert_eq!(size_of(&large), (1200, 1600));
    let (status, headers_card, card) = fetch(&town, card_url).await;
    assert_eq!(status, 200);
    assert_eq!(size_of(&card), (480, 640));
    assert_eq!(
        (shown["width"].as_u64(), shown["height"].as_u64()),
        (Some(480), Some(640))
    );

    for (headers, bytes) in [(&headers, &large), (&headers_card, &card)] {
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        // No EXIF (APP1) segment, and the position is nowhere in the file.
        let markers = segment_markers(bytes);
        assert!(!markers.contains(&0xE1), "APP1 in {markers:x?}");
        assert!(!contains(bytes, b"Exif"));
        assert!(!contains(bytes, SECRET.as_bytes()));
        assert!(!contains(bytes, b"Kloosterstraat"));
    }

    // An address never shows anything else: unknown hashes are 404.
    let unknown = format!("/photos/{}.jpg", "0".repeat(64));
    assert_eq!(fetch(&town, &unknown).await.0, 404);
    assert_eq!(fetch(&town, "/photos/../../etc/passwd").await.0, 404);
    assert_eq!(fetch(&town, "/photos/abc.png").await.0, 404);

    // A backup carries the photo (the export is the database, photos included).
    let export = call(
        town.http
            .get(town.server.at("/api/v1/admin/export"))
            .bearer_auth(&town.server.server_token),
    )
    .await;
    assert_eq!(export.status, 200);
    let hash = card_url
        .trim_start_matches("/photos/")
        .trim_end_matches(".jpg");
    let photo_line = format!("{{\"kind\":\"photo\",\"hash\":\"{hash}\",");
    assert!(export.text.contains(&photo_line), "the card's record");
    // So does the community's own export (its admins' download).
    let own = call(
        town.http
            .get(town.admin_url("/export"))
            .bearer_auth(&town.token),
    )
    .await;
    assert_eq!(own.status, 200);
    assert!(
        own.text.contains(&photo_line),
        "the card in the community export"
    );

    // The initiator removes it: gone from the public and from the store.
    let removed = call(
        town.http
            .delete(town.initiative_url(&mine.id, "/photo"))
            .header(MANAGE, &mine.token),
    )
    .await;
    assert!(removed.expect_ok()["initiative"].get("photo").is_none());
    assert!(public_photo(&town, &mine.id).await.is_null());
    assert_eq!(fetch(&town, card_url).await.0, 404);
    assert_eq!(fetch(&town, large_url).await.0, 404);
    assert_eq!(stored_photos(town.server).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn png_and_webp_are_read_and_served_as_jpeg() {
    let town = town("post").await;
    let mine = town.submit_ok(&submission("Speeltuin")).await;

    // A PNG with transparency and a text chunk holding the secret.
    let rgba = image::RgbaImage::from_fn(1000, 700, |x, _| {
        image::Rgba([20, 90, 200, (x % 256) as u8])
    });
    let png = encode(rgba.into(), image::ImageFormat::Png);
    let text = png_chunk(b"tEXt", format!("Comment\0{SECRET}").as_bytes());
    let png = [&png[..33], &text[..], &png[33..]].concat();
    let view = upload(&town, &mine, "image/png", png, "Kinderen op de schommel").await;
    let shown = view.expect_ok()["initiative"]["photo"].clone();
    let (_, _, card) = fetch(&town, shown["card_url"].as_str().unwrap()).await;
    assert_eq!(size_of(&card), (640, 448));
    assert!(!contains(&card, SECRET.as_bytes()));
    let (_, _, large) = fetch(&town, shown["large_url"].as_str().unwrap()).await;
    assert_eq!(size_of(&large), (1000, 700), "never enlarged");

    // WebP replaces it; the PNG's renditions are deleted.
    let webp = encode(pixels(900, 900).into(), image::ImageFormat::WebP);
    let view = upload(&town, &mine, "image/webp", webp, "Het grasveld").await;
    let replaced = view.expect_ok()["initiative"]["photo"].clone();
    assert_eq!(replaced["alt"], "Het grasveld");
    let (status, headers, card) = fetch(&town, replaced["card_url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(size_of(&card), (640, 640));
    assert_eq!(
        fetch(&town, shown["card_url"].as_str().unwrap()).await.0,
        404
    );
    assert_eq!(
        stored_photos(town.server).await,
        2,
        "the WebP's two renditions"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pre_moderation_holds_a_photo_back_until_approval_and_moderators_remove_just_the_photo() {
    let town = town("pre").await;
    let mine = town.submit_ok(&submission("Moestuin")).await;
    let view = upload(
        &town,
        &mine,
        "image/jpeg",
        jpeg(800, 600),
        "Moestuin in de zon",
    )
    .await;
    let view = view.expect_ok().clone();
    let waiting = view["pending_photo"].clone();
    assert_eq!(waiting["alt"], "Moestuin in de zon");
    assert!(view["initiative"].get("photo").is_none());
    // Not public: neither the initiative nor its photo.
    town.detail(&mine.id)
        .await
        .expect_error(404, "initiative_not_found");
    assert!(listed_photo(&town, &mine.id).await.is_null());
    // The moderators see it waiting.
    assert_eq!(
        town.admin_view(&mine.id).await.expect_ok()["pending_photo"],
        waiting
    );

    // Approval shows the initiative with its photo.
    town.moderate(&mine.id, "approve").await.expect_ok();
    assert_eq!(public_photo(&town, &mine.id).await, waiting);
    assert_eq!(listed_photo(&town, &mine.id).await, waiting);

    // A new photo on the published initiative waits too; the approved one stays.
    let view = upload(&town, &mine, "image/jpeg", jpeg(600, 800), "Nieuwe bedden").await;
    let newer = view.expect_ok()["pending_photo"].clone();
    assert_eq!(newer["alt"], "Nieuwe bedden");
    assert_eq!(public_photo(&town, &mine.id).await, waiting);
    // A moderator turns down just the waiting one.
    let url = town.admin_url(&format!("/initiatives/{}/photo", mine.id));
    let answer = call(
        town.http
            .delete(format!("{url}?which=pending"))
            .bearer_auth(&town.token),
    )
    .await;
    assert!(answer.expect_ok().get("pending_photo").is_none());
    assert_eq!(public_photo(&town, &mine.id).await, waiting);
    assert_eq!(
        fetch(&town, newer["card_url"].as_str().unwrap()).await.0,
        404
    );

    // A moderator removes the photo: the initiative stays, without a photo.
    let answer = call(town.http.delete(&url).bearer_auth(&town.token)).await;
    assert!(answer.expect_ok()["initiative"].get("photo").is_none());
    let detail = town.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["title"], "Moestuin");
    assert!(detail.body["photo"].is_null());
    assert_eq!(
        fetch(&town, waiting["card_url"].as_str().unwrap()).await.0,
        404
    );
    call(town.http.delete(&url).bearer_auth(&town.token))
        .await
        .expect_error(404, "photo_not_found");

    // A moderator's own photo shows at once, also here; both acts are in the audit log.
    admin_upload(&town, &mine.id, "image/jpeg", jpeg(300, 200), "De moestuin")
        .await
        .expect_ok();
    assert_eq!(public_photo(&town, &mine.id).await["alt"], "De moestuin");
    let audit = town.audit().await.expect_ok().clone();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in ["photo_set", "photo_remove"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(
        stored_photos(town.server).await,
        1,
        "300 × 200: one file for both"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_uploads_get_a_clear_4xx_and_nothing_is_stored() {
    let town = town("post").await;
    let mine = town.submit_ok(&submission("Bloembakken")).await;
    let good = jpeg(400, 300);
    let png = encode(pixels(40, 30).into(), image::ImageFormat::Png);
    let half = |bytes: &[u8]| bytes[..bytes.len() / 2].to_vec();

    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        (
            "not an image",
            "image/jpeg",
            b"Dit is geen foto, maar tekst.".to_vec(),
            400,
            "photo_invalid",
        ),
        ("empty", "image/jpeg", Vec::new(), 400, "photo_invalid"),
        (
            "a PNG declared as JPEG",
            "image/jpeg",
            png.clone(),
            415,
            "photo_type",
        ),
        (
            "a JPEG declared as WebP",
            "image/webp",
            good.clone(),
            415,
            "photo_type",
        ),
        (
            "another type",
            "image/gif",
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            415,
            "photo_type",
        ),
        (
            "no type",
            "application/octet-stream",
            good.clone(),
            415,
            "photo_type",
        ),
        (
            "a truncated JPEG",
            "image/jpeg",
            half(&good),
            400,
            "photo_invalid",
        ),
        (
            "a truncated PNG",
            "image/png",
            half(&encode(pixels(300, 300).into(), image::ImageFormat::Png)),
            400,
            "photo_invalid",
        ),
        (
            "a truncated WebP",
            "image/webp",
            half(&encode(pixels(300, 300).into(), image::ImageFormat::WebP)),
            400,
            "photo_invalid",
        ),
        (
            "a decompression bomb",
            "image/png",
            png_bomb(),
            422,
            "photo_too_large",
        ),
        (
            "100 megapixels",
            "image/jpeg",
            jpeg_claiming_100_megapixels(),
            422,
            "photo_too_large",
        ),
    ];
    for (what, content_type, body, status, code) in cases {
        let answer = upload(&town, &mine, content_type, body, "Een foto").await;
        assert_eq!(answer.status, status, "{what}: {answer:?}");
        answer.expect_error(status, code);
    }
    assert!(png_bomb().len() < 1_000);

    // Over 8 MB: 413, from the length alone (over a raw connection: the server
    // answers and closes before the client could send it all).
    let (status, body) = too_large_upload(&town, &mine).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "body_too_large");
    // 8 MB itself is allowed: refused for what it is, not for its size.
    let eight = vec![b'x'; 8 * 1024 * 1024];
    upload(&town, &mine, "image/jpeg", eight, "Een foto")
        .await
        .expect_error(400, "photo_invalid");

    // The alt text is required.
    upload(&town, &mine, "image/jpeg", good.clone(), "  ")
        .await
        .expect_invalid("alt");
    call(
        town.http
            .put(town.initiative_url(&mine.id, "/photo"))
            .header(MANAGE, &mine.token)
            .header(CONTENT_TYPE, "image/jpeg")
            .body(good.clone()),
    )
    .await
    .expect_invalid("alt");

    // Only with the manage token (or as a moderator).
    let wrong = Mine {
        id: mine.id.clone(),
        token: "mk_0000000000000000000000000000000000000000000".into(),
    };
    upload(&town, &wrong, "image/jpeg", good.clone(), "Een foto")
        .await
        .expect_error(403, "invalid_manage_token");
    call(
        town.http
            .delete(town.initiative_url(&mine.id, "/photo"))
            .header(MANAGE, "nope"),
    )
    .await
    .expect_error(403, "invalid_manage_token");
    call(
        town.http
            .put(town.admin_url(&format!("/initiatives/{}/photo", mine.id)))
            .query(&[("alt", "x")])
            .header(CONTENT_TYPE, "image/jpeg")
            .body(good.clone()),
    )
    .await
    .expect_error(401, "unauthorized");
    let unknown = Mine {
        id: "bestaat-niet".into(),
        token: mine.token.clone(),
    };
    upload(&town, &unknown, "image/jpeg", good.clone(), "Een foto")
        .await
        .expect_error(404, "initiative_not_found");

    // Nothing of it all reached the initiative or the store.
    assert!(public_photo(&town, &mine.id).await.is_null());
    let view = town.manage(&mine.id, &mine.token).await;
    assert!(view.expect_ok()["initiative"].get("photo").is_none());
    assert_eq!(stored_photos(town.server).await, 0);
}
