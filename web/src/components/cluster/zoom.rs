//! Zoom and pan of the cluster drawing, as its SVG `viewBox`: the wheel zooms around the
//! pointer, dragging the background pans, and the keyboard does both when the drawing has focus
//! (`+`, `-`, `0` to fit, arrow keys to pan). The drawing's own size never changes, so zooming
//! reflows nothing.
//!
//! Invariant: `scale` stays within [`MIN_SCALE`, `MAX_SCALE`]; at scale 1 with no offset the
//! whole layout fits the pane.

pub const MIN_SCALE: f64 = 0.5;
pub const MAX_SCALE: f64 = 4.0;

/// The visible window onto the drawing: zoom factor and the top-left corner, in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub scale: f64,
    pub x: f64,
    pub y: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera { scale: 1.0, x: 0.0, y: 0.0 }
    }
}

impl Camera {
    /// The `viewBox` for a drawing of `width` × `height`.
    pub fn view_box(&self, width: f64, height: f64) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.x, self.y, width / self.scale, height / self.scale)
    }

    /// Zoomed by `factor` keeping the drawing point `(px, py)` where it is on screen.
    pub fn zoomed(self, factor: f64, px: f64, py: f64) -> Camera {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let k = self.scale / scale;
        Camera { scale, x: px - (px - self.x) * k, y: py - (py - self.y) * k }
    }

    /// Zoomed by `factor` around the middle of what is shown of a `width` × `height` drawing.
    pub fn zoomed_at_centre(self, factor: f64, width: f64, height: f64) -> Camera {
        self.zoomed(factor, self.x + width / self.scale / 2.0, self.y + height / self.scale / 2.0)
    }

    /// Moved by `(dx, dy)` drawing units.
    pub fn panned(self, dx: f64, dy: f64) -> Camera {
        Camera { x: self.x + dx, y: self.y + dy, ..self }
    }
}

/// Drawing units per screen pixel for an SVG element showing `view_w` × `view_h` units in a
/// box of `px_w` × `px_h` pixels (`preserveAspectRatio` "meet": the larger ratio wins).
pub fn units_per_pixel(view_w: f64, view_h: f64, px_w: f64, px_h: f64) -> f64 {
    if px_w <= 0.0 || px_h <= 0.0 {
        return 1.0;
    }
    (view_w / px_w).max(view_h / px_h)
}

/// The camera for a key press, if the key zooms or pans.
pub fn camera_for_key(camera: Camera, key: &str, width: f64, height: f64) -> Option<Camera> {
    let step = 40.0 / camera.scale;
    Some(match key {
        "+" | "=" => camera.zoomed_at_centre(1.25, width, height),
        "-" | "_" => camera.zoomed_at_centre(0.8, width, height),
        "0" => Camera::default(),
        "ArrowLeft" => camera.panned(-step, 0.0),
        "ArrowRight" => camera.panned(step, 0.0),
        "ArrowUp" => camera.panned(0.0, -step),
        "ArrowDown" => camera.panned(0.0, step),
        _ => return None,
    })
}
