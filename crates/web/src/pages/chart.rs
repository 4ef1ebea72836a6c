//! A measure's values over time as an accessible SVG line chart, drawn on
//! the server (no script): the page shows the same numbers in a table.

use placeweave_domain::Measure;
use placeweave_domain::outcome::MeasureValue;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 48.0;

pub struct Point {
    pub x: String,
    pub y: String,
    pub year: i32,
}

pub struct Tick {
    pub y: String,
    pub label: String,
}

pub struct Chart {
    pub title: String,
    pub desc: String,
    pub path: String,
    pub points: Vec<Point>,
    pub ticks: Vec<Tick>,
    pub axis_y: String,
    pub axis_x_end: String,
    pub label_y: String,
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// Tidy labels: trailing zeros dropped.
fn label(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Chart {
    /// The chart of a measure's place-wide values; none without values.
    pub fn of(measure: &Measure, whole: &[MeasureValue]) -> Option<Chart> {
        let mut values: Vec<&MeasureValue> = whole.iter().collect();
        values.sort_by_key(|v| v.year);
        let first = values.first()?;
        let last = values.last()?;
        let numbers: Vec<f64> = values.iter().map(|v| v.number()).collect();
        let (mut lo, mut hi) = numbers
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), n| (lo.min(*n), hi.max(*n)));
        if (hi - lo).abs() < f64::EPSILON {
            lo -= 1.0;
            hi += 1.0;
        }
        let (y0, y1) = (first.year, last.year.max(first.year + 1));
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let x = |year: i32| LEFT + plot_w * f64::from(year - y0) / f64::from(y1 - y0);
        let y = |n: f64| TOP + plot_h * (hi - n) / (hi - lo);
        let points: Vec<Point> = values
            .iter()
            .zip(&numbers)
            .map(|(v, n)| Point {
                x: fmt(x(v.year)),
                y: fmt(y(*n)),
                year: v.year,
            })
            .collect();
        let path = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}{},{}", if i == 0 { "M" } else { "L" }, p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ");
        let ticks = (0..=4)
            .map(|i| {
                let n = lo + (hi - lo) * f64::from(i) / 4.0;
                Tick {
                    y: fmt(y(n)),
                    label: label(n),
                }
            })
            .collect();
        let listed = values
            .iter()
            .map(|v| format!("{}: {}", v.year, v.value))
            .collect::<Vec<_>>()
            .join("; ");
        Some(Chart {
            title: format!(
                "{} ({}), {} to {}",
                measure.name, measure.unit, first.year, last.year
            ),
            desc: format!(
                "Line chart of {} in {} by year. {}. {}. The table below gives the same figures.",
                measure.name,
                measure.unit,
                measure.direction.label(),
                listed
            ),
            path,
            points,
            ticks,
            axis_y: fmt(TOP + plot_h),
            axis_x_end: fmt(WIDTH - RIGHT),
            label_y: fmt(HEIGHT - 12.0),
        })
    }

    pub fn width(&self) -> String {
        fmt(WIDTH)
    }
    pub fn height(&self) -> String {
        fmt(HEIGHT)
    }
    pub fn left(&self) -> String {
        fmt(LEFT)
    }
}
