//! Decoding, cropping, resizing and encoding pixels.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    /// Lossy WebP, for photos.
    WebpLossy,
    /// Lossless WebP, for drawings and screenshots saved as PNG: no smudged edges or text.
    WebpLossless,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebpLossy | Format::WebpLossless => "webp",
        }
    }

    /// Part of the cache key: what settings made the file.
    pub fn tag(self, quality: u8) -> String {
        match self {
            Format::Jpeg => format!("q{quality}.jpg"),
            Format::Png => "png".into(),
            Format::WebpLossy => format!("q{quality}.webp"),
            Format::WebpLossless => "ll.webp".into(),
        }
    }
}

/// The whole image, upright.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    // The caller checked the size the header claims; the limits hold the decoder to it.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(super::MAX_SIDE);
    limits.max_image_height = Some(super::MAX_SIDE);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// A square or rectangle cut out of the image, then scaled to `width` x `height`.
pub fn resize(img: &DynamicImage, crop: Option<[u32; 4]>, width: u32, height: u32) -> DynamicImage {
    let cropped;
    let src = match crop {
        Some([x, y, w, h]) => {
            cropped = img.crop_imm(x, y, w, h);
            &cropped
        }
        None => img,
    };
    if src.width() == width && src.height() == height {
        return src.clone();
    }
    src.resize_exact(width, height, FilterType::Lanczos3)
}

pub fn encode(img: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (img.width(), img.height());
    let alpha = img.color().has_alpha();
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = img.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(&rgb, w, h, image::ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            let encoder =
                PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
            if alpha {
                encoder.write_image(&img.to_rgba8(), w, h, image::ExtendedColorType::Rgba8)
            } else {
                encoder.write_image(&img.to_rgb8(), w, h, image::ExtendedColorType::Rgb8)
            }
            .map_err(|e| e.to_string())?;
        }
        Format::WebpLossy | Format::WebpLossless => {
            let lossless = format == Format::WebpLossless;
            let pixels = if alpha {
                img.to_rgba8().into_raw()
            } else {
                img.to_rgb8().into_raw()
            };
            let encoder = if alpha {
                webp::Encoder::from_rgba(&pixels, w, h)
            } else {
                webp::Encoder::from_rgb(&pixels, w, h)
            };
            let mut config = webp::WebPConfig::new()
                .map_err(|_| "cannot set up the WebP encoder".to_string())?;
            config.lossless = i32::from(lossless);
            config.quality = if lossless { 75.0 } else { f32::from(quality) };
            // Slower than the default, noticeably smaller; the result is cached.
            config.method = if lossless { 5 } else { 6 };
            config.alpha_compression = i32::from(!lossless);
            let mem = encoder
                .encode_advanced(&config)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            out.extend_from_slice(&mem);
        }
    }
    Ok(out)
}
