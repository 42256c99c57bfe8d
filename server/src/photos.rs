//! Photos of initiatives: one per initiative, uploaded by the initiator (with
//! the manage token) or a moderator.
//!
//! The upload is never kept. It is decoded within limits (JPEG, PNG or WebP,
//! told by its first bytes, which must agree with its Content-Type; at most
//! [`MAX_SIDE`] pixels a side, [`MAX_PIXELS`] in all and [`MAX_ALLOC`] bytes
//! of decoder memory, so a decompression bomb is refused from its header,
//! before the pixels are allocated), turned upright by its EXIF orientation,
//! and encoded anew as two JPEGs: large (at most 1600 px on the long side) and
//! card (at most 640 px). The encoder writes pixels only, so no EXIF (GPS,
//! camera serial), XMP, ICC or comment of the upload survives.
//!
//! JPEG for both: the `image` crate's WebP encoder is lossless only, which
//! makes photos several times larger than JPEG at quality 82, and every
//! browser shows JPEG.
//!
//! Renditions are stored in the `photos` table keyed by the SHA-256 of their
//! bytes (so the address `/photos/{hash}.jpg` never changes what it shows and
//! may be cached for ever), with the initiatives that show them. A rendition
//! no initiative shows any more is deleted, and the keys of its older copies
//! in the store's log are forgotten: it is erased for real.
//!
//! Moderation: in a pre-moderated community the initiator's photo waits as
//! `pending_photo` (the public sees the approved one, if any) until a
//! moderator approves the initiative; rejecting drops it. A moderator's own
//! upload shows at once. Moderators can remove the photo alone.

use std::io::Cursor;
use std::sync::LazyLock;

use base64::Engine as _;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use mekaar_api::{limits, ErrorCode, ModerationPolicy, Photo};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::communities::{check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, Initiative};
use crate::secrets;
use crate::store::Store;

/// Longest side of the large rendition (detail view).
pub const LARGE_SIDE: u32 = 1600;
/// Longest side of the card rendition (lists, cards).
pub const CARD_SIDE: u32 = 640;
/// JPEG quality of both renditions.
pub const QUALITY: u8 = 82;
/// Widest or tallest upload decoded. A 50 MP phone photo is 8160 px wide.
pub const MAX_SIDE: u32 = 10_000;
/// Most pixels decoded (a 50 MP phone photo passes; 100 MP does not).
pub const MAX_PIXELS: u64 = 52_000_000;
/// Most bytes a decoder may allocate (52 MP × 4 bytes and some).
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// Uploads decoded at once: each may need up to [`MAX_ALLOC`] of memory.
const DECODING_AT_ONCE: usize = 2;

/// Where a rendition is served.
pub const URL_PREFIX: &str = "/photos/";

/// The three kinds of upload we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

impl Kind {
    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::Webp => ImageFormat::WebP,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Webp => "WebP",
        }
    }

    /// The kind a `Content-Type` names (parameters ignored), if one of ours.
    pub fn from_content_type(content_type: &str) -> Option<Kind> {
        let media_type = content_type.split(';').next()?.trim().to_ascii_lowercase();
        match media_type.as_str() {
            "image/jpeg" | "image/jpg" => Some(Kind::Jpeg),
            "image/png" => Some(Kind::Png),
            "image/webp" => Some(Kind::Webp),
            _ => None,
        }
    }

    /// The kind the first bytes show (the files' signatures), if one of ours.
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Kind::Webp)
        } else {
            None
        }
    }
}

/// The two renditions of an upload, encoded.
#[derive(Debug, Clone)]
pub struct Renditions {
    pub large: Vec<u8>,
    pub large_size: (u32, u32),
    pub card: Vec<u8>,
    pub card_size: (u32, u32),
}

fn invalid(why: &str) -> ApiError {
    ApiError::new(
        ErrorCode::PhotoInvalid,
        format!("The photo could not be read: {why}. Send a JPEG, PNG or WebP image."),
    )
}

fn wrong_type(why: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::PhotoType, why)
}

fn too_many_pixels() -> ApiError {
    ApiError::new(
        ErrorCode::PhotoTooLarge,
        format!(
            "The photo has too many pixels: at most {MAX_SIDE} a side and {} megapixels in all.",
            MAX_PIXELS / 1_000_000
        ),
    )
}

fn decode_error(err: image::ImageError) -> ApiError {
    match err {
        image::ImageError::Limits(_) => too_many_pixels(),
        image::ImageError::Unsupported(_) => invalid("this variant of the format is not supported"),
        image::ImageError::IoError(_) => invalid("the file ends too early"),
        _ => invalid("the file is damaged or incomplete"),
    }
}

/// Checks, decodes and re-encodes an upload. `content_type` is the request's.
pub fn process(bytes: &[u8], content_type: Option<&str>) -> ApiResult<Renditions> {
    let declared = content_type
        .and_then(Kind::from_content_type)
        .ok_or_else(|| {
            wrong_type("Send the photo with Content-Type image/jpeg, image/png or image/webp.")
        })?;
    if bytes.is_empty() {
        return Err(invalid("the body is empty"));
    }
    let actual =
        Kind::sniff(bytes).ok_or_else(|| invalid("it is not a JPEG, PNG or WebP image"))?;
    if actual != declared {
        return Err(wrong_type(format!(
            "The file is a {} image, but its Content-Type says {}.",
            actual.name(),
            declared.name()
        )));
    }
    // The JPEG decoder fills a cut-off scan with grey rather than failing.
    if actual == Kind::Jpeg && !jpeg_is_complete(bytes) {
        return Err(invalid("the file ends too early"));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), actual.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(invalid("it has no pixels"));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_many_pixels());
    }
    // A phone keeps the sensor's pixels and says in EXIF how to turn them.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);
    let image = DynamicImage::ImageRgb8(flatten(image));
    let large = fit(&image, LARGE_SIDE);
    let card = fit(&large, CARD_SIDE);
    Ok(Renditions {
        large_size: (large.width(), large.height()),
        large: encode(&large)?,
        card_size: (card.width(), card.height()),
        card: encode(&card)?,
    })
}

/// Whether a JPEG's segments and scans run whole up to its end-of-image
/// marker. (Bytes after that marker, such as a phone's motion-photo video,
/// are left alone: they are not decoded and not kept.)
fn jpeg_is_complete(b: &[u8]) -> bool {
    let mut i = 2; // after the start-of-image marker
    loop {
        if b.get(i) != Some(&0xFF) {
            return false;
        }
        while b.get(i) == Some(&0xFF) {
            i += 1; // fill bytes
        }
        let Some(&marker) = b.get(i) else {
            return false;
        };
        i += 1;
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => continue, // no length
            _ => {
                let (Some(&hi), Some(&lo)) = (b.get(i), b.get(i + 1)) else {
                    return false;
                };
                let length = usize::from(u16::from_be_bytes([hi, lo]));
                if length < 2 {
                    return false;
                }
                i += length;
                if marker == 0xDA {
                    // Entropy-coded data, up to the next marker that is not
                    // a stuffed 0xFF00 or a restart marker.
                    loop {
                        let (Some(&x), Some(&y)) = (b.get(i), b.get(i + 1)) else {
                            return false;
                        };
                        if x == 0xFF && y != 0 && !(0xD0..=0xD7).contains(&y) {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
    }
}

/// [`process`] on a blocking thread, a few uploads at a time.
pub async fn process_soon(
    bytes: impl AsRef<[u8]> + Send + 'static,
    content_type: Option<String>,
) -> ApiResult<Renditions> {
    static DECODING: LazyLock<tokio::sync::Semaphore> =
        LazyLock::new(|| tokio::sync::Semaphore::new(DECODING_AT_ONCE));
    let _permit = DECODING.acquire().await.map_err(|_| busy())?;
    tokio::task::spawn_blocking(move || process(bytes.as_ref(), content_type.as_deref()))
        .await
        .map_err(|_| busy())?
}

fn busy() -> ApiError {
    ApiError::new(
        ErrorCode::ServerBusy,
        "The photo could not be processed now; try again.",
    )
}

/// RGB pixels; transparency shows as white (JPEG has none).
fn flatten(image: DynamicImage) -> image::RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let over_white = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        *out = image::Rgb([over_white(r), over_white(g), over_white(b)]);
    }
    rgb
}

/// At most `side` pixels on the long side (never enlarged).
fn fit(image: &DynamicImage, side: u32) -> DynamicImage {
    if image.width() <= side && image.height() <= side {
        return image.clone();
    }
    image.resize(side, side, image::imageops::FilterType::CatmullRom)
}

fn encode(image: &DynamicImage) -> ApiResult<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(image)
        .map_err(|err| {
            tracing::error!("encoding a photo failed: {err}");
            ApiError::new(ErrorCode::Internal, "The photo could not be stored.")
        })?;
    Ok(out)
}

/// An initiative's photo as stored with the initiative.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredPhoto {
    /// SHA-256 (hex) of the large rendition.
    pub large: String,
    /// SHA-256 (hex) of the card rendition.
    pub card: String,
    pub alt: String,
    /// The card rendition's size.
    pub width: u32,
    pub height: u32,
    pub large_width: u32,
    pub large_height: u32,
    pub added_at: u64,
}

impl StoredPhoto {
    pub fn public(&self) -> Photo {
        Photo {
            card_url: url(&self.card),
            large_url: url(&self.large),
            alt: self.alt.clone(),
            width: self.width,
            height: self.height,
        }
    }

    fn hashes(&self) -> [&str; 2] {
        [&self.large, &self.card]
    }
}

pub fn url(hash: &str) -> String {
    format!("{URL_PREFIX}{hash}.jpg")
}

/// A rendition as stored: its bytes and who shows it (one entry per use).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhotoFile {
    pub content_type: String,
    /// The JPEG, base64 (records are JSON; exports carry them as they are).
    pub data: String,
    /// `community/initiative`, once per use (large and card may be the
    /// same file; a pending and a shown photo may be too).
    pub owners: Vec<String>,
}

fn owner(community: &Community, id: &str) -> String {
    format!("{}/{}", community.slug, id)
}

fn hash_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn is_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Stores `bytes` (if new) and adds one use by `owner`; returns the hash.
fn retain(store: &Store, owner: &str, bytes: &[u8]) -> ApiResult<String> {
    let hash = hash_of(bytes);
    store.photo_retain(&hash, owner, || PhotoFile {
        content_type: "image/jpeg".into(),
        data: base64::engine::general_purpose::STANDARD.encode(bytes),
        owners: vec![owner.to_string()],
    })?;
    Ok(hash)
}

/// Ends one use of the file `hash` by `owner`; deletes the file when it was
/// the last. Returns whether a file was deleted.
fn release(store: &Store, owner: &str, hash: &str) -> ApiResult<bool> {
    Ok(store.photo_release(hash, owner)?)
}

/// Ends the uses of `photos` by the initiative; forgets the keys of deleted
/// files' older copies, so they are erased for real.
pub fn release_all(
    store: &Store,
    community: &Community,
    id: &str,
    photos: &[StoredPhoto],
) -> ApiResult<()> {
    let owner = owner(community, id);
    let mut deleted = false;
    for photo in photos {
        for hash in photo.hashes() {
            deleted |= release(store, &owner, hash)?;
        }
    }
    if deleted {
        store.forget_old_record_keys()?;
    }
    Ok(())
}

/// The bytes of a rendition, by its file name `{hash}.jpg`.
pub fn file(store: &Store, name: &str) -> ApiResult<Vec<u8>> {
    let not_found = || {
        ApiError::new(
            ErrorCode::PhotoNotFound,
            "There is no photo at this address.",
        )
    };
    let hash = name
        .strip_suffix(".jpg")
        .filter(|h| is_hash(h))
        .ok_or_else(not_found)?;
    let file = store.photo_get(hash)?.ok_or_else(not_found)?;
    base64::engine::general_purpose::STANDARD
        .decode(file.data)
        .map_err(|_| ApiError::new(ErrorCode::Internal, "The stored photo is damaged."))
}

/// Who adds or removes a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Initiator,
    Moderator,
}

/// The alt text, required: one line of at most 300 characters.
pub fn check_alt(alt: Option<&str>) -> ApiResult<String> {
    check_text("alt", alt.unwrap_or_default(), limits::ALT)
}

/// Gives the initiative `id` the photo: shown at once, or (the initiator's,
/// in a pre-moderated community) waiting for approval. A photo it replaces
/// is released. Returns the initiative before and after.
pub fn attach(
    store: &Store,
    community: &Community,
    id: &str,
    renditions: &Renditions,
    alt: &str,
    by: By,
) -> ApiResult<(Initiative, Initiative)> {
    let alt = check_alt(Some(alt))?;
    let before = initiatives::get(store, community, id)?;
    let owner = owner(community, id);
    let photo = StoredPhoto {
        large: retain(store, &owner, &renditions.large)?,
        card: retain(store, &owner, &renditions.card)?,
        alt,
        width: renditions.card_size.0,
        height: renditions.card_size.1,
        large_width: renditions.large_size.0,
        large_height: renditions.large_size.1,
        added_at: secrets::now_secs(),
    };
    let waits = by == By::Initiator && community.moderation == ModerationPolicy::Pre;
    let mut replaced = Vec::new();
    let result = initiatives::update(store, community, id, |mut initiative| {
        replaced.clear();
        if waits {
            replaced.extend(initiative.pending_photo.replace(photo.clone()));
        } else {
            replaced.extend(initiative.photo.replace(photo.clone()));
            // A moderator's choice settles any photo still waiting.
            if by == By::Moderator {
                replaced.extend(initiative.pending_photo.take());
            }
        }
        Ok(initiative)
    });
    match result {
        Ok(after) => {
            release_all(store, community, id, &replaced)?;
            Ok((before, after))
        }
        Err(err) => {
            release_all(store, community, id, std::slice::from_ref(&photo))?;
            Err(err)
        }
    }
}

/// Which photo a removal takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// The shown one and the one waiting.
    #[default]
    All,
    /// Only the one waiting for approval.
    Pending,
}

/// Removes the initiative's photo (or only the one waiting); 404
/// `photo_not_found` when there was none. Returns before and after.
pub fn detach(
    store: &Store,
    community: &Community,
    id: &str,
    which: Which,
) -> ApiResult<(Initiative, Initiative)> {
    let before = initiatives::get(store, community, id)?;
    let mut removed = Vec::new();
    let after = initiatives::update(store, community, id, |mut initiative| {
        removed.clear();
        removed.extend(initiative.pending_photo.take());
        if which == Which::All {
            removed.extend(initiative.photo.take());
        }
        if removed.is_empty() {
            return Err(ApiError::new(
                ErrorCode::PhotoNotFound,
                "This initiative has no such photo.",
            ));
        }
        Ok(initiative)
    })?;
    release_all(store, community, id, &removed)?;
    Ok((before, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        encode(&image).unwrap()
    }

    #[test]
    fn kinds_come_from_the_bytes_and_must_match_the_content_type() {
        let bytes = jpeg(10, 8);
        assert_eq!(Kind::sniff(&bytes), Some(Kind::Jpeg));
        assert_eq!(Kind::from_content_type("image/JPEG; q=1"), Some(Kind::Jpeg));
        assert_eq!(Kind::from_content_type("image/gif"), None);
        let refused = process(&bytes, Some("image/png")).unwrap_err();
        assert_eq!(
            (refused.status().as_u16(), refused.code),
            (415, ErrorCode::PhotoType)
        );
        let refused = process(b"GIF89a....", Some("image/png")).unwrap_err();
        assert_eq!(refused.code, ErrorCode::PhotoInvalid);
        let refused = process(&bytes, Some("image/gif")).unwrap_err();
        assert_eq!(refused.code, ErrorCode::PhotoType);
    }

    #[test]
    fn renditions_fit_their_sides_and_keep_the_aspect_ratio() {
        let r = process(&jpeg(2000, 1000), Some("image/jpeg")).unwrap();
        assert_eq!(r.large_size, (1600, 800));
        assert_eq!(r.card_size, (640, 320));
        let small = process(&jpeg(300, 200), Some("image/jpeg")).unwrap();
        assert_eq!(
            (small.large_size, small.card_size),
            ((300, 200), (300, 200))
        );
    }

    #[test]
    fn a_truncated_file_is_refused() {
        let bytes = jpeg(200, 200);
        let refused = process(&bytes[..bytes.len() / 2], Some("image/jpeg")).unwrap_err();
        assert_eq!(refused.code, ErrorCode::PhotoInvalid, "{}", refused.message);
    }

    #[test]
    fn transparency_becomes_white() {
        let clear = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            2,
            2,
            image::Rgba([0, 0, 0, 0]),
        ));
        assert_eq!(flatten(clear).get_pixel(0, 0).0, [255, 255, 255]);
    }
}
