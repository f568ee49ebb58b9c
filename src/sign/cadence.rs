//! The re-signing cadence: when a kept signature is renewed (the refresh
//! threshold) and how far expirations are spread (the jitter), fitted to
//! the zone once its largest TTL and SOA EXPIRE are known.
//!
//! The rule:
//!
//! * Every signature should outlive two things from the signing time: data
//!   cached with the zone's largest TTL (RFC 4035 §5.3.3, a hard rule of
//!   the window) and a secondary cut off from its primary, which serves
//!   the zone for SOA EXPIRE (RFC 1035 §3.3.13). Call the larger of the two
//!   the floor `F`.
//! * A previous signature is kept only while it is valid for longer than
//!   `K = max(refresh, min(F, V/2))`, with `V` the time from now to the
//!   window's expiration: a signature that would expire inside the floor is
//!   renewed even when `--refresh` is shorter (but never more than half the
//!   window is demanded, or every new signature would soon be due again).
//! * With no `--jitter`, expirations are spread over `J = min(refresh, V -
//!   K - refresh, V - F - 1)` seconds (at least 0) by a hash of owner and
//!   type. `J = refresh` spreads renewals: after a full sign, the RRset with
//!   hash fraction `h` expires at `V - hJ` and is renewed about `V - K -
//!   hJ` later, so daily re-signs renew a steady share of the zone (about a
//!   day's share of `J`) instead of all of it on one day, and since the
//!   period differs per RRset the spread widens with every cycle. The bound
//!   `V - K - refresh` keeps a new signature from being due again within
//!   one refresh interval, and `V - F - 1` keeps the earliest new one beyond
//!   the floor.
//!
//! A `--jitter` given is used as given (the window rules judge it).

use super::SignatureWindow;

/// The threshold and spread of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    /// Previous signatures valid for this many seconds or less are renewed.
    pub keep_threshold: u32,
    /// The window, its jitter fitted when none was given.
    pub window: SignatureWindow,
}

/// Fits the refresh threshold and (when `jitter_given` is false) the
/// jitter to a zone whose largest TTL is `max_ttl` and SOA EXPIRE
/// `soa_expire`, at `now`.
pub fn fit(
    window: SignatureWindow,
    now: i64,
    refresh: u32,
    jitter_given: bool,
    max_ttl: Option<u32>,
    soa_expire: Option<u32>,
) -> Cadence {
    let floor = i64::from(max_ttl.unwrap_or(0).max(soa_expire.unwrap_or(0)));
    let remaining = (window.expiration() - now).max(0);
    let refresh = i64::from(refresh);
    let keep = refresh.max(floor.min(remaining / 2));
    let window = if jitter_given {
        window
    } else {
        let jitter = refresh
            .min(remaining - keep - refresh)
            .min(remaining - floor - 1)
            .clamp(0, i64::from(window.jitter()));
        window.with_narrower_jitter(jitter as u32)
    };
    Cadence {
        keep_threshold: u32::try_from(keep).unwrap_or(u32::MAX),
        window,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_169_600;
    const DAY: i64 = 86_400;

    /// The default window: inception now-1h, 30 days, provisional jitter
    /// of a quarter.
    fn window(jitter: i64) -> SignatureWindow {
        SignatureWindow::new(NOW - 3600, NOW - 3600 + 30 * DAY, jitter as u32, NOW).unwrap()
    }

    #[test]
    fn defaults_spread_over_the_refresh_interval() {
        let r = (30 * DAY / 4) as u32;
        let c = fit(
            window(30 * DAY / 4),
            NOW,
            r,
            false,
            Some(3600),
            Some(14 * DAY as u32),
        );
        // The floor (SOA EXPIRE 14 d) raises the keep threshold above 7.5 d.
        assert_eq!(c.keep_threshold, 14 * DAY as u32);
        assert_eq!(i64::from(c.window.jitter()), 30 * DAY / 4);
        // The earliest new signature outlives the floor and is not due
        // again within a refresh interval.
        let earliest = c.window.earliest_expiration() - NOW;
        assert!(earliest > 14 * DAY && earliest - i64::from(c.keep_threshold) >= i64::from(r));
    }

    #[test]
    fn a_long_ttl_narrows_the_jitter_instead_of_failing_the_window() {
        // TTL four weeks in a 30-day window: the earliest expiration must
        // stay beyond it.
        let c = fit(
            window(30 * DAY / 4),
            NOW,
            (30 * DAY / 4) as u32,
            false,
            Some(28 * DAY as u32),
            None,
        );
        assert!(c.window.earliest_expiration() - NOW > 28 * DAY);
        assert!(c.window.unsafe_at(NOW, Some(28 * DAY as u32)).is_empty());
        // Half the window at most is demanded of kept signatures.
        assert_eq!(i64::from(c.keep_threshold), (30 * DAY - 3600) / 2);
    }

    #[test]
    fn a_given_jitter_is_kept_and_the_threshold_never_drops_below_refresh() {
        let c = fit(
            window(DAY),
            NOW,
            10 * DAY as u32,
            true,
            Some(60),
            Some(3600),
        );
        assert_eq!(i64::from(c.window.jitter()), DAY);
        assert_eq!(i64::from(c.keep_threshold), 10 * DAY);
    }

    #[test]
    fn an_impossible_floor_leaves_no_jitter_and_the_window_rule_decides() {
        let c = fit(
            window(DAY),
            NOW,
            DAY as u32,
            false,
            Some(40 * DAY as u32),
            None,
        );
        assert_eq!(c.window.jitter(), 0);
        assert!(!c.window.unsafe_at(NOW, Some(40 * DAY as u32)).is_empty());
    }
}
