//! Colours for pods, by app label: the Okabe–Ito palette, which stays distinguishable for the
//! common forms of colour blindness.

const OKABE_ITO: [&str; 7] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];

/// A stable colour for an app label (the same label always gets the same colour); pods
/// without one are grey.
pub fn app_colour(app: Option<&str>) -> &'static str {
    match app {
        None => "#8a8f98",
        Some(app) => {
            let hash = app.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
            OKABE_ITO[(hash % OKABE_ITO.len() as u32) as usize]
        }
    }
}
