//! Cases transcribed from apimachinery's resource/quantity_test.go and
//! quantity_golden_test.go. Each table names the upstream test it comes
//! from.

use super::*;

fn q(s: &str) -> Quantity {
    match Quantity::parse(s) {
        Ok(q) => q,
        Err(e) => panic!("{s}: {e}"),
    }
}

/// `decQuantity(i, exponent, format)`.
fn dec(i: i64, exponent: i32, format: Format) -> Quantity {
    Quantity::from_i64(i, exponent, format)
}

use Format::{BinarySi as B, DecimalExponent as X, DecimalSi as D};

// upstream: quantity_test.go TestQuantityParse (table, then its negated
// and explicitly-positive variants)
#[test]
fn parse_table() {
    let table: Vec<(&str, Quantity)> = vec![
        ("0", dec(0, 0, D)),
        ("0n", dec(0, 0, D)),
        ("0u", dec(0, 0, D)),
        ("0m", dec(0, 0, D)),
        ("0Ki", dec(0, 0, B)),
        ("0k", dec(0, 0, D)),
        ("0Mi", dec(0, 0, B)),
        ("0M", dec(0, 0, D)),
        ("0Gi", dec(0, 0, B)),
        ("0G", dec(0, 0, D)),
        ("0Ti", dec(0, 0, B)),
        ("0T", dec(0, 0, D)),
        ("1", dec(1, 0, D)),
        ("1Ki", dec(1024, 0, B)),
        ("8Ki", dec(8 * 1024, 0, B)),
        ("7Mi", dec(7 * 1024 * 1024, 0, B)),
        ("6Gi", dec(6 * 1024 * 1024 * 1024, 0, B)),
        ("5Ti", dec(5 * 1024i64.pow(4), 0, B)),
        ("4Pi", dec(4 * 1024i64.pow(5), 0, B)),
        ("3Ei", dec(3 * 1024i64.pow(6), 0, B)),
        ("10Ti", dec(10 * 1024i64.pow(4), 0, B)),
        ("100Ti", dec(100 * 1024i64.pow(4), 0, B)),
        ("5n", dec(5, -9, D)),
        ("4u", dec(4, -6, D)),
        ("3m", dec(3, -3, D)),
        ("9", dec(9, 0, D)),
        ("8k", dec(8, 3, D)),
        ("50k", dec(5, 4, D)),
        ("7M", dec(7, 6, D)),
        ("6G", dec(6, 9, D)),
        ("5T", dec(5, 12, D)),
        ("40T", dec(4, 13, D)),
        ("300T", dec(3, 14, D)),
        ("2P", dec(2, 15, D)),
        ("1E", dec(1, 18, D)),
        ("1E-3", dec(1, -3, X)),
        ("1e3", dec(1, 3, X)),
        ("1E6", dec(1, 6, X)),
        ("1e9", dec(1, 9, X)),
        ("1E12", dec(1, 12, X)),
        ("1e15", dec(1, 15, X)),
        ("1E18", dec(1, 18, X)),
        ("1e14", dec(1, 14, X)),
        ("1e13", dec(1, 13, X)),
        ("100.035k", dec(100035, 0, D)),
        ("0.001", dec(1, -3, D)),
        ("0.0005k", dec(5, -1, D)),
        ("0.005", dec(5, -3, D)),
        ("0.05", dec(5, -2, D)),
        ("0.5", dec(5, -1, D)),
        ("0.00050k", dec(5, -1, D)),
        ("0.00500", dec(5, -3, D)),
        ("0.05000", dec(5, -2, D)),
        ("0.50000", dec(5, -1, D)),
        ("0.5e0", dec(5, -1, X)),
        ("0.5e-1", dec(5, -2, X)),
        ("0.5e-2", dec(5, -3, X)),
        ("10.035M", dec(10035, 3, D)),
        ("1.2e3", dec(12, 2, X)),
        ("1.3E+6", dec(13, 5, X)),
        ("1.40e9", dec(14, 8, X)),
        ("1.53E12", dec(153, 10, X)),
        ("1.6e15", dec(16, 14, X)),
        ("1.7E18", dec(17, 17, X)),
        ("9.01", dec(901, -2, D)),
        ("8.1k", dec(81, 2, D)),
        ("7.123456M", dec(7123456, 0, D)),
        ("6.987654321G", dec(6987654321, 0, D)),
        ("5.444T", dec(5444, 9, D)),
        ("40.1T", dec(401, 11, D)),
        ("300.2T", dec(3002, 11, D)),
        ("2.5P", dec(25, 14, D)),
        ("1.01E", dec(101, 16, D)),
        ("3.001n", dec(4, -9, D)),
        ("1.1E-9", dec(2, -9, X)),
        ("0.0000000001", dec(1, -9, D)),
        ("0.0000000005", dec(1, -9, D)),
        ("0.00000000050", dec(1, -9, D)),
        ("0.5e-9", dec(1, -9, X)),
        ("0.9n", dec(1, -9, D)),
        ("0.00000012345", dec(124, -9, D)),
        ("0.00000012354", dec(124, -9, D)),
        ("9Ei", dec(i64::MAX, 0, B)),
        ("9223372036854775807Ki", dec(i64::MAX, 0, B)),
        ("12E", dec(12, 18, D)),
        ("100.035Ki", dec(10243584, -2, B)),
        ("0.5Mi", dec(512 * 1024, 0, B)),
        ("0.05Gi", dec(536870912, -1, B)),
        ("0.025Ti", dec(274877906944, -1, B)),
        ("0.000000000001Ki", dec(2, -9, D)),
        (".001", dec(1, -3, D)),
        (".0001k", dec(100, -3, D)),
        ("1.", dec(1, 0, D)),
        ("1.G", dec(1, 9, D)),
    ];
    for (input, want) in &table {
        for (sign, text) in [
            (1, input.to_string()),
            (-1, format!("-{input}")),
            (1, format!("+{input}")),
        ] {
            let got = q(&text);
            let want = if sign < 0 { want.neg() } else { want.clone() };
            assert_eq!(got.cmp_value(&want), Ordering::Equal, "{text}: {got:?}");
            assert_eq!(got.format(), want.format(), "{text}: format");
        }
    }
}

// upstream: quantity_test.go TestQuantityParse, the invalid list
#[test]
fn parse_rejects() {
    for bad in [
        "1.1.M",
        "1+1.0M",
        "0.1mi",
        "0.1am",
        "aoeu",
        ".5i",
        "1i",
        "-3.01i",
        "-3.01e-",
        "1e4294967297",
        " 1",
        "1 ",
        "",
        "Non-Numeric",
    ] {
        assert!(Quantity::parse(bad).is_err(), "{bad:?} parsed");
    }
    assert_eq!(check(""), Err(QuantityError::Format));
    assert_eq!(check("1gi"), Err(QuantityError::Format));
    assert_eq!(check("1 Gi"), Err(QuantityError::Format));
    assert_eq!(check("0.1mi"), Err(QuantityError::Suffix));
    assert_eq!(check("1e"), Err(QuantityError::Suffix));
    assert_eq!(check("1MB"), Err(QuantityError::Format));
    assert_eq!(check("1KiB"), Err(QuantityError::Format));
    assert_eq!(check("abc"), Err(QuantityError::Format));
    assert_eq!(
        QuantityError::Format.to_string(),
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    );
    assert_eq!(
        QuantityError::Suffix.to_string(),
        "unable to parse quantity's suffix"
    );
}

// upstream: quantity_test.go TestInterpretExponentInt32Bounds
#[test]
fn exponent_bounds() {
    assert_eq!(interpret_suffix("e14"), Some(Suffix::DecimalExponent(14)));
    assert_eq!(
        interpret_suffix("E2147483647"),
        Some(Suffix::DecimalExponent(i32::MAX))
    );
    assert_eq!(
        interpret_suffix("E-2147483647"),
        Some(Suffix::DecimalExponent(-i32::MAX))
    );
    for bad in [
        "E2147483648",
        "E-2147483648",
        "E4294967297",
        "E8589934592",
        "E9223372036854775807",
        "E9223372036854775808",
        "E6024865272343",
    ] {
        assert_eq!(interpret_suffix(bad), None, "{bad}");
    }
}

// upstream: quantity_test.go TestParseQuantityString
#[test]
fn parse_parts_table() {
    for (input, positive, num, denom) in [
        ("0.025Ti", true, "0", "025"),
        ("1.025Ti", true, "1", "025"),
        ("-1.025Ti", false, "1", "025"),
        (".", true, "0", ""),
        ("-.", false, "0", ""),
        ("1E-3", true, "1", ""),
    ] {
        let p = parse_parts(input).expect(input);
        assert_eq!(
            (p.positive, p.num, p.denom),
            (positive, num, denom),
            "{input}"
        );
    }
    assert_eq!(q(".").canonical(), "0");
    assert_eq!(q("-.").canonical(), "0");
}

// upstream: quantity_test.go TestQuantityString (the value's canonical
// form, and the alternate spellings that print as it)
#[test]
fn string_table() {
    let table: Vec<(Quantity, &str, &str)> = vec![
        (dec(1024 * 1024 * 1024, 0, B), "1Gi", "1024Mi"),
        (dec(300 * 1024 * 1024, 0, B), "300Mi", "307200Ki"),
        (dec(6 * 1024, 0, B), "6Ki", ""),
        (dec(1001 * 1024 * 1024 * 1024, 0, B), "1001Gi", "1025024Mi"),
        (dec(1024i64.pow(4), 0, B), "1Ti", "1024Gi"),
        (dec(5, 0, B), "5", "5000m"),
        (dec(500, -3, B), "500m", "0.5"),
        (dec(1, 9, D), "1G", "1000M"),
        (dec(1000, 6, D), "1G", "0.001T"),
        (dec(1000000, 3, D), "1G", ""),
        (dec(1000000000, 0, D), "1G", ""),
        (dec(1, -3, D), "1m", "1000u"),
        (dec(80, -3, D), "80m", ""),
        (dec(1080, -3, D), "1080m", "1.08"),
        (dec(108, -2, D), "1080m", "1080000000n"),
        (dec(10800, -4, D), "1080m", ""),
        (dec(300, 6, D), "300M", ""),
        (dec(1, 12, D), "1T", ""),
        (dec(1, 18, D), "1E", ""),
        (dec(1, 21, D), "1e21", "1000E"),
        (dec(5, 21, D), "5e21", "5000E"),
        (dec(1, 24, D), "1e24", "1000000E"),
        (dec(1, 70, B), "10e69", ""),
        (dec(2, 70, B), "20e69", ""),
        (dec(1, 72, B), "1e72", ""),
        (dec(1234567, 6, D), "1234567M", ""),
        (dec(1234567, -3, B), "1234567m", ""),
        (dec(3, 3, D), "3k", ""),
        (dec(1025, 0, B), "1025", ""),
        (dec(0, 0, D), "0", ""),
        (dec(0, 0, B), "0", ""),
        (dec(1, 9, X), "1e9", ".001e12"),
        (dec(1, -3, X), "1e-3", "0.001e0"),
        (dec(1, -9, X), "1e-9", "1000e-12"),
        (dec(80, -3, X), "80e-3", ""),
        (dec(300, 6, X), "300e6", ""),
        (dec(1, 12, X), "1e12", ""),
        (dec(1, 3, X), "1e3", ""),
        (dec(3, 3, X), "3e3", ""),
        (dec(0, 0, X), "0", "00"),
        (dec(1, -9, D), "1n", ""),
        (dec(80, -9, D), "80n", ""),
        (dec(1080, -9, D), "1080n", ""),
        (dec(108, -8, D), "1080n", ""),
        (dec(10800, -10, D), "1080n", ""),
        (dec(1, -6, D), "1u", ""),
        (dec(80, -6, D), "80u", ""),
        (dec(1080, -6, D), "1080u", ""),
    ];
    for (value, expect, alternate) in &table {
        assert_eq!(value.canonical(), *expect, "{value:?}");
        // Parsing the canonical form keeps it verbatim.
        let parsed = q(expect);
        assert_eq!(parsed.canonical(), *expect);
        if !alternate.is_empty() {
            let alt = q(alternate);
            assert_eq!(alt.canonical(), *expect, "alternate {alternate}");
        }
        if !value.is_zero() {
            assert_eq!(value.neg().canonical(), format!("-{expect}"));
        }
    }
    // upstream: TestQuantityStringBelowNano
    assert_eq!(dec(1, -12, D).canonical(), "1e-12");
    assert_eq!(dec(1, -10, D).canonical(), "100e-12");
    // upstream: TestBinarySIZeroExponentString
    assert_eq!(dec(2000, 0, B).canonical(), "2000");
    assert_eq!(dec(-2000, 0, B).canonical(), "-2000");
    // upstream: TestBinarySIPastEiArithmeticRoundTrip (2^70 as BinarySI)
    let two70 = Quantity::raw(BigInt::from(1u8) << 70usize, 0, B);
    assert_eq!(two70.canonical(), "1180591620717411303424");
    assert_eq!(q(&two70.canonical()).cmp_value(&two70), Ordering::Equal);
}

// upstream: quantity_test.go TestQuantityParseEmit
#[test]
fn parse_emit() {
    for (input, expect) in [
        ("1Ki", "1Ki"),
        ("1Mi", "1Mi"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
    ] {
        assert_eq!(q(input).canonical(), expect, "{input}");
        assert_eq!(q(&format!("-{input}")).canonical(), format!("-{expect}"));
    }
}

// upstream: quantity_golden_test.go quantitySerializationCases (String())
#[test]
fn golden_strings() {
    for (input, want) in [
        ("1", "1"),
        ("-1", "-1"),
        ("1Ki", "1Ki"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        ("1e3", "1e3"),
        ("0.1", "100m"),
        ("0.000000000000001", "1n"),
        ("1.441", "1.441"),
        ("1.000001", "1.000001"),
        ("1.000000001", "1.000000001"),
        ("1.5", "1500m"),
        ("9223372036854775807", "9223372036854775807"),
        ("9223372036854775808", "9223372036854775808"),
        ("18446744073709551616", "18446744073709551616"),
        ("1E", "1E"),
        ("100E", "100E"),
        ("1000E", "1e21"),
        ("1e100", "10e99"),
        ("8Ei", "9223372036854775807"),
        ("-20Ei", "-9223372036854775807"),
        ("-9.5Gi", "-9728Mi"),
        ("-9.5000000001Gi", "-10200547328107374183n"),
    ] {
        assert_eq!(q(input).canonical(), want, "{input}");
    }
    // The canonical form when the verbatim input is not reused.
    assert_eq!(q("1.441").canonicalize(), "1441m");
    assert_eq!(q("1.000001").canonicalize(), "1000001u");
    assert_eq!(Quantity::from_i64(1441, -3, D).canonical(), "1441m");
    assert_eq!(
        Quantity::from_i64(i64::MAX, 1, D).canonical(),
        "92233720368547758070"
    );
    assert_eq!(
        Quantity::from_i64(i64::MIN, 0, D).canonical(),
        "-9223372036854775808"
    );
}

// upstream: quantity_test.go TestParseQuantity (value and re-serialisation)
#[test]
fn parse_quantity_wide_values() {
    for (input, exact, canonical) in [
        ("-999999999999999999", "-999999999999999999", ""),
        (
            "999999999999999999.0",
            "999999999999999999",
            "999999999999999999",
        ),
        (
            "999999999999999999.1",
            "999999999999999999.1",
            "999999999999999999100m",
        ),
        ("-9999999999999999999", "-9999999999999999999", ""),
        ("-1E", "-1000000000000000000", ""),
        ("1000000000000000000", "1000000000000000000", "1E"),
        ("1.0E", "1000000000000000000", "1E"),
        (
            "9999999999999999999000m",
            "9999999999999999999",
            "9999999999999999999",
        ),
        (
            "1.0000000000000000001E",
            "1000000000000000000.1",
            "1000000000000000000100m",
        ),
        (
            "-1.000000000000000001E",
            "-1000000000000000001",
            "-1000000000000000001",
        ),
        ("10E", "10000000000000000000", ""),
        ("-10000000000000000000", "-10000000000000000000", "-10E"),
        ("10000000000000000000000m", "10000000000000000000", "10E"),
        (
            "10.0000000000000000001E",
            "10000000000000000000.1",
            "10000000000000000000100m",
        ),
        ("-9223372036854775809", "-9223372036854775809", ""),
        (
            "-9223372036854775809000m",
            "-9223372036854775809",
            "-9223372036854775809",
        ),
        (
            "9223372036854775806.1",
            "9223372036854775806.1",
            "9223372036854775806100m",
        ),
        ("-9223372036854775808", "-9223372036854775808", ""),
        (
            "9223372036854775807.0",
            "9223372036854775807",
            "9223372036854775807",
        ),
        (
            "9223372036854775808.1",
            "9223372036854775808.1",
            "9223372036854775808100m",
        ),
    ] {
        let got = q(input);
        assert_eq!(got.exact().as_deref(), Some(exact), "{input}");
        let want = if canonical.is_empty() {
            input
        } else {
            canonical
        };
        assert_eq!(got.canonical(), want, "{input}");
    }
}

// upstream: quantity_test.go TestNegativeValueRoundsAwayFromZero
#[test]
fn value_and_milli_round_away_from_zero() {
    for (input, value, milli) in [
        ("-.484785E-7466", -1, -1),
        (".484785E-7466", 1, 1),
        ("-.484785E-1", -1, -49),
        (".484785E-1", 1, 49),
        ("-0.0005", -1, -1),
        ("0.0005", 1, 1),
        ("-1500m", -2, -1500),
        ("1500m", 2, 1500),
        ("-9.5000000001Gi", -10200547329, -10200547328108),
        ("9.5000000001Gi", 10200547329, 10200547328108),
        ("-1", -1, -1000),
        ("1", 1, 1000),
        ("0", 0, 0),
    ] {
        let got = q(input);
        assert_eq!(got.value(), value, "{input} value");
        assert_eq!(got.milli_value(), milli, "{input} milli");
    }
}

// upstream: quantity_test.go TestQuantityCmp, TestAdd, TestSub
#[test]
fn compare_add_sub() {
    assert_eq!(q("0").cmp_value(&q("0")), Ordering::Equal);
    assert_eq!(q("100m").cmp_value(&q("50m")), Ordering::Greater);
    assert_eq!(q("50m").cmp_value(&q("100m")), Ordering::Less);
    assert_eq!(q("10000T").cmp_value(&q("100Gi")), Ordering::Greater);
    let sum = dec(10, 0, D).add(&dec(1, 1, D));
    assert_eq!(sum.cmp_value(&dec(20, 0, D)), Ordering::Equal);
    let sum = dec(10, 0, B).add(&dec(1, 0, D));
    assert_eq!(sum.format(), B);
    let diff = dec(10, 0, D).sub(&dec(1, 0, B));
    assert_eq!(diff.cmp_value(&dec(9, 0, D)), Ordering::Equal);
    let diff = Quantity::zero().sub(&dec(50, 0, D));
    assert_eq!(diff.canonical(), "-50");
    // upstream: TestQuantityAddZeroPreservesSuffix
    for v in ["100m", "1Gi"] {
        assert_eq!(q(v).add(&q("0")).canonical(), v);
        assert_eq!(q("0").add(&q(v)).canonical(), v);
        assert_eq!(q(v).sub(&q("0")).canonical(), v);
    }
    // upstream: TestQuantityNeg
    assert_eq!(dec(901, -2, D).neg().canonical(), "-9010m");
}

// The CLI contract: milli as an exact decimal string.
#[test]
fn milli_exact_strings() {
    assert_eq!(q("1").milli_exact().as_deref(), Some("1000"));
    assert_eq!(q("500m").milli_exact().as_deref(), Some("500"));
    assert_eq!(q("1n").milli_exact().as_deref(), Some("0.000001"));
    assert_eq!(q("1Gi").milli_exact().as_deref(), Some("1073741824000"));
    assert_eq!(
        q("100E").milli_exact().as_deref(),
        Some("100000000000000000000000")
    );
    assert_eq!(q("-1.5").milli_exact().as_deref(), Some("-1500"));
    assert_eq!(q("1e2147483647").milli_exact(), None);
    assert_eq!(q("1e2147483647").canonical(), "10e2147483646");
}

#[test]
fn nano_units() {
    assert_eq!(q("1").to_nano(), 1_000_000_000);
    assert_eq!(q("100m").to_nano(), 100_000_000);
    assert_eq!(q("1Ki").to_nano(), 1_024_000_000_000);
    assert_eq!(q("-3n").to_nano(), -3);
    assert_eq!(q("1e100").to_nano(), i128::MAX);
    assert_eq!(Quantity::from_nano(1_500_000_000, D).canonical(), "1500m");
    assert_eq!(
        Quantity::from_nano(1_073_741_824_000_000_000, B).canonical(),
        "1Gi"
    );
}

// What a value reads back as after the API server stores its canonical
// form (the format follows the printed suffix).
#[test]
fn stored_round_trip_format() {
    let sum = q("1Ki").add(&q("1")); // 1025, BinarySI
    assert_eq!(sum.format(), B);
    assert_eq!(sum.stored().format(), D);
    assert_eq!(q("2Ki").stored().format(), B);
    assert_eq!(q("1e3").stored().format(), X);
    assert_eq!(dec(20, 0, X).stored().format(), D);
    assert_eq!(dec(1, 21, D).stored().format(), X);
    for s in ["1.5Gi", "1025", "500m", "1e3", "0", "100E", "1000E"] {
        assert_eq!(q(s).stored().format(), q(&q(s).canonical()).format(), "{s}");
    }
}

// upstream: pkg/apis/core/validation ValidateResourceQuantityValue and
// helper.IsHugePageResourceValueDivisible test integrality as
// `MilliValue() % 1000 == 0`; MilliValue rounds away from zero.
#[test]
fn whole_as_the_api_server_tests_it() {
    for (input, whole) in [
        ("2", true),
        ("2000m", true),
        ("1Ki", true),
        ("1e40", true),
        ("0", true),
        ("0.5", false),
        ("500m", false),
        ("1n", false),
        ("1001m", false),
        // 999.9999 thousandths round up to 1000: whole to the API server.
        ("0.9999999", true),
        ("-1.5", false),
        ("-3", true),
    ] {
        assert_eq!(q(input).is_whole(), whole, "{input}");
    }
}

// upstream: resource/quantity.go Quantity.UnmarshalJSON trims spaces.
#[test]
fn from_api_trims_like_unmarshal_json() {
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Api;
    assert_eq!(
        Quantity::from_api(&Api(" 1Gi ".into())).map(|q| q.canonical()),
        Ok("1Gi".into())
    );
    assert_eq!(
        Quantity::from_api(&Api("1 Gi".into())).map(|q| q.canonical()),
        Err(QuantityError::Format)
    );
}

// What object validation prints back and compares (cases kept from the
// validation-private quantity module this engine replaced).
// upstream: quantity_test.go TestQuantityParse canonical forms,
// TestQuantityString, TestQuantityCmp.
#[test]
fn validation_prints_and_compares() {
    for (input, printed) in [
        ("500m", "500m"),
        ("0.5", "500m"),
        ("1000m", "1"),
        ("1024Mi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("0.5Gi", "512Mi"),
        ("1e3", "1e3"),
        ("1000", "1k"),
        ("1500", "1500"),
        ("1.5Ki", "1536"),
        ("0m", "0"),
        ("0.0001", "100u"),
        ("0.1n", "1n"),
    ] {
        assert_eq!(q(input).canonical(), printed, "{input}");
    }
    let c = |a: &str, b: &str| q(a).cmp_value(&q(b));
    assert_eq!(c("500m", "0.5"), Ordering::Equal);
    assert_eq!(c("1", "999m"), Ordering::Greater);
    assert_eq!(c("1Gi", "1G"), Ordering::Greater);
    assert_eq!(c("128Mi", "134217728"), Ordering::Equal);
    assert_eq!(c("-1", "0"), Ordering::Less);
    assert_eq!(c("-2", "-1"), Ordering::Less);
    assert_eq!(q("2Mi").value(), 2 * 1024 * 1024);
    assert_eq!(q("1.5").value(), 2);
}
