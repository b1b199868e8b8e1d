//! One-sentence explanations of a deadline, in Chinese and English.

use super::{CalendarKind, DayKind, Deadline, Explanation};

/// Counts per label, in order of first appearance ("" = weekend, listed first).
fn tally(labels: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = vec![(String::new(), 0)];
    for l in labels {
        match out.iter_mut().find(|(k, _)| *k == l) {
            Some((_, n)) => *n += 1,
            None => out.push((l, 1)),
        }
    }
    out.retain(|(_, n)| *n > 0);
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn years(ys: &[i32], sep: &str) -> String {
    ys.iter().map(i32::to_string).collect::<Vec<_>>().join(sep)
}

impl Explanation {
    /// e.g. "自2026-02-13起算（当日不计），计7个工作日（含春节调休上班日2天），跳过周末1天、春节9天，2026-03-02届满"
    pub fn summary_zh(&self, d: &Deadline) -> String {
        let mut s = format!("自{}起算（当日不计），", d.start);
        s += &match d.kind {
            CalendarKind::Working => format!("计{}个工作日", d.days),
            CalendarKind::Natural => format!("计{}个自然日", d.days),
        };
        let make_up = tally(self.make_up_workdays.iter().map(|m| m.holiday_zh.clone()));
        if !make_up.is_empty() {
            let parts: Vec<_> = make_up.iter().map(|(h, n)| format!("{h}调休上班日{n}天")).collect();
            s += &format!("（含{}）", parts.join("、"));
        }
        let skipped = tally(self.skipped.iter().map(|k| match &k.reason {
            DayKind::Holiday { name_zh, .. } => name_zh.clone(),
            _ => String::new(), // weekend
        }));
        if !skipped.is_empty() {
            let parts: Vec<_> =
                skipped.iter().map(|(h, n)| format!("{}{n}天", if h.is_empty() { "周末" } else { h })).collect();
            s += &format!("，跳过{}", parts.join("、"));
        }
        if self.extra_days > 0 {
            s += &format!("，另加不计入期间的{}天", self.extra_days);
            if let Some(r) = &self.extra_reason {
                // The stored reason is written in English (Order 121 Arts. 21–22 pauses);
                // a Chinese reader gets it in Chinese.
                if r.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                    s += &format!("（{r}）");
                } else if r.starts_with("paused") {
                    s += "（调解因检测、鉴定或回避中止的期间不计入，《市场监督管理投诉举报处理办法》第二十一、二十二条）";
                } else if r.starts_with("held") {
                    s += "（案件被标记为涉嫌欺诈期间不计入，《市场监督管理投诉举报处理办法》第二十三条第六项）";
                }
            }
        }
        if let Some(m) = &self.moved {
            s += &format!("，末日{}为{}假期，顺延至{}", m.from, m.holiday_zh, m.to);
        }
        s += &format!("，{}届满", d.due);
        if !self.provisional_years.is_empty() {
            s += &format!("；{}年放假安排尚未公布，按普通周末推算，结果为暂定", years(&self.provisional_years, "、"));
        }
        s
    }

    /// e.g. "Counted from 2026-02-13 (start day not counted): 7 working days
    /// (including 2 make-up workdays for Spring Festival), skipping 1 weekend
    /// day and 9 days of Spring Festival; due 2026-03-02"
    pub fn summary_en(&self, d: &Deadline) -> String {
        let mut s = format!("Counted from {} (start day not counted): ", d.start);
        s += &match d.kind {
            CalendarKind::Working => plural(d.days as usize, "working day", "working days"),
            CalendarKind::Natural => plural(d.days as usize, "natural day", "natural days"),
        };
        let make_up = tally(self.make_up_workdays.iter().map(|m| m.holiday_en.clone()));
        if !make_up.is_empty() {
            let parts: Vec<_> = make_up
                .iter()
                .map(|(h, n)| format!("{} for {h}", plural(*n, "make-up workday", "make-up workdays")))
                .collect();
            s += &format!(" (including {})", parts.join(" and "));
        }
        let skipped = tally(self.skipped.iter().map(|k| match &k.reason {
            DayKind::Holiday { name_en, .. } => name_en.clone(),
            _ => String::new(), // weekend
        }));
        if !skipped.is_empty() {
            let parts: Vec<_> = skipped
                .iter()
                .map(|(h, n)| match h.is_empty() {
                    true => plural(*n, "weekend day", "weekend days"),
                    false => format!("{} of {h}", plural(*n, "day", "days")),
                })
                .collect();
            s += &format!(", skipping {}", parts.join(" and "));
        }
        if self.extra_days > 0 {
            s += &format!(", plus {} not counted", plural(self.extra_days as usize, "day", "days"));
            if let Some(r) = &self.extra_reason {
                s += &format!(" ({r})");
            }
        }
        if let Some(m) = &self.moved {
            s += &format!(", last day {} falls in {}, moved to {}", m.from, m.holiday_en, m.to);
        }
        s += &format!("; due {}", d.due);
        if !self.provisional_years.is_empty() {
            s += &format!(
                " (provisional: no official holiday data for {}; weekends assumed)",
                years(&self.provisional_years, ", ")
            );
        }
        s
    }
}
