//! Charts a front-end can embed: an indicator's time series as SVG, drawn with plotters (SVG
//! backend only). Screen readers get a `<title>` and a `<desc>` that says in words (German) what
//! the chart shows; numbers and dates are formatted the German way (`1.234,5`, `29.11.2026`).

use plotters::prelude::*;

use super::service::ChartData;
use crate::error::{AppError, AppResult};

const WIDTH: u32 = 720;
const HEIGHT: u32 = 400;
/// The colours of the lines: the municipality's first (Okabe–Ito, distinguishable with colour blindness).
const COLOURS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];

/// A number the German way: `.` groups thousands, `,` marks decimals; rounded half up as the
/// number is written ([`crate::text::decimal_half_up`]), here and wherever it is shown.
pub fn german_number(value: f64, decimals: usize) -> String {
    let text = crate::text::decimal_half_up(value.abs(), decimals);
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn decimals(data: &ChartData) -> usize {
    usize::try_from(data.indicator.decimals).unwrap_or(1)
}

/// The chart's title: what, where.
pub fn title(data: &ChartData) -> String {
    format!("{} – {}", data.indicator.name_de, data.municipality.name)
}

/// The chart in words, for screen readers.
pub fn description(data: &ChartData) -> String {
    let unit = &data.indicator.unit;
    let mut parts = Vec::new();
    for line in &data.lines {
        let values: Vec<String> = line
            .points
            .iter()
            .map(|(year, value)| format!("{year}: {} {unit}", german_number(*value, decimals(data))))
            .collect();
        let text = if values.is_empty() {
            "keine Werte".to_owned()
        } else {
            values.join("; ")
        };
        parts.push(format!("{}: {text}.", line.label));
    }
    let mut description = format!(
        "Liniendiagramm der Zeitreihe „{}“ ({unit}). {}",
        data.indicator.name_de,
        parts.join(" ")
    );
    description.push_str(&format!(" Quelle: {}.", data.indicator.source));
    if let Some(updated) = data.updated_at {
        description.push_str(&format!(" Stand: {}.", updated.format("%d.%m.%Y")));
    }
    description
}

/// The ranges of the axes: the years of every line, and the values with a margin (from zero
/// when all values are positive and near it).
fn ranges(data: &ChartData) -> (std::ops::Range<i32>, std::ops::Range<f64>) {
    let points = data.lines.iter().flat_map(|line| line.points.iter());
    let (mut first, mut last, mut low, mut high) = (i32::MAX, i32::MIN, f64::MAX, f64::MIN);
    for (year, value) in points {
        first = first.min(*year);
        last = last.max(*year);
        low = low.min(*value);
        high = high.max(*value);
    }
    if first > last {
        let year = super::service::this_year();
        return (year - 1..year + 1, 0.0..1.0);
    }
    let span = (high - low).abs().max(high.abs() * 0.1).max(1e-9);
    let low = if low >= 0.0 && low < span {
        0.0
    } else {
        low - span * 0.1
    };
    (first..last.max(first + 1), low..high + span * 0.1)
}

/// Draws the chart as SVG with its title and description.
pub fn render_svg(data: &ChartData) -> AppResult<String> {
    let mut svg = String::new();
    draw(data, &mut svg).map_err(|error| AppError::internal(anyhow::anyhow!("drawing the chart: {error}")))?;
    Ok(accessible(&svg, &title(data), &description(data)))
}

/// The height of one row of the legend below the plot.
const LEGEND_ROW: u32 = 22;

fn draw<'a>(data: &ChartData, svg: &'a mut String) -> Result<(), Box<dyn std::error::Error + 'a>> {
    // The legend goes below the plot, where it can hide no data point.
    let legend_rows = if data.lines.len() > 1 { legend_rows(data) } else { 0 };
    let legend_height = legend_rows * LEGEND_ROW + if legend_rows > 0 { 8 } else { 0 };
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT + legend_height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (plot, legend) = root.split_vertically(HEIGHT);
    let (years, values) = ranges(data);
    let places = decimals(data);
    let mut chart = ChartBuilder::on(&plot)
        .caption(title(data), ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(years.clone(), values)?;
    let year_count = usize::try_from(years.end - years.start + 1).unwrap_or(2);
    chart
        .configure_mesh()
        .x_labels(year_count.min(12))
        .x_label_formatter(&|year| year.to_string())
        .y_label_formatter(&|value| german_number(*value, places))
        .y_desc(data.indicator.unit.clone())
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (index, line) in data.lines.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let style = ShapeStyle::from(&colour).stroke_width(if index == 0 { 3 } else { 2 });
        chart.draw_series(LineSeries::new(line.points.iter().copied(), style))?;
        chart.draw_series(line.points.iter().map(|point| Circle::new(*point, 3, colour.filled())))?;
    }
    if legend_rows > 0 {
        draw_legend(data, &legend)?;
    }
    root.present()?;
    Ok(())
}

/// How many rows the legend takes: three entries a row.
fn legend_rows(data: &ChartData) -> u32 {
    u32::try_from(data.lines.len().div_ceil(3)).unwrap_or(1)
}

/// The legend below the plot: a sample of each line and its label, three a row.
fn draw_legend<DB: DrawingBackend>(
    data: &ChartData,
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let column = i32::try_from(WIDTH / 3).unwrap_or(240);
    let row = i32::try_from(LEGEND_ROW).unwrap_or(22);
    for (index, line) in data.lines.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let position = i32::try_from(index).unwrap_or(0);
        let x = 84 + (position % 3) * column;
        let y = 4 + (position / 3) * row + row / 2;
        area.draw(&PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3)))?;
        area.draw(&Text::new(line.label.clone(), (x + 24, y - 7), ("sans-serif", 14)))?;
    }
    Ok(())
}

/// Puts `<title>` and `<desc>` first into the `<svg>` element and names it an image labelled by
/// them.
fn accessible(svg: &str, title: &str, description: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let Some(end) = svg[start..].find('>').map(|offset| start + offset) else {
        return svg.to_owned();
    };
    format!(
        "{}<svg role=\"img\" aria-labelledby=\"chart-title chart-desc\" lang=\"de\"{}><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>{}",
        &svg[..start],
        &svg[start + 4..end],
        escape(title),
        escape(description),
        &svg[end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::german_number;

    #[test]
    fn numbers_the_german_way() {
        assert_eq!(german_number(1234.5, 1), "1.234,5");
        assert_eq!(german_number(1_234_567.0, 0), "1.234.567");
        assert_eq!(german_number(-0.25, 2), "-0,25");
        assert_eq!(german_number(-0.001, 1), "0,0");
        assert_eq!(german_number(12.0, 1), "12,0");
        assert_eq!(german_number(7.95, 1), "8,0");
        assert_eq!(german_number(2.675, 2), "2,68");
        assert_eq!(german_number(999_999.96, 1), "1.000.000,0");
    }
}
