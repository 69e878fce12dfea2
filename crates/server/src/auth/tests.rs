//! Unit tests of passwords, tokens, the client address and throttle keys, and cookies.

use super::*;

#[test]
fn a_password_verifies_against_its_own_hash_only() {
    let h = hash_password("korrekt häst batteri").unwrap();
    assert!(h.starts_with("$argon2id$"));
    assert!(verify_password("korrekt häst batteri", Some(&h)));
    assert!(!verify_password("korrekt hast batteri", Some(&h)));
    assert!(!verify_password("korrekt häst batteri", None));
}

#[test]
fn tokens_are_long_and_distinct() {
    let (a, b) = (new_token(), new_token());
    assert_ne!(a, b);
    assert_eq!(a.len(), 43);
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
    list.iter().map(|n| n.parse().unwrap()).collect()
}

#[test]
fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
    let peer = Some(ip("203.0.113.7"));
    assert_eq!(client_addr(peer, &["1.2.3.4"], 0, &[]), peer);
    assert_eq!(client_addr(peer, &[], 0, &[]), peer);
}

#[test]
fn one_trusted_hop_takes_the_entry_our_proxy_added_not_the_spoofed_leftmost_one() {
    let proxy = Some(ip("10.0.0.2"));
    assert_eq!(client_addr(proxy, &["198.51.100.9"], 1, &[]), Some(ip("198.51.100.9")));
    // The client wrote "1.2.3.4" itself; our proxy appended the real address.
    assert_eq!(client_addr(proxy, &["1.2.3.4, 198.51.100.9"], 1, &[]), Some(ip("198.51.100.9")));
    assert_eq!(client_addr(proxy, &["1.2.3.4", "198.51.100.9"], 1, &[]), Some(ip("198.51.100.9")), "two header lines");
    // A spoofed entry changes nothing: every spoof yields the same client.
    for spoof in ["", "6.6.6.6, ", "garbage, 7.7.7.7, "] {
        let header = format!("{spoof}198.51.100.9");
        assert_eq!(client_addr(proxy, &[header.as_str()], 1, &[]), Some(ip("198.51.100.9")), "{header}");
    }
}

#[test]
fn two_trusted_hops_count_from_the_right() {
    let lb = Some(ip("10.0.0.2"));
    let xff = ["6.6.6.6, 198.51.100.9, 10.0.0.1"];
    assert_eq!(client_addr(lb, &xff, 2, &[]), Some(ip("198.51.100.9")));
    // A chain shorter than the configured hops: the leftmost entry there is.
    assert_eq!(client_addr(lb, &["198.51.100.9"], 3, &[]), Some(ip("198.51.100.9")));
    assert_eq!(client_addr(lb, &[], 2, &[]), lb);
}

#[test]
fn trusted_networks_are_skipped_from_the_right() {
    let ours = nets(&["10.0.0.0/8", "fd00::/8"]);
    let peer = Some(ip("10.0.0.2"));
    assert_eq!(client_addr(peer, &["6.6.6.6, 198.51.100.9, 10.1.2.3"], 0, &ours), Some(ip("198.51.100.9")));
    // A peer outside our networks is the client itself; the header is not read.
    assert_eq!(client_addr(Some(ip("198.51.100.1")), &["1.2.3.4"], 0, &ours), Some(ip("198.51.100.1")));
    assert_eq!(client_addr(Some(ip("fd00::1")), &["2001:db8::1"], 0, &ours), Some(ip("2001:db8::1")));
}

#[test]
fn entries_with_ports_are_read_and_garbage_yields_the_proxy_that_wrote_it() {
    let proxy = Some(ip("10.0.0.2"));
    assert_eq!(client_addr(proxy, &["198.51.100.9:5555"], 1, &[]), Some(ip("198.51.100.9")));
    assert_eq!(client_addr(proxy, &["[2001:db8::5]:443"], 1, &[]), Some(ip("2001:db8::5")));
    assert_eq!(client_addr(proxy, &["not-an-address"], 1, &[]), proxy);
    assert_eq!(client_addr(None, &["1.2.3.4"], 1, &[]), None);
}

#[test]
fn ipv6_clients_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
    assert_eq!(throttle_subject(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
    assert_eq!(throttle_subject(ip("2001:db8:1:2:ffff:1:2:3")), throttle_subject(ip("2001:db8:1:2::9")));
    assert_ne!(throttle_subject(ip("2001:db8:1:3::1")), throttle_subject(ip("2001:db8:1:2::1")));
    assert_eq!(throttle_subject(ip("::ffff:192.0.2.1")), "192.0.2.1");
    assert_eq!(throttle_subject(ip("192.0.2.1")), "192.0.2.1");
}

#[test]
fn throttle_keys_are_keyed_hashes_not_plain_sha256() {
    let (a, b) = (Keys::random(), Keys::random());
    let k = limit_key(&a, "login:ip", "192.0.2.1");
    assert!(k.starts_with("login:ip:"));
    assert!(!k.contains(&sha256_hex("192.0.2.1")[..32]));
    assert_ne!(k, limit_key(&b, "login:ip", "192.0.2.1"), "another server secret, another key");
    assert_eq!(k, limit_key(&a, "login:ip", "192.0.2.1"));
}

#[test]
fn the_secure_cookie_carries_the_host_prefix_and_only_its_own_name_is_read() {
    let c = session_cookie("tok", 60, true);
    let c = c.to_str().unwrap();
    assert!(c.starts_with("__Host-trygg_session=tok;") && c.contains("; Secure") && c.contains("Path=/"), "{c}");
    assert!(!c.contains("Domain"));
    assert!(session_cookie("tok", 60, false).to_str().unwrap().starts_with("trygg_session=tok;"));
    let req =
        axum::http::Request::builder().header(axum::http::header::COOKIE, "trygg_session=plain").body(()).unwrap();
    let (parts, _) = req.into_parts();
    assert_eq!(token_from(&parts, true), None, "a Secure server ignores the unprefixed cookie");
    assert_eq!(token_from(&parts, false).as_deref(), Some("plain"));
}

#[tokio::test]
async fn password_checks_beyond_the_slots_queue_briefly_then_answer_unavailable() {
    let hash = hash_password("korrekt häst batteri").unwrap();
    let slots = tokio::sync::Semaphore::new(1);
    let queue = std::time::Duration::from_millis(50);
    let busy = slots.acquire().await.unwrap();
    let res = bounded_check(&slots, queue, "korrekt häst batteri".into(), Some(hash.clone())).await;
    assert!(matches!(res, Err(ApiError::Unavailable)), "{res:?}");
    drop(busy);
    let res = bounded_check(&slots, queue, "korrekt häst batteri".into(), Some(hash)).await;
    assert!(matches!(res, Ok(true)), "{res:?}");
    assert_eq!(slots.available_permits(), 1, "the slot is given back");
    assert_eq!(password_check_slots(3), 3);
    assert!(password_check_slots(0) >= 2);
}
