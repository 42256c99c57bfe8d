//! Dutch time (Europe/Amsterdam) without a time zone database: the EU's summer-time rule
//! since 1996, for the widgets and the console, which read and show times in the
//! community's clock whatever the reader's own time zone. (The server uses `chrono-tz`.)

/// Days since 1970-01-01 of a date (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number: (year, month 1–12, day 1–31).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The last Sunday of a month of 31 days (March, October), as a day number.
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Monday … 6 = Sunday.
    let weekday = (last + 3).rem_euclid(7);
    last - (weekday + 1) % 7
}

/// Whether summer time (UTC+2) holds in the Netherlands at `utc`: from the last Sunday of
/// March to the last Sunday of October, 01:00 UTC (the EU rule since 1996).
pub fn summer_time(utc: i64) -> bool {
    let (year, ..) = civil_from_days(utc.div_euclid(86_400));
    let start = last_sunday(year, 3) * 86_400 + 3_600;
    let end = last_sunday(year, 10) * 86_400 + 3_600;
    (start..end).contains(&utc)
}

/// Seconds since the epoch as Dutch local seconds (UTC+1 or UTC+2).
pub fn local(secs: u64) -> i64 {
    let utc = secs as i64;
    utc + if summer_time(utc) { 7_200 } else { 3_600 }
}

/// A Dutch local date and time as an instant. A time that does not exist (the hour
/// skipped in March) counts as winter time, one that occurs twice (October) as its first
/// occurrence. `None` for an impossible date or time (31 April, 24:00) or one before 1970.
pub fn from_local(y: i64, m: u32, d: u32, hh: i64, mm: i64) -> Option<u64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if !(0..24).contains(&hh) || !(0..60).contains(&mm) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    let local = days * 86_400 + hh * 3_600 + mm * 60;
    let summer = local - 7_200;
    let utc = if summer_time(summer) {
        summer
    } else {
        local - 3_600
    };
    u64::try_from(utc).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dutch_times_become_the_right_instants_across_summer_time() {
        // 2027-03-28 is the last Sunday of March: 01:30 is winter time, 03:30 summer time.
        assert_eq!(from_local(2027, 3, 28, 1, 30), Some(1_806_193_800));
        assert_eq!(from_local(2027, 3, 28, 3, 30), Some(1_806_197_400));
        // 2026-12-12 20:00 is UTC+1; 2026-07-01 12:00 is UTC+2.
        assert_eq!(from_local(2026, 12, 12, 20, 0), Some(1_797_102_000));
        assert_eq!(from_local(2026, 7, 1, 12, 0), Some(1_782_900_000));
        assert_eq!(from_local(2026, 4, 31, 12, 0), None);
        assert_eq!(from_local(2026, 4, 1, 24, 0), None);
        for secs in [1_797_102_000u64, 1_782_900_000, 1_806_197_400] {
            let local = local(secs);
            let (y, m, d) = civil_from_days(local.div_euclid(86_400));
            let in_day = local.rem_euclid(86_400);
            assert_eq!(
                from_local(y, m, d, in_day / 3_600, in_day % 3_600 / 60),
                Some(secs)
            );
        }
    }
}
