//! What the public may read of a consumer's narrative, when the consumer
//! opted in to publish it (PIPL Art. 25: no publication without separate
//! consent): names, phone numbers, ID numbers, bank cards, order and waybill
//! numbers, e-mail addresses and street addresses become `XXXX`, dates
//! `XX/XX/XXXX` (the CFPB narrative scrubbing standard). Addresses keep the
//! province and city. Best effort on free text: a moderator approves every
//! narrative before it is published.

const MASK: &str = "XXXX";
const DATE_MASK: &str = "XX/XX/XXXX";

/// Words after which a person's name follows (我叫张三, 联系人：李四).
const NAME_CUES: [&str; 9] = ["我叫", "名叫", "姓名：", "姓名:", "联系人：", "联系人:", "收件人：", "收件人:", "本人"];
/// Titles after a surname (王先生, 李女士).
const TITLES: [&str; 3] = ["先生", "女士", "小姐"];
/// Characters before a title that are not a surname (一位先生, 这名女士).
const NOT_SURNAMES: [char; 9] = ['位', '名', '个', '这', '那', '该', '此', '的', '各'];
/// Characters that end the part of an address below the city.
const PLACE_PARTS: [char; 14] = ['区', '县', '镇', '乡', '路', '街', '道', '巷', '弄', '号', '栋', '室', '村', '幢'];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The narrative as the public may read it.
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(n) = date_at(&chars, i) {
            out.push_str(DATE_MASK);
            i += n;
        } else if let Some(n) = number_at(&chars, i) {
            out.push_str(MASK);
            i += n;
        } else if let Some((keep, n)) = address_at(&chars, i) {
            out.extend(&chars[i..i + keep]);
            out.push_str(MASK);
            i += n;
        } else if let Some((cue, n)) = name_at(&chars, i) {
            out.extend(&chars[i..i + cue]);
            out.push_str(MASK);
            i += n;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn starts(chars: &[char], i: usize, s: &str) -> bool {
    s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c))
}

fn digits(chars: &[char], i: usize) -> usize {
    chars[i..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日, 11月20日: the length.
fn date_at(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && chars[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let y = digits(chars, i);
    // Year first, with a separator.
    if y == 4 {
        let sep = *chars.get(i + 4)?;
        if matches!(sep, '-' | '/' | '.' | '年') {
            let m = digits(chars, i + 5);
            if (1..=2).contains(&m) {
                let after_m = i + 5 + m;
                let sep2 = chars.get(after_m).copied();
                let ok = if sep == '年' { sep2 == Some('月') } else { sep2 == Some(sep) };
                if ok {
                    let d = digits(chars, after_m + 1);
                    if (1..=2).contains(&d) {
                        let end = after_m + 1 + d;
                        return Some(
                            end - i + usize::from(chars.get(end) == Some(&'日') || chars.get(end) == Some(&'号')),
                        );
                    }
                }
            }
        }
    }
    // Month and day: 11月20日.
    if (1..=2).contains(&y) && chars.get(i + y) == Some(&'月') {
        let d = digits(chars, i + y + 1);
        let end = i + y + 1 + d;
        if (1..=2).contains(&d) && matches!(chars.get(end), Some('日') | Some('号')) {
            return Some(end + 1 - i);
        }
    }
    None
}

/// A number that points at a person or an account: a mobile or landline
/// number, an ID or bank card number, an order or waybill number (letters
/// then at least six digits), an e-mail address. Prices and counts stay.
fn number_at(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '@' || chars[i - 1] == '.') {
        return None;
    }
    // An e-mail address: a run of address characters holding one @.
    let run =
        chars[i..].iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+')).count();
    let token: String = chars[i..i + run].iter().collect();
    let token = token.trim_end_matches(['.', '-']);
    if token.matches('@').count() == 1 && token.split('@').all(|p| !p.is_empty()) && token.contains('.') {
        return Some(token.chars().count());
    }
    // Letters then digits: order numbers (XH20261120001) and waybills (SF1234567890).
    let letters = chars[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters > 0 && letters <= 4 {
        let n = digits(chars, i + letters);
        if n >= 6 {
            return Some(letters + n);
        }
        return None;
    }
    if !chars[i].is_ascii_digit() {
        return None;
    }
    // Digits, in groups joined by single spaces or hyphens (138-0013-8000, 6222 0000 …).
    let mut k = i;
    let mut count = 0;
    loop {
        let n = digits(chars, k);
        count += n;
        k += n;
        match (chars.get(k), chars.get(k + 1)) {
            (Some(' ' | '-'), Some(c)) if c.is_ascii_digit() => k += 1,
            _ => break,
        }
    }
    // An ID number may end in X.
    if count == 17 && matches!(chars.get(k), Some('X' | 'x')) {
        return Some(k + 1 - i);
    }
    if chars.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    (count >= 7).then_some(k - i)
}

/// A street address: (chars kept, chars consumed). "杭州市西湖区文三路1号"
/// keeps "杭州市" and masks the rest; "住在文三路100号" keeps "住在".
fn address_at(chars: &[char], i: usize) -> Option<(usize, usize)> {
    let word = |c: char| is_cjk(c) || c.is_ascii_digit();
    // Tried once per run of Chinese text and digits, at its start.
    if i > 0 && word(chars[i - 1]) || !word(chars[i]) {
        return None;
    }
    let run = chars[i..].iter().take_while(|c| word(**c) || **c == '-').count();
    let part: &[char] = &chars[i..i + run];
    // A street (路, 街, …) with a number after it.
    let street = part.iter().position(|c| matches!(c, '路' | '街' | '巷' | '弄' | '道'))?;
    if !part[street..].iter().any(|c| c.is_ascii_digit()) || street < 2 {
        return None;
    }
    // Kept: up to the city (province and city are public), else the words before the street's name.
    let keep = match part[..street].iter().rposition(|c| *c == '市') {
        Some(p) => p + 1,
        None => street - 2,
    };
    // Ends after the last number or place part (号, 室, 幢, …): the words after it stay.
    let end = part.iter().rposition(|c| PLACE_PARTS.contains(c) || c.is_ascii_digit()).map_or(run, |p| p + 1);
    Some((keep, end))
}

/// A name after a cue, or a surname before a title: (chars kept, chars consumed).
fn name_at(chars: &[char], i: usize) -> Option<(usize, usize)> {
    for cue in NAME_CUES {
        if starts(chars, i, cue) {
            let at = i + cue.chars().count();
            let n = chars[at..].iter().take(3).take_while(|c| is_cjk(**c)).count();
            // 本人 is often followed by a verb ("本人购买"): a name is two or three characters then a break.
            let n = if cue == "本人" && chars.get(at + n).is_none_or(|c| is_cjk(*c)) { 0 } else { n };
            if n >= 2 {
                return Some((cue.chars().count(), cue.chars().count() + n));
            }
        }
    }
    // 王先生, 李女士: the surname is masked, the title kept.
    if is_cjk(chars[i]) && !NOT_SURNAMES.contains(&chars[i]) && TITLES.iter().any(|t| starts(chars, i + 1, t)) {
        return Some((0, 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn phone_id_card_and_order_numbers_become_xxxx() {
        assert_eq!(scrub("我的电话13800138000，请联系"), "我的电话XXXX，请联系");
        assert_eq!(scrub("电话 138-0013-8000"), "电话 XXXX");
        assert_eq!(scrub("座机0571-88886666"), "座机XXXX");
        assert_eq!(scrub("身份证33010619900101123X已提交"), "身份证XXXX已提交");
        assert_eq!(scrub("卡号6222 0212 3456 7890 123"), "卡号XXXX");
        assert_eq!(scrub("订单号XH20261120001，快递单号SF1234567890"), "订单号XXXX，快递单号XXXX");
        assert_eq!(scrub("邮箱 zhang.san@example.com 可联系"), "邮箱 XXXX 可联系");
    }

    #[test]
    fn prices_counts_and_claims_stay() {
        let s = "主播称原价999元，现价199元，30瓶装，三天美白，第2次购买。";
        assert_eq!(scrub(s), s);
    }

    #[test]
    fn dates_become_xx_xx_xxxx() {
        assert_eq!(scrub("2026-11-20晚上下单"), "XX/XX/XXXX晚上下单");
        assert_eq!(scrub("于2026年11月20日收到"), "于XX/XX/XXXX收到");
        assert_eq!(scrub("11月20日直播时"), "XX/XX/XXXX直播时");
    }

    #[test]
    fn addresses_keep_province_and_city() {
        assert_eq!(scrub("寄到浙江省杭州市西湖区文三路1号，"), "寄到浙江省杭州市XXXX，");
        assert_eq!(scrub("地址：杭州市拱墅区湖墅南路88号3幢501室，收到后"), "地址：杭州市XXXX，收到后");
        assert_eq!(scrub("住在文三路100号附近"), "住在XXXX附近");
    }

    #[test]
    fn names_after_cues_and_before_titles() {
        assert_eq!(scrub("我叫张三，在直播间购买"), "我叫XXXX，在直播间购买");
        assert_eq!(scrub("联系人：李小明"), "联系人：XXXX");
        assert_eq!(scrub("客服王先生说可以退"), "客服XXXX先生说可以退");
        assert_eq!(scrub("本人购买了两瓶"), "本人购买了两瓶");
    }

    #[test]
    fn a_real_looking_narrative() {
        let s = "我叫张三，2026年11月20日晚在星河直播的优选好物直播间下单（订单号XH20261120001，金额299元）。\
                 主播称该饮品可以三天美白。收货地址浙江省杭州市西湖区文三路1号，电话13800138000。";
        let out = scrub(s);
        for gone in ["张三", "XH20261120001", "文三路", "13800138000", "2026年11月20日"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in ["星河直播", "优选好物直播间", "299元", "三天美白", "浙江省杭州市"] {
            assert!(out.contains(kept), "{kept} lost from {out}");
        }
    }
}
