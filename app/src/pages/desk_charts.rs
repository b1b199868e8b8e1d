//! The desk's charts, drawn on the server as SVG (no script): weekly volume by
//! the furthest step cases reached, timely rate by platform, category mix.
//! Each carries its numbers as text too, so it reads without colour and prints.
use crate::i18n::Lang;
use crate::view::{DeskLine, DeskPage};
use leptos::prelude::*;

/// The drawing's width in its own units; text is sized in the same units.
const W: f64 = 480.0;

/// The three steps a case reaches, in the order they stack.
fn steps(lang: Lang) -> [&'static str; 3] {
    [lang.t("经营者处理", "Operator"), lang.t("转平台处理", "Platform"), lang.t("提交市场监管", "Market supervision")]
}

/// Weekly complaints, each bar stacked by the furthest step its cases reached.
pub fn weekly(lang: Lang, d: &DeskPage) -> impl IntoView {
    let max = d.weeks.iter().map(|(_, n)| n.iter().sum::<i64>()).max().unwrap_or(0).max(1) as f64;
    let (h, top, left, right) = (150.0, 16.0, 34.0, 18.0);
    let slot = (W - left - right) / d.weeks.len().max(1) as f64;
    let bars = d
        .weeks
        .iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let x = left + slot * i as f64 + slot * 0.15;
            let mut y = top + h;
            let parts = n
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0)
                .map(|(k, v)| {
                    let bh = h * *v as f64 / max;
                    y -= bh;
                    view! { <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{:.1}", slot * 0.7) height=format!("{bh:.1}") class=format!("s{k}")/> }
                })
                .collect_view();
            let total: i64 = n.iter().sum();
            let tip = format!("{label}: {total}");
            // Every few weeks a date under the axis, so a year stays legible.
            let every = d.weeks.len().div_ceil(6).max(1);
            let tick = (i % every == 0).then(|| view! {
                <text x=format!("{:.1}", x + slot * 0.35) y=format!("{:.1}", top + h + 16.0) class="tick" text-anchor="middle">{label.clone()}</text>
            });
            view! { <g><title>{tip}</title>{parts}</g>{tick} }
        })
        .collect_view();
    let names = steps(lang);
    let legend = (0..3).map(|k| view! { <li><span class=format!("key s{k}")></span>{names[k]}</li> }).collect_view();
    view! {
        <figure class="chart" id="chart-weekly">
            <figcaption>{lang.t("每周收到的投诉（按最远处理环节）", "Complaints per week (by the furthest step reached)")}</figcaption>
            <svg viewBox=format!("0 0 {W} {}", top + h + 24.0) role="img"
                aria-label=lang.t("每周投诉量柱状图", "Weekly complaints bar chart")>
                <line x1=left y1=top + h x2=W y2=top + h class="axis"/>
                <text x="0" y=top + 4.0 class="tick">{max as i64}</text>
                <text x="0" y=top + h class="tick">"0"</text>
                {bars}
            </svg>
            <ul class="legend">{legend}</ul>
        </figure>
    }
}

/// One horizontal bar per item: a label, a bar of `value` out of `max`, and its text.
fn hbars(
    items: Vec<(String, f64, String)>,
    max: f64,
    id: &'static str,
    caption: &'static str,
    aria: &'static str,
) -> impl IntoView {
    let row = 28.0;
    let (label_w, bar_w) = (150.0, W - 150.0 - 60.0);
    let n = items.len();
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(i, (label, v, text))| {
            let y = row * i as f64;
            let w = if max > 0.0 { bar_w * v / max } else { 0.0 };
            // Long category names are cut; the full name is the bar's title.
            let shown: String = label.chars().take(10).collect();
            view! {
                <g>
                    <title>{format!("{label}: {text}")}</title>
                    <text x="0" y=format!("{:.1}", y + 19.0) class="label">{shown}</text>
                    <rect x=label_w y=format!("{:.1}", y + 5.0) width=format!("{w:.1}") height="18" class="s0"/>
                    <text x=format!("{:.1}", label_w + w + 6.0) y=format!("{:.1}", y + 19.0) class="value">{text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption>{caption}</figcaption>
            <svg viewBox=format!("0 0 {W} {}", row * n.max(1) as f64 + 4.0) role="img" aria-label=aria>{rows}</svg>
        </figure>
    }
}

/// The share of first answers (D1) and platform decisions (D3) given in time, per platform.
pub fn timely_by_platform(lang: Lang, platforms: &[DeskLine]) -> impl IntoView {
    let items = platforms
        .iter()
        .take(12)
        .map(|p| {
            let (d1, d3) = (p.tally.kept[0], p.tally.kept[1]);
            let (ended, in_time) = (d1.ended + d3.ended, d1.in_time + d3.in_time);
            match redline_rules::desk::percent(in_time, ended) {
                Some(r) => (p.name.clone(), r as f64, format!("{r}%")),
                None => (p.name.clone(), 0.0, lang.t("尚无", "none yet").to_owned()),
            }
        })
        .collect();
    hbars(
        items,
        100.0,
        "chart-timely",
        lang.t(
            "各平台按时答复率（经营者首次答复与平台处理）",
            "Timely rate by platform (first answers and platform decisions)",
        ),
        lang.t("各平台按时答复率条形图", "Timely rate by platform bar chart"),
    )
}

pub fn categories(lang: Lang, cats: &[(String, i64)]) -> impl IntoView {
    let max = cats.iter().map(|(_, n)| *n).max().unwrap_or(0) as f64;
    let items = cats.iter().take(10).map(|(c, n)| (c.clone(), *n as f64, n.to_string())).collect();
    hbars(
        items,
        max,
        "chart-categories",
        lang.t("投诉类别分布（一件投诉可涉及多个类别）", "Categories (a complaint may name several)"),
        lang.t("投诉类别条形图", "Categories bar chart"),
    )
}
