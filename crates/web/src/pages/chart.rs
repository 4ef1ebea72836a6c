//! A measure's values over time as an accessible SVG line chart, drawn on
//! the server (no script) by `plotters`: the page wraps its drawing in an
//! `<svg role="img">` with a title and a description that lists every
//! value, and shows the same numbers in a table.

use placeweave_domain::Measure;
use placeweave_domain::outcome::MeasureValue;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 320;
/// GOV.UK's blue, and its text colour for the axes.
const LINE: RGBColor = RGBColor(29, 112, 184);
const TEXT: RGBColor = RGBColor(11, 12, 12);

pub struct Chart {
    pub title: String,
    pub desc: String,
    /// The drawing: the inside of plotters' SVG (no outer element).
    pub body: String,
}

/// Tidy labels: trailing zeros dropped.
fn label(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The inside of an SVG document: what lies between its outer tags.
fn inside(svg: &str) -> Option<&str> {
    let start = svg.find("<svg")?;
    let open_end = start + svg[start..].find('>')? + 1;
    let close = svg.rfind("</svg>")?;
    svg.get(open_end..close)
}

/// Draws the line of `points` (year, value) over the years `years` and
/// the values `values`.
fn draw(
    points: &[(i32, f64)],
    years: std::ops::Range<i32>,
    values: std::ops::Range<f64>,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(32)
            .y_label_area_size(56)
            .build_cartesian_2d(years, values)?;
        let year_count = points.len().clamp(2, 10);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(year_count)
            .y_labels(5)
            .x_label_formatter(&|year| year.to_string())
            .y_label_formatter(&|v| label(*v))
            .axis_style(TEXT)
            // (none at all overflows plotters' tick arithmetic)
            .max_light_lines(1)
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(177, 180, 182))
            // plotters draws text at 0.8 of the size asked: 13 px.
            .label_style(("sans-serif", 16).into_font().color(&TEXT))
            .draw()?;
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            LINE.stroke_width(3),
        ))?;
        chart.draw_series(
            points
                .iter()
                .map(|&point| Circle::new(point, 4, LINE.filled())),
        )?;
        root.present()?;
    }
    Ok(svg)
}

impl Chart {
    /// The chart of a measure's place-wide values; none without values (or
    /// if drawing fails: the table below still gives every figure).
    pub fn of(measure: &Measure, whole: &[MeasureValue]) -> Option<Chart> {
        let mut values: Vec<&MeasureValue> = whole.iter().collect();
        values.sort_by_key(|v| v.year);
        let first = values.first()?;
        let last = values.last()?;
        let points: Vec<(i32, f64)> = values.iter().map(|v| (v.year, v.number())).collect();
        let (mut lo, mut hi) = points
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), (_, n)| {
                (lo.min(*n), hi.max(*n))
            });
        // Room above and below the line, and a flat line in the middle.
        let pad = if (hi - lo).abs() < f64::EPSILON {
            1.0
        } else {
            (hi - lo) * 0.1
        };
        lo -= pad;
        hi += pad;
        let years = first.year..last.year.max(first.year + 1);
        // A drawing library's arithmetic must not take the page down: a
        // chart it cannot draw is left out, and the table still has it all.
        let drawn = std::panic::catch_unwind(|| {
            draw(&points, years.clone(), lo..hi).map_err(|e| e.to_string())
        });
        let svg = match drawn {
            Ok(Ok(svg)) => svg,
            Ok(Err(error)) => {
                tracing::warn!(%error, measure = %measure.id, "could not draw the chart");
                return None;
            }
            Err(_) => {
                tracing::warn!(measure = %measure.id, "the chart's drawing panicked");
                return None;
            }
        };
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
            body: inside(&svg)?.to_owned(),
        })
    }

    pub fn width(&self) -> u32 {
        WIDTH
    }
    pub fn height(&self) -> u32 {
        HEIGHT
    }
}

#[cfg(test)]
mod tests {
    use super::{Chart, inside};
    use placeweave_domain::outcome::{Direction, MeasureValue};
    use placeweave_domain::place::RecordRef;
    use placeweave_domain::{Audience, Measure};

    fn measure() -> Measure {
        Measure {
            id: "m".into(),
            signal: RecordRef {
                id: "s".into(),
                name: "S".into(),
            },
            name: "M".into(),
            unit: "years".into(),
            direction: Direction::Higher,
            source: None,
            source_url: None,
            licence: None,
            audience: Audience::Public,
            version: 1,
        }
    }

    #[test]
    fn every_value_is_a_point_whatever_the_numbers() {
        for values in [
            &[("2024", "61")][..],
            &[("2020", "5"), ("2021", "5"), ("2022", "5")],
            &[("2019", "-3.5"), ("2024", "1000000000")],
            &[("1990", "0.001"), ("2030", "0.002"), ("2000", "0.0015")],
        ] {
            let parsed: Vec<MeasureValue> = values
                .iter()
                .map(|(year, value)| MeasureValue::parse(year, "", value, "").expect("a value"))
                .collect();
            let chart = Chart::of(&measure(), &parsed).expect("drawn");
            assert_eq!(
                chart.body.matches("<circle").count(),
                values.len(),
                "{values:?}"
            );
            assert!(!chart.body.contains("<svg"), "only the inside");
        }
        assert!(Chart::of(&measure(), &[]).is_none());
    }

    #[test]
    fn the_inside_of_an_svg_document() {
        let svg = "<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\">\n<line/>\n</svg>\n";
        assert_eq!(inside(svg), Some("\n<line/>\n"));
        assert_eq!(inside("no drawing"), None);
    }
}
