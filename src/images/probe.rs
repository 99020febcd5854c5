//! Sizes of images without decoding their pixels.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};

/// Width and height as shown (after the camera's rotation) and the rotation itself.
pub fn raster(bytes: &[u8]) -> Result<(u32, u32, Orientation), String> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    Ok(match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (h, w, orientation),
        _ => (w, h, orientation),
    })
}

/// Width and height of an SVG from its root element: `width`/`height` in pixels, else the
/// `viewBox`. `None` when the SVG only has relative sizes.
pub fn svg(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    // The root tag is near the start; a large drawing need not be copied whole.
    let end = text[start..]
        .char_indices()
        .nth(8192)
        .map_or(text.len(), |(i, _)| start + i);
    let root = format!("<img{}", &text[start + 4..end]);
    let tag = super::markup::img_tags(&root).into_iter().next()?;
    let px = |v: Option<&str>| -> Option<f64> {
        let v = v?.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        v.parse::<f64>().ok().filter(|n| *n > 0.0)
    };
    let view_box: Option<(f64, f64)> = tag.get("viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        (n.len() == 4 && n[2] > 0.0 && n[3] > 0.0).then(|| (n[2], n[3]))
    });
    let (w, h) = match (px(tag.get("width")), px(tag.get("height")), view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(vb)) => vb,
        _ => return None,
    };
    Some((w.round().max(1.0) as u32, h.round().max(1.0) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80px\">"),
            Some((120, 80))
        );
        assert_eq!(svg("<svg viewBox=\"0 0 640 360\">"), Some((640, 360)));
        assert_eq!(
            svg("<svg width=\"320\" viewBox=\"0,0,640,360\">"),
            Some((320, 180))
        );
        assert_eq!(svg("<svg width=\"100%\" height=\"100%\">"), None);
        assert_eq!(svg("no svg"), None);
    }
}
