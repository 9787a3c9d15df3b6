//! Text helpers shared by the printers: Go's `text/tabwriter` alignment, and the label and
//! selector formats of apimachinery.
//!
//! [`tabwrite`] reproduces the elastic tabstops of Go's `text/tabwriter` for the settings kubectl
//! uses (space padding, no flags): cells are the tab-terminated pieces of a line; a column block
//! is a run of consecutive lines that have a cell in that column; every cell of a block is padded
//! to the widest cell plus `padding`, but never below `min_width`; the text after a line's last
//! tab is not part of any column and is written as is.

use crate::api::selector::{LabelSelector, Operator};
use crate::api::Labels;

/// Aligns tab-separated `text` (lines ending in `\n`) the way Go's `tabwriter` does with
/// `minwidth = min_width`, `padding = padding`, `padchar = ' '` and no flags.
pub(crate) fn tabwrite(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split_terminator('\n').map(|line| line.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format_block(&lines, &mut widths, 0, lines.len(), &mut out, min_width, padding);
    out
}

/// Go's `Writer.format`: finds the column blocks of column `widths.len()` in `lines[start..end]`,
/// measures each and recurses into the next column.
fn format_block(
    lines: &[Vec<&str>],
    widths: &mut Vec<usize>,
    start: usize,
    end: usize,
    out: &mut String,
    min_width: usize,
    padding: usize,
) {
    let column = widths.len();
    let has_cell = |line: &Vec<&str>| column + 1 < line.len();
    let mut line0 = start;
    let mut this = start;
    while this < end {
        if !has_cell(&lines[this]) {
            this += 1;
            continue;
        }
        write_lines(lines, widths, line0, this, out);
        line0 = this;
        let mut width = min_width;
        while this < end && has_cell(&lines[this]) {
            width = width.max(lines[this][column].chars().count() + padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, widths, line0, this, out, min_width, padding);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, widths, line0, end, out);
}

fn write_lines(lines: &[Vec<&str>], widths: &[usize], start: usize, end: usize, out: &mut String) {
    for line in &lines[start..end] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len() {
                let pad = widths.get(j).map_or(0, |w| w.saturating_sub(cell.chars().count()));
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
}

/// apimachinery's `labels.FormatLabels`: `k=v` pairs sorted by key, joined by commas; `<none>`
/// when empty.
pub(crate) fn format_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `metav1.LabelSelectorAsSelector(...).String()`: one requirement per matchLabels pair and
/// matchExpressions entry, sorted by key (`internalSelector.Add` sorts with `ByKey`), each
/// printed by `Requirement.String`: `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
pub(crate) fn selector_string(selector: &LabelSelector) -> String {
    let mut requirements: Vec<(&str, String)> =
        selector.match_labels.iter().map(|(k, v)| (k.as_str(), format!("{k}={v}"))).collect();
    for r in &selector.match_expressions {
        let values = r.values.iter().map(String::as_str).collect::<Vec<_>>().join(",");
        let text = match r.operator {
            Operator::In => format!("{} in ({values})", r.key),
            Operator::NotIn => format!("{} notin ({values})", r.key),
            Operator::Exists => r.key.clone(),
            Operator::DoesNotExist => format!("!{}", r.key),
        };
        requirements.push((r.key.as_str(), text));
    }
    requirements.sort_by(|a, b| a.0.cmp(b.0));
    requirements.into_iter().map(|(_, text)| text).collect::<Vec<_>>().join(",")
}

/// `metav1.FormatLabelSelector`: [`selector_string`], or `<none>` when that is empty.
pub(crate) fn format_label_selector(selector: &LabelSelector) -> String {
    let text = selector_string(selector);
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

/// printers.go's `listWithMoreString`: the first `max` items joined by commas, then
/// ` + N more...`; `<unset>` when there are none.
pub(crate) fn list_with_more(items: &[String], max: usize) -> String {
    let shown = items.iter().take(max).map(String::as_str).collect::<Vec<_>>().join(",");
    if items.len() > max {
        format!("{shown} + {} more...", items.len() - max)
    } else if shown.is_empty() {
        "<unset>".to_string()
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::selector::Requirement;

    #[test]
    fn tabwrite_pads_each_column_to_its_widest_cell_plus_padding_but_not_the_last() {
        // Go: tabwriter.NewWriter(w, 6, 4, 3, ' ', 0) on "NAME\tAGE\nweb\t1s\n".
        assert_eq!(tabwrite("NAME\tAGE\nweb\t1s\n", 6, 3), "NAME   AGE\nweb    1s\n");
        // A column narrower than minwidth - padding is widened to minwidth.
        assert_eq!(tabwrite("A\tB\n", 6, 3), "A     B\n");
    }

    #[test]
    fn tabwrite_column_blocks_end_at_a_line_without_that_cell() {
        // The second column of line 1 and line 3 are separate blocks: line 2 has no second cell.
        let text = "Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\nNodePort:\tx\t30080/TCP\n";
        let expected = "Port:        http  80/TCP\nTargetPort:  8080/TCP\nNodePort:    x  30080/TCP\n";
        assert_eq!(tabwrite(text, 0, 2), expected);
    }

    #[test]
    fn a_tab_terminated_empty_last_cell_is_still_padded() {
        assert_eq!(tabwrite("Endpoints:\t\nIP:\t1\n", 0, 2), "Endpoints:  \nIP:         1\n");
    }

    #[test]
    fn selectors_print_like_apimachinery() {
        let selector = LabelSelector {
            match_labels: [("tier".to_string(), "web".to_string())].into(),
            match_expressions: vec![
                Requirement { key: "env".into(), operator: Operator::In, values: ["prod".into(), "dev".into()].into() },
                Requirement { key: "canary".into(), operator: Operator::DoesNotExist, values: Default::default() },
                Requirement { key: "zone".into(), operator: Operator::Exists, values: Default::default() },
                Requirement { key: "x".into(), operator: Operator::NotIn, values: ["a".into()].into() },
            ],
        };
        assert_eq!(format_label_selector(&selector), "!canary,env in (dev,prod),tier=web,x notin (a),zone");
        assert_eq!(format_label_selector(&LabelSelector::default()), "<none>");
    }

    #[test]
    fn lists_show_three_then_a_count() {
        let items: Vec<String> = ["a", "b", "c", "d", "e"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list_with_more(&items, 3), "a,b,c + 2 more...");
        assert_eq!(list_with_more(&items[..3], 3), "a,b,c");
        assert_eq!(list_with_more(&[], 3), "<unset>");
    }
}
