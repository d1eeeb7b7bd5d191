//! The per-minute series as PNG charts: price (last trade, best bid and ask), spread and
//! volume. Drawn with plotters' bitmap backend only; text is set in a small embedded font
//! (`bots/assets/DejaVuSans-ASCII.ttf`, DejaVu Sans cut down to ASCII, under the Bitstream
//! Vera license beside it), so no system font is needed.

use super::error::SimError;
use super::report::Report;
use super::tape::{MinuteBar, MINUTE_MS};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

/// The embedded font.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans-ASCII.ttf");

/// The charts' size in pixels.
pub const CHART_SIZE: (u32, u32) = (1200, 500);

/// The files [`draw_all`] writes.
pub const CHART_FILES: [&str; 3] = ["price.png", "spread.png", "volume.png"];

/// Registers the embedded font as plotters' sans-serif, once.
fn register_font() {
    static REGISTERED: OnceLock<()> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
            .unwrap_or_else(|_| unreachable!("the embedded font is a valid TrueType font"));
    });
}

/// One series: its name, colour and points (hours, value; `None` for a gap).
struct Series<'a> {
    name: &'a str,
    colour: RGBColor,
    points: Vec<(f64, Option<f64>)>,
}

/// Draws the three charts into `dir`.
pub fn draw_all(report: &Report, dir: &Path) -> Result<(), SimError> {
    register_font();
    let bars = &report.minutes;
    let series = |name, colour, value: fn(&MinuteBar) -> Option<f64>| Series {
        name,
        colour,
        points: bars.iter().map(|bar| (hours(bar), value(bar))).collect(),
    };
    let price = [
        series("best bid", GREEN, |bar| bar.bid.map(|p| p as f64)),
        series("best ask", RED, |bar| bar.ask.map(|p| p as f64)),
        series("last trade", BLUE, |bar| bar.last_price.map(|p| p as f64)),
    ];
    let title = format!(
        "{} price at the end of each minute (credits)",
        report.symbol
    );
    lines(&dir.join(CHART_FILES[0]), &title, &price, 0)?;
    let spread = [series("mean spread", BLUE, |bar| bar.mean_spread)];
    let title = format!(
        "{} spread, time-weighted mean per minute (credits)",
        report.symbol
    );
    lines(&dir.join(CHART_FILES[1]), &title, &spread, 1)?;
    let title = format!("{} volume per minute (shares)", report.symbol);
    volume(&dir.join(CHART_FILES[2]), &title, bars)
}

/// The middle of a bar's minute, in virtual hours.
fn hours(bar: &MinuteBar) -> f64 {
    (bar.minute as f64 + 0.5) * MINUTE_MS as f64 / 3_600_000.0
}

/// The x range: the run's length in hours, at least one minute.
fn x_range(points: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let end = points.fold(1.0 / 60.0, f64::max);
    0.0..end + 1.0 / 120.0
}

/// The y range of some values, padded, never empty.
fn y_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    if low > high {
        return 0.0..1.0;
    }
    let pad = ((high - low) * 0.05).max(0.5);
    (low - pad).max(0.0)..high + pad
}

/// A line chart of `series`, each broken where it has no value, its y labels with
/// `decimals` decimals.
fn lines(path: &Path, title: &str, series: &[Series<'_>], decimals: usize) -> Result<(), SimError> {
    let failed = |error: &dyn std::fmt::Display| chart_error(path, error);
    let root = canvas(path)?;
    let all = || series.iter().flat_map(|s| s.points.iter());
    let x = x_range(all().map(|p| p.0));
    let y = y_range(all().filter_map(|p| p.1));
    let mut chart = axes(&root, path, title, (x, y), decimals)?;
    for one in series {
        let colour = one.colour;
        for (i, segment) in segments(&one.points).into_iter().enumerate() {
            let drawn = chart
                .draw_series(LineSeries::new(segment, colour))
                .map_err(|e| failed(&e))?;
            if i == 0 {
                drawn
                    .label(one.name)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
            }
        }
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))
}

/// The runs of consecutive present values.
fn segments(points: &[(f64, Option<f64>)]) -> Vec<Vec<(f64, f64)>> {
    let mut segments = vec![Vec::new()];
    for &(x, y) in points {
        match y {
            Some(y) => segments.last_mut().expect("never empty").push((x, y)),
            None if segments.last().is_some_and(|s| !s.is_empty()) => segments.push(Vec::new()),
            None => {}
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

/// A bar chart of the volume per minute.
fn volume(path: &Path, title: &str, bars: &[MinuteBar]) -> Result<(), SimError> {
    let failed = |error: &dyn std::fmt::Display| chart_error(path, error);
    let root = canvas(path)?;
    let x = x_range(bars.iter().map(hours));
    let y = y_range(bars.iter().map(|bar| bar.volume as f64));
    let mut chart = axes(&root, path, title, (x, 0.0..y.end), 0)?;
    let width = MINUTE_MS as f64 / 3_600_000.0;
    let rectangles = bars.iter().map(|bar| {
        let left = hours(bar) - width / 2.0;
        let corners = [(left, 0.0), (left + width, bar.volume as f64)];
        Rectangle::new(corners, BLUE.mix(0.7).filled())
    });
    chart.draw_series(rectangles).map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))
}

/// A chart drawn on a bitmap, with hours across and values up.
type Chart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A white bitmap of [`CHART_SIZE`] that `path` receives when presented.
fn canvas(path: &Path) -> Result<DrawingArea<BitMapBackend<'_>, Shift>, SimError> {
    let root = BitMapBackend::new(path, CHART_SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| chart_error(path, &e))?;
    Ok(root)
}

/// The frame every chart shares: a title, virtual hours across (`x`), and the `y` axis
/// labelled with `decimals` decimals.
fn axes<'a, 'b>(
    root: &'a DrawingArea<BitMapBackend<'b>, Shift>,
    path: &Path,
    title: &str,
    (x, y): (Range<f64>, Range<f64>),
    decimals: usize,
) -> Result<Chart<'a, 'b>, SimError> {
    let failed = |error: &dyn std::fmt::Display| chart_error(path, error);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x, y)
        .map_err(|e| failed(&e))?;
    chart
        .configure_mesh()
        .x_desc("virtual hours")
        .y_label_formatter(&|y| format!("{y:.decimals$}"))
        .draw()
        .map_err(|e| failed(&e))?;
    Ok(chart)
}

fn chart_error(path: &Path, error: &dyn std::fmt::Display) -> SimError {
    SimError::Chart {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_a_series() {
        let points = [(0.0, None), (1.0, Some(1.0)), (2.0, None), (3.0, Some(3.0))];
        assert_eq!(segments(&points), [vec![(1.0, 1.0)], vec![(3.0, 3.0)]]);
        assert!(segments(&[(0.0, None)]).is_empty());
    }

    #[test]
    fn ranges_are_never_empty() {
        assert_eq!(y_range(std::iter::empty()), 0.0..1.0);
        let flat = y_range([5.0, 5.0].into_iter());
        assert!(flat.start < 5.0 && flat.end > 5.0);
        assert!(x_range(std::iter::empty()).end > 0.0);
    }
}
