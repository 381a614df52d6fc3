//! Drawing what happened: a [`Timeline`] is a list of rows (one per task) and
//! the spans of time in which each task was running, waiting or ready.
//!
//! Why a module of its own: every model in this part records the *same* kind
//! of picture, and part 2 draws its poetry clients with it too. Keeping the
//! drawing apart from the runners means a runner only has to say "task 2 was
//! waiting from 0.1 s to 0.9 s"; how that looks in an 80-column terminal
//! ([`Timeline::render`]) or in the book ([`Timeline::render_svg`],
//! [`render_svg_stack`]) is decided here, once.
//!
//! The text drawing uses three glyphs: `█` running (the task has the CPU),
//! `░` waiting (for something outside the program), `·` ready (its wait is
//! over but another task has the thread). When spans of one row overlap in a
//! cell, running beats waiting, and waiting beats ready.

use std::fmt::Write as _;
use std::time::Duration;

/// What a task was doing during a [`Span`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activity {
    /// The task was using the CPU. Drawn `█`.
    Running,
    /// The task was waiting for something outside the program (a disk, a
    /// network, a timer). Drawn `░`.
    Waiting,
    /// The task could have run, but the thread was busy with another task.
    /// Drawn `·`. Only the asynchronous model records this.
    Ready,
}

impl Activity {
    /// The glyph that draws this activity in a text timeline.
    pub fn glyph(self) -> char {
        match self {
            Activity::Running => '█',
            Activity::Waiting => '░',
            Activity::Ready => '·',
        }
    }

    /// Which activity wins a cell both cover: the higher, the stronger.
    fn priority(self) -> u8 {
        match self {
            Activity::Running => 3,
            Activity::Waiting => 2,
            Activity::Ready => 1,
        }
    }

    /// A short phrase for the text legend.
    fn phrase(self) -> &'static str {
        match self {
            Activity::Running => "running (using the CPU)",
            Activity::Waiting => "waiting (on the outside)",
            Activity::Ready => "ready to run",
        }
    }

    /// A longer phrase for the SVG legend.
    fn describe(self) -> &'static str {
        match self {
            Activity::Running => "running (using the CPU)",
            Activity::Waiting => "waiting (for the outside world)",
            Activity::Ready => "ready (waiting for its turn)",
        }
    }
}

/// One stretch of time in which the task of row `row` did one thing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Index into [`Timeline::rows`].
    pub row: usize,
    /// What the task was doing.
    pub activity: Activity,
    /// When the span began, measured from the start of the run.
    pub start: Duration,
    /// When the span ended, measured from the start of the run.
    pub end: Duration,
}

impl Span {
    /// How long the span lasted (zero if it ends before it starts).
    pub fn duration(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }

    /// Whether the two spans share some stretch of time (touching ends do
    /// not count).
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What happened in one run: a title, one row per task, and the spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// What this timeline shows, e.g. `"Synchronous"`.
    pub title: String,
    /// One label per row, e.g. the task names.
    pub rows: Vec<String>,
    /// Every recorded span, in any order.
    pub spans: Vec<Span>,
    /// How long the whole run took.
    pub total: Duration,
}

impl Timeline {
    /// An empty timeline with the given title and row labels.
    pub fn new<S: Into<String>>(
        title: impl Into<String>,
        rows: impl IntoIterator<Item = S>,
    ) -> Self {
        Timeline {
            title: title.into(),
            rows: rows.into_iter().map(Into::into).collect(),
            spans: Vec::new(),
            total: Duration::ZERO,
        }
    }

    /// Records a span, and stretches [`total`](Timeline::total) to cover it.
    pub fn push(&mut self, row: usize, activity: Activity, start: Duration, end: Duration) {
        self.total = self.total.max(end);
        self.spans.push(Span {
            row,
            activity,
            start,
            end,
        });
    }

    /// The spans of one row, sorted by start time.
    pub fn row_spans(&self, row: usize) -> Vec<&Span> {
        let mut spans: Vec<&Span> = self.spans.iter().filter(|s| s.row == row).collect();
        spans.sort_by_key(|s| (s.start, s.end));
        spans
    }

    /// For how long at least two spans of `activity` were in progress at the
    /// same moment. For [`Activity::Running`] in a one-thread model this is
    /// always zero; for [`Activity::Waiting`] it is the time the model saved.
    pub fn overlap(&self, activity: Activity) -> Duration {
        // A sweep over start (+1) and end (-1) events; ends sort first, so
        // spans that merely touch do not count as overlapping.
        let mut events: Vec<(Duration, i32)> = Vec::new();
        for span in self.spans.iter().filter(|s| s.activity == activity) {
            if span.end > span.start {
                events.push((span.start, 1));
                events.push((span.end, -1));
            }
        }
        events.sort();
        let mut depth = 0;
        let mut since = Duration::ZERO;
        let mut overlap = Duration::ZERO;
        for (at, change) in events {
            if depth >= 2 {
                overlap += at - since;
            }
            depth += change;
            since = at;
        }
        overlap
    }

    /// Draws the timeline as text, `width` columns for the time axis.
    ///
    /// A header line with the title and the total time, one line per row
    /// (`label │bars│`), then an axis with a few time labels. The full width
    /// of the axis stands for [`total`](Timeline::total).
    pub fn render(&self, width: usize) -> String {
        self.render_scaled(width, self.total)
    }

    /// Like [`render`](Timeline::render), but the full width of the axis
    /// stands for `scale` (or the total, if that is longer). Drawing several
    /// timelines with one scale makes their lengths comparable by eye.
    pub fn render_scaled(&self, width: usize, scale: Duration) -> String {
        let width = width.max(1);
        let scale = scale.max(self.total);
        let label_width = self
            .rows
            .iter()
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(0);
        // "  " + label + " │" + bars + "│"
        let line_width = 2 + label_width + 2 + width + 1;
        let indent = " ".repeat(2 + label_width + 1);

        let mut out = String::new();
        let total = format!("total {}", format_secs(self.total));
        let gap = line_width
            .saturating_sub(self.title.chars().count() + total.chars().count())
            .max(1);
        let _ = writeln!(out, "{}{}{}", self.title, " ".repeat(gap), total);

        for (row, label) in self.rows.iter().enumerate() {
            let bars: String = self.row_cells(row, width, scale).into_iter().collect();
            let pad = " ".repeat(label_width - label.chars().count());
            let _ = writeln!(out, "  {label}{pad} │{bars}│");
        }

        // The axis: a border with tick marks, and time labels under them.
        let ticks = tick_count(width);
        let mut border: Vec<char> = vec!['─'; width + 2];
        border[0] = '└';
        border[width + 1] = '┘';
        let mut labels: Vec<char> = vec![' '; width + 2];
        let mut free_from = 0; // first column a new label may use
        for k in 0..=ticks {
            let column = (k * (width + 1) + ticks / 2) / ticks;
            if k != 0 && k != ticks {
                border[column] = '┬';
            }
            let time = scale.mul_f64(k as f64 / ticks as f64);
            let text: Vec<char> = format_secs(time).chars().collect();
            let start = if k == 0 {
                0
            } else if k == ticks {
                (width + 2).saturating_sub(text.len())
            } else {
                column.saturating_sub(text.len() / 2)
            };
            if start < free_from || start + text.len() > width + 2 {
                continue;
            }
            labels[start..start + text.len()].copy_from_slice(&text);
            free_from = start + text.len() + 1;
        }
        let border: String = border.into_iter().collect();
        let labels: String = labels.into_iter().collect();
        let _ = writeln!(out, "{indent}{border}");
        let _ = writeln!(out, "{}", format!("{indent}{labels}").trim_end());
        out
    }

    /// The glyph of each of `width` cells of one row.
    fn row_cells(&self, row: usize, width: usize, scale: Duration) -> Vec<char> {
        let mut cells: Vec<Option<Activity>> = vec![None; width];
        for span in self.spans.iter().filter(|s| s.row == row) {
            for cell in &mut cells[cell_range(span, width, scale)] {
                if cell.is_none_or(|a| a.priority() < span.activity.priority()) {
                    *cell = Some(span.activity);
                }
            }
        }
        cells
            .into_iter()
            .map(|c| c.map_or(' ', Activity::glyph))
            .collect()
    }

    /// Draws the same timeline as a standalone SVG document.
    pub fn render_svg(&self) -> String {
        render_svg_stack(std::slice::from_ref(self))
    }
}

/// Which cells of a `width`-cell axis standing for `scale` a span covers.
/// Its ends are rounded to the nearest cell boundary; a running span too
/// short for one cell still gets one, so brief bursts of work stay visible.
fn cell_range(span: &Span, width: usize, scale: Duration) -> std::ops::Range<usize> {
    if scale.is_zero() || span.end <= span.start {
        return 0..0;
    }
    let column = |t: Duration| -> usize {
        let t = t.min(scale).as_nanos();
        let scale = scale.as_nanos();
        ((t * width as u128 + scale / 2) / scale) as usize
    };
    let (start, end) = (column(span.start), column(span.end));
    if end > start {
        start..end
    } else if span.activity == Activity::Running {
        let start = start.min(width - 1);
        start..start + 1
    } else {
        0..0
    }
}

/// How many intervals the text axis is cut into.
fn tick_count(width: usize) -> usize {
    match width {
        40.. => 4,
        20.. => 2,
        _ => 1,
    }
}

/// Seconds with two decimals, e.g. `1.25s`: how every time is written.
pub fn format_secs(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// A one-line key to the glyphs of a text timeline.
pub fn legend() -> String {
    [Activity::Running, Activity::Waiting, Activity::Ready]
        .iter()
        .map(|a| format!("{} {}", a.glyph(), a.phrase()))
        .collect::<Vec<_>>()
        .join("   ")
}

// ---------------------------------------------------------------------------
// SVG

/// Layout of the SVG drawing, in SVG user units (pixels).
mod svg {
    pub const WIDTH: f64 = 760.0;
    pub const MARGIN: f64 = 20.0;
    pub const TITLE_HEIGHT: f64 = 26.0;
    pub const ROW_HEIGHT: f64 = 24.0;
    pub const BAR_HEIGHT: f64 = 16.0;
    pub const AXIS_HEIGHT: f64 = 30.0;
    pub const GAP: f64 = 18.0;
    pub const LEGEND_HEIGHT: f64 = 30.0;
    pub const CHAR_WIDTH: f64 = 7.5;
    pub const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
    pub const INK: &str = "#1f2933";
    pub const MUTED: &str = "#616e7c";
    pub const TRACK: &str = "#f0f3f7";
    pub const RUNNING: &str = "#2f6fb3";
    pub const WAITING: &str = "#b9cfe6";
    pub const READY: &str = "#e8a33d";
}

/// Draws several timelines stacked in one SVG document, all on one time
/// scale (the longest total), with a shared legend at the bottom.
///
/// Built with string formatting only; the result is a standalone document
/// with a white background, so it reads well on light and dark pages.
pub fn render_svg_stack(timelines: &[Timeline]) -> String {
    let legend = [Activity::Running, Activity::Waiting, Activity::Ready].map(|a| (a, a.describe()));
    render_svg_stack_with_legend(timelines, &legend)
}

/// Like [`render_svg_stack`], with the legend's entries and words chosen by
/// the caller: part 2 draws downloads, where "running" means "a chunk arrived".
pub fn render_svg_stack_with_legend(timelines: &[Timeline], legend: &[(Activity, &str)]) -> String {
    use svg::*;
    let scale = timelines.iter().map(|t| t.total).max().unwrap_or_default();
    let label_chars = timelines
        .iter()
        .flat_map(|t| t.rows.iter())
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0);
    let left = MARGIN + (label_chars as f64 * CHAR_WIDTH).max(40.0) + 12.0;
    let right = WIDTH - MARGIN - 16.0;
    let x = |t: Duration| -> f64 {
        if scale.is_zero() {
            left
        } else {
            left + (right - left) * (t.min(scale).as_secs_f64() / scale.as_secs_f64())
        }
    };
    let height = MARGIN * 2.0
        + timelines
            .iter()
            .map(|t| TITLE_HEIGHT + ROW_HEIGHT * t.rows.len() as f64 + AXIS_HEIGHT + GAP)
            .sum::<f64>()
        + LEGEND_HEIGHT;
    let label = timelines
        .iter()
        .map(|t| format!("{}: {}", t.title, format_secs(t.total)))
        .collect::<Vec<_>>()
        .join("; ");

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0}" height="{height:.0}" viewBox="0 0 {WIDTH:.0} {height:.0}" font-family="{FONT}" role="img" aria-label="{}">"#,
        escape(&label)
    );
    let _ = writeln!(out, "  <title>{}</title>", escape(&label));
    let _ = writeln!(
        out,
        r#"  <rect x="0" y="0" width="{WIDTH:.0}" height="{height:.0}" fill="white"/>"#
    );

    let step = nice_step(scale);
    let mut y = MARGIN;
    for timeline in timelines {
        let _ = writeln!(out, r#"  <g class="timeline">"#);
        let _ = writeln!(
            out,
            r#"    <text x="{MARGIN:.1}" y="{:.1}" font-size="15" font-weight="bold" fill="{INK}">{}</text>"#,
            y + 16.0,
            escape(&timeline.title)
        );
        let _ = writeln!(
            out,
            r#"    <text x="{right:.1}" y="{:.1}" font-size="13" text-anchor="end" fill="{MUTED}">total {}</text>"#,
            y + 16.0,
            format_secs(timeline.total)
        );
        y += TITLE_HEIGHT;
        for (row, name) in timeline.rows.iter().enumerate() {
            let bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
            let _ = writeln!(
                out,
                r#"    <text x="{:.1}" y="{:.1}" font-size="13" text-anchor="end" fill="{INK}">{}</text>"#,
                left - 10.0,
                y + ROW_HEIGHT / 2.0 + 4.5,
                escape(name)
            );
            let _ = writeln!(
                out,
                r#"    <rect x="{left:.1}" y="{bar_y:.1}" width="{:.1}" height="{BAR_HEIGHT:.1}" fill="{TRACK}"/>"#,
                right - left
            );
            // Weakest first, so running is drawn on top of waiting and ready.
            let mut spans: Vec<&Span> = timeline
                .spans
                .iter()
                .filter(|s| s.row == row && s.end > s.start)
                .collect();
            spans.sort_by_key(|s| (s.activity.priority(), s.start));
            for span in spans {
                let (x0, x1) = (x(span.start), x(span.end));
                let (colour, inset) = match span.activity {
                    Activity::Running => (RUNNING, 0.0),
                    Activity::Waiting => (WAITING, 0.0),
                    Activity::Ready => (READY, 6.0),
                };
                let _ = writeln!(
                    out,
                    r#"    <rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{colour}"><title>{}: {} {}–{}</title></rect>"#,
                    bar_y + inset,
                    (x1 - x0).max(1.0),
                    BAR_HEIGHT - 2.0 * inset,
                    escape(name),
                    activity_word(span.activity),
                    format_secs(span.start),
                    format_secs(span.end)
                );
            }
            y += ROW_HEIGHT;
        }
        // Axis with ticks at round times.
        let axis_y = y + 4.0;
        let _ = writeln!(
            out,
            r#"    <line x1="{left:.1}" y1="{axis_y:.1}" x2="{right:.1}" y2="{axis_y:.1}" stroke="{MUTED}" stroke-width="1"/>"#
        );
        if !step.is_zero() {
            let mut t = Duration::ZERO;
            while t <= scale {
                let tx = x(t);
                let _ = writeln!(
                    out,
                    r#"    <line x1="{tx:.1}" y1="{axis_y:.1}" x2="{tx:.1}" y2="{:.1}" stroke="{MUTED}" stroke-width="1"/>"#,
                    axis_y + 4.0
                );
                let _ = writeln!(
                    out,
                    r#"    <text x="{tx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{MUTED}">{}</text>"#,
                    axis_y + 17.0,
                    format_tick(t, step)
                );
                t += step;
            }
        }
        y += AXIS_HEIGHT + GAP;
        let _ = writeln!(out, "  </g>");
    }

    // Legend.
    let _ = writeln!(out, r#"  <g class="legend">"#);
    let mut lx = MARGIN;
    let ly = y;
    for &(activity, text) in legend {
        let (colour, inset) = match activity {
            Activity::Running => (RUNNING, 0.0),
            Activity::Waiting => (WAITING, 0.0),
            Activity::Ready => (READY, 4.0),
        };
        let _ = writeln!(
            out,
            r#"    <rect x="{lx:.1}" y="{:.1}" width="22" height="{:.1}" fill="{colour}"/>"#,
            ly + inset,
            12.0 - 2.0 * inset
        );
        let _ = writeln!(
            out,
            r#"    <text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}">{}</text>"#,
            lx + 28.0,
            ly + 10.5,
            escape(text)
        );
        lx += 28.0 + text.chars().count() as f64 * 6.4 + 24.0;
    }
    let _ = writeln!(out, "  </g>");
    out.push_str("</svg>\n");
    out
}

/// A short word for an activity, for tooltips.
fn activity_word(activity: Activity) -> &'static str {
    match activity {
        Activity::Running => "running",
        Activity::Waiting => "waiting",
        Activity::Ready => "ready",
    }
}

/// A round distance between axis ticks: 1, 2 or 5 times a power of ten
/// seconds, giving about five ticks over `scale`.
fn nice_step(scale: Duration) -> Duration {
    if scale.is_zero() {
        return Duration::ZERO;
    }
    let rough = scale.as_secs_f64() / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    Duration::from_secs_f64(step)
}

/// An axis label with as many decimals as the tick step needs.
fn format_tick(t: Duration, step: Duration) -> String {
    let decimals = (-step.as_secs_f64().log10()).ceil().max(0.0) as usize;
    format!("{:.*}s", decimals, t.as_secs_f64())
}

/// Escapes text for SVG content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn sample() -> Timeline {
        let mut t = Timeline::new("Sample", ["a", "bb"]);
        t.push(0, Activity::Running, ms(0), ms(200));
        t.push(0, Activity::Waiting, ms(200), ms(600));
        t.push(1, Activity::Ready, ms(0), ms(200));
        t.push(1, Activity::Running, ms(200), ms(400));
        t.push(1, Activity::Waiting, ms(400), ms(1000));
        t
    }

    #[test]
    fn renders_expected_text() {
        let text = sample().render(20);
        let expected = "\
Sample          total 1.00s
  a  │████░░░░░░░░        │
  bb │····████░░░░░░░░░░░░│
     └──────────┬─────────┘
     0.00s    0.50s   1.00s
";
        assert_eq!(text, expected);
    }

    #[test]
    fn wide_axis_has_five_labels_and_lines_fit() {
        let text = sample().render(60);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 2 + 2);
        let axis = lines[4];
        for label in ["0.00s", "0.25s", "0.50s", "0.75s", "1.00s"] {
            assert!(axis.contains(label), "{axis:?} lacks {label}");
        }
        let widths: Vec<usize> = lines[..4].iter().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}");
        assert_eq!(lines[3].matches('┬').count(), 3);
    }

    #[test]
    fn running_wins_over_waiting() {
        let mut t = Timeline::new("Overlap", ["x"]);
        t.push(0, Activity::Waiting, ms(0), ms(100));
        t.push(0, Activity::Running, ms(20), ms(60));
        t.push(0, Activity::Ready, ms(0), ms(100));
        let text = t.render(10);
        let row = text.lines().nth(1).unwrap();
        assert_eq!(row, "  x │░░████░░░░│");
        // The order of recording does not matter.
        t.spans.reverse();
        assert_eq!(t.render(10).lines().nth(1).unwrap(), row);
    }

    #[test]
    fn short_running_span_still_shows() {
        let mut t = Timeline::new("Blip", ["x"]);
        t.push(0, Activity::Waiting, ms(0), ms(1000));
        t.push(0, Activity::Running, ms(500), ms(501));
        t.push(0, Activity::Ready, ms(999), ms(1000));
        let row = t.render(10).lines().nth(1).unwrap().to_string();
        assert_eq!(row, "  x │░░░░░█░░░░│");
    }

    #[test]
    fn empty_rows_are_blank() {
        let mut t = Timeline::new("Some idle", ["busy", "idle"]);
        t.push(0, Activity::Running, ms(0), ms(100));
        let text = t.render(8);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "  busy │████████│");
        assert_eq!(lines[2], "  idle │        │");
    }

    #[test]
    fn zero_total_renders_without_panicking() {
        let t = Timeline::new("Nothing", ["a", "b"]);
        let text = t.render(12);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5);
        assert!(lines[0].starts_with("Nothing") && lines[0].ends_with("total 0.00s"));
        assert_eq!(lines[1], "  a │            │");
        assert!(lines[4].contains("0.00s"));
        // No rows at all, width zero: still a header and an axis.
        let bare = Timeline::default().render(0);
        assert_eq!(bare.lines().count(), 3);
    }

    #[test]
    fn scaled_rendering_leaves_room_after_the_end() {
        let text = sample().render_scaled(10, ms(2000));
        assert_eq!(text.lines().nth(1).unwrap(), "  a  │█░░       │");
        assert!(text.lines().last().unwrap().ends_with("2.00s"));
    }

    #[test]
    fn overlap_measures_simultaneous_spans() {
        let t = sample();
        assert_eq!(t.overlap(Activity::Running), Duration::ZERO);
        assert_eq!(t.overlap(Activity::Waiting), ms(200));
        let mut touching = Timeline::new("Touch", ["a", "b"]);
        touching.push(0, Activity::Running, ms(0), ms(10));
        touching.push(1, Activity::Running, ms(10), ms(20));
        assert_eq!(touching.overlap(Activity::Running), Duration::ZERO);
    }

    /// Checks that every element opened is closed, in order.
    fn assert_balanced(svg: &str) {
        let mut open: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(at) = rest.find('<') {
            let end = rest[at..].find('>').expect("unclosed tag") + at;
            let tag = &rest[at + 1..end];
            rest = &rest[end + 1..];
            if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
                continue;
            }
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if tag.starts_with('/') {
                assert_eq!(
                    open.pop().as_deref(),
                    Some(name.as_str()),
                    "misnested </{name}>"
                );
            } else {
                open.push(name);
            }
        }
        assert!(open.is_empty(), "left open: {open:?}");
    }

    #[test]
    fn svg_is_well_formed_and_labelled() {
        let mut t = sample();
        t.rows[1] = "b & <c>".to_string();
        let svg = t.render_svg();
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_balanced(&svg);
        assert!(svg.contains(">a</text>"));
        assert!(svg.contains(">b &amp; &lt;c&gt;</text>"));
        assert!(svg.contains("Sample"));
        for word in ["running", "waiting", "ready"] {
            assert!(svg.contains(word), "legend lacks {word}");
        }
    }

    #[test]
    fn svg_stack_has_every_title_and_row() {
        let mut other = sample();
        other.title = "Other".into();
        other.rows = vec!["first".into(), "second".into()];
        let svg = render_svg_stack(&[sample(), other]);
        assert_balanced(&svg);
        for label in ["Sample", "Other", ">a<", ">bb<", ">first<", ">second<"] {
            assert!(svg.contains(label), "missing {label}");
        }
        assert_eq!(svg.matches(r#"<g class="timeline">"#).count(), 2);
        // An empty timeline still makes a valid document.
        let empty = Timeline::default().render_svg();
        assert!(empty.starts_with("<svg"));
        assert_balanced(&empty);
    }

    #[test]
    fn tick_steps_are_round() {
        assert_eq!(nice_step(ms(1500)), ms(500));
        assert_eq!(nice_step(ms(3300)), ms(1000));
        assert_eq!(nice_step(ms(120)), ms(50));
        assert_eq!(format_tick(ms(1500), ms(500)), "1.5s");
        assert_eq!(format_tick(ms(2000), ms(1000)), "2s");
    }
}
