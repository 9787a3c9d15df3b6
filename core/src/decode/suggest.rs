//! "Did you mean": the known field closest to a misspelt one.
//!
//! A field that differs only in case wins outright (`targetport` → `targetPort`, the most
//! common slip, since the API server matches field names case-sensitively). Otherwise the
//! candidate with the smallest edit distance (insertions, deletions, substitutions and
//! transpositions of adjacent characters, ignoring case) wins, if that distance is small for
//! the name's length: 1 up to five characters, then one more per three, at most 3. Ties go to
//! the candidate listed first, so the answer is deterministic.

/// The candidate closest to `name`, if one is close enough to suggest.
pub(crate) fn closest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = name.to_lowercase();
    if let Some(same) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(same);
    }
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'c str)> = None;
    for &candidate in candidates {
        let distance = edit_distance(&lower, &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The optimal-string-alignment distance between two strings, counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // rows[i][j]: the distance between the first i characters of a and the first j of b.
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PORT_FIELDS: &[&str] = &["name", "protocol", "port", "targetPort", "nodePort", "appProtocol"];

    #[test]
    fn case_insensitive_match_wins() {
        assert_eq!(closest("targetport", PORT_FIELDS), Some("targetPort"));
        assert_eq!(closest("NODEPORT", PORT_FIELDS), Some("nodePort"));
    }

    #[test]
    fn small_edit_distances_are_suggested() {
        assert_eq!(closest("prot", PORT_FIELDS), Some("port"));
        assert_eq!(closest("targetPrt", PORT_FIELDS), Some("targetPort"));
        assert_eq!(closest("protocl", PORT_FIELDS), Some("protocol"));
        assert_eq!(closest("nmae", PORT_FIELDS), Some("name"));
    }

    #[test]
    fn distant_names_get_no_suggestion() {
        assert_eq!(closest("selector", PORT_FIELDS), None);
        assert_eq!(closest("x", PORT_FIELDS), None);
        assert_eq!(closest("anything", &[]), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("port", "prot"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("日本", "本日"), 1);
    }
}
