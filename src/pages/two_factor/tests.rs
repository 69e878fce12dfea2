use super::*;

#[test]
fn the_qr_code_is_inline_svg_and_the_key_is_grouped() {
    let svg = qr_svg("otpauth://totp/Trygg:sara%40region.se?secret=JBSWY3DPEHPK3PXP&issuer=Trygg").unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    assert!(svg.contains("<path") || svg.contains("<rect"));
    assert_eq!(group_secret("JBSWY3DPEHPK3PXP1234"), "JBSW Y3DP EHPK 3PXP 1234");
    assert_eq!(group_secret("ABCDE"), "ABCD E");
}

#[test]
fn codes_are_six_digits_and_spaces_are_forgiven() {
    let s = Lang::Sv.sign_in_texts();
    assert_eq!(check_code(s, " 123 456 "), Ok("123456".to_owned()));
    assert_eq!(check_code(s, ""), Err(s.err_code_required));
    assert_eq!(check_code(s, "12345"), Err(s.err_code_format));
    assert_eq!(check_code(s, "12345a"), Err(s.err_code_format));
}

#[test]
fn a_refused_code_says_why_in_the_persons_language() {
    let en_s = Lang::En.sign_in_texts();
    let wrong = ApiError::Other { status: 401, code: "invalid_code".into() };
    assert_eq!(code_error(Lang::En, &wrong, false), en_s.err_code_wrong);
    assert_eq!(code_error(Lang::En, &wrong, true), en_s.err_recovery_wrong);
    let many = ApiError::Other { status: 429, code: "rate_limited".into() };
    assert_eq!(code_error(Lang::Sv, &many, false), Lang::Sv.sign_in_texts().err_code_rate_limited);
}
