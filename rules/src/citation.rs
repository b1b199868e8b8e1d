//! Citations as readers write them. The code cites "Order 117 Art. 20"; a
//! Chinese page shows 《直播电商监督管理办法》第二十条. Unknown forms are left as
//! they are rather than guessed.

/// The law an English citation names, by its Chinese title.
fn law(name: &str) -> Option<&'static str> {
    Some(match name {
        "Order 117" => "《直播电商监督管理办法》",
        "Order 121" => "《市场监督管理投诉举报处理办法》",
        "CPL Regs" => "《消费者权益保护法实施条例》",
        "PIPL" => "《个人信息保护法》",
        "CPL" => "《消费者权益保护法》",
        _ => return None,
    })
}

/// 1 → 一, 20 → 二十, 23 → 二十三, 105 → 一百零五.
pub fn numeral(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => {
            format!("{}十{}", D[(n / 10) as usize], if n.is_multiple_of(10) { "" } else { D[(n % 10) as usize] })
        }
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", D[rest as usize]),
                10..=19 => format!("一{}", numeral(rest)),
                _ => numeral(rest),
            };
            format!("{}百{tail}", D[(n / 100) as usize])
        }
        _ => n.to_string(),
    }
}

/// "23(5)" → 第二十三条第（五）项; "23 ¶2" → 第二十三条第二款; "20" → 第二十条.
fn article(a: &str) -> Option<String> {
    let a = a.trim();
    let (a, para) = match a.split_once('¶') {
        Some((a, p)) => (a.trim(), Some(p.trim().parse::<u32>().ok()?)),
        None => (a, None),
    };
    let (num, item) = match a.split_once('(') {
        Some((n, i)) => (n, Some(i.strip_suffix(')')?.parse::<u32>().ok()?)),
        None => (a, None),
    };
    let mut out = format!("第{}条", numeral(num.trim().parse().ok()?));
    if let Some(p) = para {
        out.push_str(&format!("第{}款", numeral(p)));
    }
    if let Some(i) = item {
        out.push_str(&format!("第（{}）项", numeral(i)));
    }
    Some(out)
}

fn one(c: &str) -> Option<String> {
    let (name, arts) = c.split_once(" Arts. ").or_else(|| c.split_once(" Art. "))?;
    let mut out = law(name.trim())?.to_owned();
    let parts: Vec<String> = arts
        .split(", ")
        .map(|p| match p.split_once('–') {
            Some((from, to)) => Some(format!("{}至{}", article(from)?, article(to)?)),
            None => article(p),
        })
        .collect::<Option<_>>()?;
    out.push_str(&parts.join("、"));
    Some(out)
}

/// A citation in Chinese; several, separated by "; ", each converted. The
/// "[policy]" mark is dropped (pages say 平台规则 themselves).
pub fn zh(citation: &str) -> String {
    let c = citation.trim().trim_start_matches("[policy]").trim();
    c.split("; ").map(|part| one(part).unwrap_or_else(|| part.to_owned())).collect::<Vec<_>>().join("；")
}

/// A citation without the "[policy]" mark, for English pages.
pub fn en(citation: &str) -> String {
    citation.trim().trim_start_matches("[policy]").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_as_laws_number_their_articles() {
        let got: Vec<String> = [1, 10, 11, 20, 23, 46, 99, 100, 105, 110, 121].iter().map(|n| numeral(*n)).collect();
        assert_eq!(
            got,
            ["一", "十", "十一", "二十", "二十三", "四十六", "九十九", "一百", "一百零五", "一百一十", "一百二十一"]
        );
    }

    #[test]
    fn order117_art20_and_order121_art23_read_as_the_laws_title_and_article() {
        assert_eq!(zh("[policy] Order 117 Art. 20"), "《直播电商监督管理办法》第二十条");
        assert_eq!(zh("Order 121 Art. 16(3)"), "《市场监督管理投诉举报处理办法》第十六条第（三）项");
        assert_eq!(zh("Order 121 Art. 23 ¶2"), "《市场监督管理投诉举报处理办法》第二十三条第二款");
        assert_eq!(zh("[policy] Order 117 Arts. 16, 18"), "《直播电商监督管理办法》第十六条、第十八条");
        assert_eq!(zh("Order 121 Arts. 21–23(5)"), "《市场监督管理投诉举报处理办法》第二十一条至第二十三条第（五）项");
        assert_eq!(
            zh("Order 121 Art. 15; CPL Regs Art. 46"),
            "《市场监督管理投诉举报处理办法》第十五条；《消费者权益保护法实施条例》第四十六条"
        );
        assert_eq!(zh("[policy]"), "");
        assert_eq!(zh("GB/T 2260"), "GB/T 2260", "unknown forms are left alone");
        assert_eq!(en("[policy] Order 117 Art. 20"), "Order 117 Art. 20");
    }
}
