//! Dates and times as logs write them: ISO 8601 / RFC 3339 stamps, clock
//! times, numeric dates (`12/25/2023`, `25.12.2023`), the Common Log Format's
//! `10/Oct/2000:13:55:36`, and dates in words
//! (syslog, `ctime`, RFC 822/1123/2822, RFC 850, JavaScript).
//! The recognisers behind [`Kind::Timestamp`](crate::Kind::Timestamp).

fn digits(bytes: &[u8], count: usize) -> bool {
    bytes.len() >= count && bytes[..count].iter().all(u8::is_ascii_digit)
}

/// `2025-09-14`, `2025/09/14`, `2025-09-14T00:27:04.376Z`, `2025-09-14T00:27:04+00:00`.
pub(crate) fn is_date_time(bytes: &[u8]) -> bool {
    let is_date = digits(bytes, 4)
        && bytes.len() >= 10
        && matches!(bytes[4], b'-' | b'/')
        && bytes[7] == bytes[4]
        && digits(&bytes[5..], 2)
        && digits(&bytes[8..], 2);
    if !is_date {
        return false;
    }
    let rest = &bytes[10..];
    if rest.is_empty() {
        return true;
    }
    matches!(rest[0], b'T' | b't' | b'_') && is_clock_time_with_zone(&rest[1..])
}

/// `12/25/2023`, `25.12.2023`, `25-12-2023`: a date written day and month
/// first (in either order) with numbers, as US and European locales print
/// it. The first two numbers have one or two digits, both at most 31 and one
/// at most 12; the year has four digits, from 1970 to 2099, so that versions
/// (`6.1.7601`) stay numbers. A two-digit year is no date here: `1/1/12` is
/// as often a switch port and `1.2.06` a version.
pub(crate) fn is_numeric_date(bytes: &[u8]) -> bool {
    let number = |at: usize| -> Option<(u32, usize)> {
        let len = bytes
            .get(at..)?
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let value = bytes[at..at + len]
            .iter()
            .fold(0, |n, &b| n * 10 + u32::from(b - b'0'));
        matches!(len, 1 | 2).then_some((value, at + len))
    };
    let Some((first, end)) = number(0) else {
        return false;
    };
    let separator = match bytes.get(end) {
        Some(&b) if matches!(b, b'/' | b'.' | b'-') => b,
        _ => return false,
    };
    let Some((second, end)) = number(end + 1) else {
        return false;
    };
    if bytes.get(end) != Some(&separator) {
        return false;
    }
    let year = &bytes[end + 1..];
    let year_ok = year.len() == 4
        && year.iter().all(u8::is_ascii_digit)
        && matches!(&year[..2], b"19" | b"20")
        && year >= &b"1970"[..];
    year_ok && (1..=31).contains(&first) && (1..=31).contains(&second) && first.min(second) <= 12
}

/// `10/Oct/2000:13:55:36`: the date and time of the Common Log Format
/// (Apache, nginx access logs); its zone (`-0700`) follows as a word.
pub(crate) fn is_common_log_date(bytes: &[u8]) -> bool {
    bytes.len() >= 20
        && digits(bytes, 2)
        && bytes[2] == b'/'
        && is_calendar_name(&bytes[3..6], &MONTHS)
        && bytes[6] == b'/'
        && digits(&bytes[7..], 4)
        && bytes[11] == b':'
        && is_clock_time(&bytes[12..])
}

/// `00:27:04`, `00:27:04.376098`, `00:27`, `00:27:04,123` (log4j).
pub(crate) fn is_clock_time(bytes: &[u8]) -> bool {
    is_clock_time_with_zone(bytes)
}

fn is_clock_time_with_zone(bytes: &[u8]) -> bool {
    if !(digits(bytes, 2) && bytes.len() >= 5 && bytes[2] == b':' && digits(&bytes[3..], 2)) {
        return false;
    }
    let mut rest = &bytes[5..];
    if rest.first() == Some(&b':') && digits(&rest[1..], 2) {
        rest = &rest[3..];
    }
    if matches!(rest.first(), Some(b'.' | b',')) {
        let fraction = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if fraction == 0 {
            return false;
        }
        rest = &rest[1 + fraction..];
    }
    match rest {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', zone @ ..] => {
            matches!(zone.len(), 2 | 4 | 5)
                && zone
                    .iter()
                    .enumerate()
                    .all(|(i, b)| b.is_ascii_digit() || (i == 2 && *b == b':'))
        }
        _ => false,
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Whether `bytes` starts with a weekday or month abbreviation: the cheap
/// test before [`date_phrase_len`].
pub(crate) fn starts_with_calendar_name(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [b'M', b'o', b'n', ..]
            | [b'T', b'u', b'e', ..]
            | [b'W', b'e', b'd', ..]
            | [b'T', b'h', b'u', ..]
            | [b'F', b'r', b'i', ..]
            | [b'S', b'a', b't', ..]
            | [b'S', b'u', b'n', ..]
            | [b'J', b'a', b'n', ..]
            | [b'F', b'e', b'b', ..]
            | [b'M', b'a', b'r' | b'y', ..]
            | [b'A', b'p', b'r', ..]
            | [b'J', b'u', b'n' | b'l', ..]
            | [b'A', b'u', b'g', ..]
            | [b'S', b'e', b'p', ..]
            | [b'O', b'c', b't', ..]
            | [b'N', b'o', b'v', ..]
            | [b'D', b'e', b'c', ..]
    )
}

/// `Mon`, `Monday`, `Sept`: a name that starts with one of `names` and is
/// that abbreviation or a longer form of it, capitalized.
fn is_calendar_name(word: &[u8], names: &[&str]) -> bool {
    word.len() >= 3
        && names.iter().any(|name| word[..3] == *name.as_bytes())
        && word[3..].iter().all(u8::is_ascii_lowercase)
        && word.len() <= 9
}

/// `02-Jan-06`, `02-Jan-2006`: day, month and year joined by dashes (RFC 850).
fn is_dashed_date(word: &[u8]) -> bool {
    matches!(word.len(), 9 | 11)
        && digits(word, 2)
        && word[2] == b'-'
        && is_calendar_name(&word[3..6], &MONTHS)
        && word[6] == b'-'
        && word[7..].iter().all(u8::is_ascii_digit)
}

/// Length of a date written in words at the start of `bytes`, as syslog,
/// `ctime`, RFC 822/1123/2822, RFC 850 and JavaScript print it: `Sun Jul 10
/// 04:52:49 2005`, `Thu Aug 11 10:03:18 PDT 2005`, `Jul 10 04:52:49`, `Sun,
/// 14 Sep 2025 00:27:04 GMT`, `Mon, 02 Jan 06 15:04 MST` (two-digit year),
/// `Monday, 02-Jan-06 15:04:05 MST`, `Mon Jan 02 2006 14:04:05 GMT-0800
/// (Pacific Standard Time)`. It needs a month, a day, and a year or a clock
/// time. The day may come first without a weekday (`02 Jan 06 15:04 MST`,
/// `14 Sep 2025`).
pub(crate) fn date_phrase_len(bytes: &[u8]) -> Option<usize> {
    // Words are separated by one space; a word's core is what remains after
    // trailing punctuation, which ends the phrase (except a comma after the
    // weekday or the day).
    let word_at = |start: usize| -> Option<(usize, usize, bool)> {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b':' | b'.' | b'+' | b'-')))
            .map_or(bytes.len(), |n| start + n);
        let mut core_end = end;
        while core_end > start && matches!(bytes[core_end - 1], b'.' | b':' | b'-' | b'+') {
            core_end -= 1;
        }
        let comma = bytes.get(core_end) == Some(&b',');
        (core_end > start).then_some((start, core_end, comma))
    };
    let is_day = |w: &[u8]| matches!(w.len(), 1 | 2) && w.iter().all(u8::is_ascii_digit);
    let is_year = |w: &[u8]| w.len() == 4 && w.iter().all(u8::is_ascii_digit);
    let is_zone = |w: &[u8]| {
        w == b"UTC"
            || w == b"Z"
            || w.starts_with(b"GMT")
            || ((3..=4).contains(&w.len())
                && w.iter().all(u8::is_ascii_uppercase)
                && w.ends_with(b"T"))
            || (w.len() == 5
                && matches!(w[0], b'+' | b'-')
                && w[1..].iter().all(u8::is_ascii_digit))
    };
    // The next word, if the previous one ended at `end` and a separator follows.
    // `ctime` pads a one-digit day with a second space (`Sat Jul  9`).
    let next = |end: usize, comma: bool| -> Option<(usize, usize, bool)> {
        let gap = end + usize::from(comma);
        let spaces = bytes
            .get(gap..)?
            .iter()
            .take(2)
            .take_while(|&&b| b == b' ')
            .count();
        (spaces > 0).then_some(())?;
        word_at(gap + spaces)
    };

    let (mut start, mut end, mut comma) = word_at(0)?;
    let mut accepted = 0;
    let weekday = is_calendar_name(&bytes[start..end], &WEEKDAYS);
    if weekday {
        (start, end, comma) = next(end, comma)?;
    }
    let first = &bytes[start..end];
    let mut year = false;
    let mut day_first = false;
    if is_dashed_date(first) {
        year = true;
    } else if is_calendar_name(first, &MONTHS) {
        let (day_start, day_end, day_comma) = next(end, false)?;
        if !is_day(&bytes[day_start..day_end]) {
            return None;
        }
        (end, comma) = (day_end, day_comma);
    } else if is_day(first) {
        let (month_start, month_end, month_comma) = next(end, comma)?;
        if !is_calendar_name(&bytes[month_start..month_end], &MONTHS) {
            return None;
        }
        (end, comma) = (month_end, month_comma);
        day_first = true;
    } else {
        return None;
    }
    let mut time = false;
    let mut zone = false;
    let mut only_short_year = false;
    if year {
        accepted = end;
    }
    while let Some((w_start, w_end, w_comma)) = next(end, comma) {
        let w = &bytes[w_start..w_end];
        // RFC 822 and 2822 allow a two-digit year after `day month`.
        let short_year = day_first && !time && w.len() == 2 && digits(w, 2);
        if !year && (is_year(w) || short_year) {
            year = true;
            only_short_year = !is_year(w);
        } else if !time && !zone && is_clock_time(w) {
            time = true;
        } else if time && !zone && is_zone(w) {
            zone = true;
        } else {
            break;
        }
        (end, comma) = (w_end, w_comma);
        accepted = end;
    }
    if zone {
        accepted += zone_name_len(&bytes[accepted..]);
    }
    // Without a weekday, `7 Jan 12 15:04:05` may be a count before a syslog
    // stamp: a two-digit year makes a date only with the time and the zone
    // that RFC 822 writes after it (`02 Jan 06 15:04 MST`).
    if only_short_year && !weekday && !zone {
        return None;
    }
    (year || time).then_some(accepted)
}

/// ` (Pacific Standard Time)`, ` (PST)`: the zone's name that JavaScript's
/// `Date.toString()` writes after its offset, at the start of `bytes`; 0 if
/// there is none.
fn zone_name_len(bytes: &[u8]) -> usize {
    let Some(inner) = bytes.strip_prefix(b" (") else {
        return 0;
    };
    let Some(close) = inner.iter().take(64).position(|&b| b == b')') else {
        return 0;
    };
    let name = &inner[..close];
    let words_only = name.iter().all(|&b| b.is_ascii_alphabetic() || b == b' ');
    let long_name =
        words_only && name.ends_with(b" Time") && name.first().is_some_and(u8::is_ascii_uppercase);
    // Older engines write the abbreviation: `(PST)`.
    let abbreviation = (2..=5).contains(&name.len()) && name.iter().all(u8::is_ascii_uppercase);
    if long_name || abbreviation {
        2 + close + 1
    } else {
        0
    }
}
