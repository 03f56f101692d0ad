//! Dates for people: RFC 3339 for JSON, kubeadm's `Jan 02, 2006 15:04 UTC`
//! and its short residual time (`364d`, `9y`) for the text table
//! (upstream: cmd/kubeadm/app/cmd/certs.go, apimachinery
//! duration.ShortHumanDuration).

/// (year, month, day) of a day count since 1970-01-01 (proleptic
/// Gregorian; Howard Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn split(ts: i64) -> (i64, u32, u32, i64, i64, i64) {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    (y, m, d, secs / 3600, (secs % 3600) / 60, secs % 60)
}

/// `2026-01-02T03:04:05Z`.
pub fn rfc3339(ts: i64) -> String {
    let (y, mo, d, h, mi, s) = split(ts);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `Jan 02, 2026 03:04 UTC`, as `kubeadm certs check-expiration` prints.
pub fn kubeadm(ts: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, _) = split(ts);
    format!(
        "{} {d:02}, {y} {h:02}:{mi:02} UTC",
        MONTHS[(mo - 1) as usize]
    )
}

/// apimachinery's `ShortHumanDuration`.
pub fn short_duration(secs: i64) -> String {
    if secs < -1 {
        "<invalid>".into()
    } else if secs < 0 {
        "0s".into()
    } else if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m", secs / 60)
    } else if secs < 86_400 {
        format!("{}h", secs / 3600)
    } else if secs < 86_400 * 365 {
        format!("{}d", secs / 86_400)
    } else {
        format!("{}y", secs / (86_400 * 365))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(4_102_444_800), "2100-01-01T00:00:00Z");
        assert_eq!(kubeadm(1_767_323_045), "Jan 02, 2026 03:04 UTC");
        assert_eq!(short_duration(364 * 86_400 + 5), "364d");
        assert_eq!(short_duration(10 * 365 * 86_400), "10y");
        assert_eq!(short_duration(-5), "<invalid>");
        assert_eq!(short_duration(59), "59s");
    }
}
