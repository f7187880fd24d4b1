//! Where a request comes from: the allow-list of source ranges and the trusted proxies
//! whose `X-Forwarded-For` is believed.
//!
//! Tencent's `Sign` covers only the token and `RequestTime`, not the body, so whoever sees
//! one signed URL can post any body with it while it is fresh; the source address is
//! what stops that. The check runs before anything else of the request is read.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

use crate::WebhookConfig;
use crate::answer::{Rejection, SourceRefusal};
use crate::pipeline;

/// The allow-list of a configuration, with the proxies trusted to say who the client is.
/// `Debug` writes the ranges as `[10.0.0.0/8, 127.0.0.1/32]`: `IpNet`'s `Debug` is its
/// `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sources {
    pub(crate) allowed: Box<[IpNet]>,
    pub(crate) trusted_proxies: Box<[IpNet]>,
}

impl Sources {
    /// The client's address, or why it is refused.
    ///
    /// The client is the peer, unless the peer is a trusted proxy: then `X-Forwarded-For`
    /// (every value of the header in order, as one comma-separated list) is read from the
    /// right, each trusted hop skipped, and the first untrusted hop is the client. When
    /// every hop is trusted, the leftmost one is. Entries left of the client are never
    /// read: anyone can write them. Empty list elements are skipped (RFC 9110 §5.6.1); an
    /// entry that is not an IP address refuses the request rather than being trusted.
    fn client<'h, I>(&self, peer: IpAddr, forwarded_for: I) -> Result<IpAddr, SourceRefusal>
    where
        I: IntoIterator<Item = &'h [u8]>,
        I::IntoIter: DoubleEndedIterator,
    {
        let peer = peer.to_canonical();
        let mut client = peer;
        if !contains(&self.trusted_proxies, peer) {
            return Ok(client);
        }
        for value in forwarded_for.into_iter().rev() {
            for entry in value.rsplit(|&byte| byte == b',') {
                let entry = entry.trim_ascii();
                if entry.is_empty() {
                    continue;
                }
                client = parse_hop(entry)
                    .ok_or_else(|| SourceRefusal::malformed_forwarded_for(peer, entry))?;
                if !contains(&self.trusted_proxies, client) {
                    return Ok(client);
                }
            }
        }
        Ok(client)
    }

    /// The client's address when it is in an allowed range.
    fn check<'h, I>(&self, peer: IpAddr, forwarded_for: I) -> Result<IpAddr, SourceRefusal>
    where
        I: IntoIterator<Item = &'h [u8]>,
        I::IntoIter: DoubleEndedIterator,
    {
        let client = self.client(peer, forwarded_for)?;
        if contains(&self.allowed, client) {
            Ok(client)
        } else {
            Err(SourceRefusal::NotAllowed {
                client,
                peer: peer.to_canonical(),
            })
        }
    }
}

fn contains(ranges: &[IpNet], address: IpAddr) -> bool {
    ranges.iter().any(|range| range.contains(&address))
}

/// One `X-Forwarded-For` entry: an IPv4 or IPv6 address, optionally in brackets or with
/// a port as some proxies write it (`[2001:db8::1]`, `192.0.2.1:4711`,
/// `[2001:db8::1]:4711`). An IPv4-mapped IPv6 address counts as its IPv4 address.
fn parse_hop(entry: &[u8]) -> Option<IpAddr> {
    let entry = std::str::from_utf8(entry).ok()?;
    let address = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse::<std::net::Ipv6Addr>().ok())
                .map(IpAddr::V6)
        })
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|addr| addr.ip()))?;
    Some(address.to_canonical())
}

/// The connection's peer as an adapter knows it, for [`WebhookConfig::check_source`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// The address the connection comes from.
    Known(IpAddr),
    /// The server gave the adapter no peer address. `how_to_serve` tells the operator
    /// how to serve the app so that it does; it goes into the ERROR log.
    Unknown {
        /// How to serve the app with the peer address, in the framework's own terms.
        how_to_serve: &'static str,
    },
}

impl From<IpAddr> for Peer {
    fn from(address: IpAddr) -> Self {
        Self::Known(address)
    }
}

impl From<SocketAddr> for Peer {
    fn from(address: SocketAddr) -> Self {
        Self::Known(address.ip())
    }
}

impl WebhookConfig {
    /// Checks where a request comes from, before anything else of it is parsed: what
    /// adapters call first (see [`crate::pipeline`]).
    ///
    /// Without an [allow-list](crate::config::WebhookConfigBuilder::allowed_sources) any
    /// source is accepted and nothing is read: `Ok(None)`. With one, the client's address
    /// is `peer`, or, when `peer` is a
    /// [trusted proxy](crate::config::WebhookConfigBuilder::trusted_proxies), the first
    /// untrusted hop of `X-Forwarded-For` read from the right (`forwarded_for` holds
    /// the raw value of each `X-Forwarded-For` header, in order); it must be in an
    /// allowed range: `Ok(Some(client))`. Addresses are compared in canonical form (an
    /// IPv4-mapped IPv6 address as its IPv4 address).
    ///
    /// ```
    /// use std::net::IpAddr;
    /// use tencent_chat_webhook::config::IpNet;
    /// use tencent_chat_webhook::{Rejection, WebhookConfig};
    ///
    /// let config = WebhookConfig::builder()
    ///     .app(1400000000, ["xxxxyyyy"])
    ///     .allowed_sources(["203.0.113.0/24".parse::<IpNet>()?])
    ///     .trusted_proxies(["10.0.0.0/8".parse::<IpNet>()?])
    ///     .build()?;
    /// let tencent: IpAddr = "203.0.113.9".parse()?;
    /// let proxy: IpAddr = "10.1.2.3".parse()?;
    /// let none = std::iter::empty::<&[u8]>();
    ///
    /// assert_eq!(config.check_source(tencent.into(), none.clone()), Ok(Some(tencent)));
    /// // Through the proxy: the hop left of it is the client; what is further left is
    /// // whatever the client wrote, and is not read.
    /// let forwarded: &[&[u8]] = &[b"198.51.100.1, 203.0.113.9"];
    /// assert_eq!(config.check_source(proxy.into(), forwarded.iter().copied()), Ok(Some(tencent)));
    /// // The proxy itself is not an allowed source.
    /// assert!(matches!(
    ///     config.check_source(proxy.into(), none),
    ///     Err(Rejection::SourceNotAllowed(_))
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Rejection::SourceNotAllowed`] (403) when the client is in no allowed range or a
    /// trusted proxy's `X-Forwarded-For` is malformed where the client's address should
    /// be, logged at WARN with the addresses; [`Rejection::NoPeerAddress`] (500) when
    /// sources are restricted and the peer is [`Peer::Unknown`], logged at ERROR with how
    /// to serve the app.
    pub fn check_source<'h, I>(
        &self,
        peer: Peer,
        forwarded_for: I,
    ) -> Result<Option<IpAddr>, Rejection>
    where
        I: IntoIterator<Item = &'h [u8]>,
        I::IntoIter: DoubleEndedIterator,
    {
        let Some(sources) = &self.inner.sources else {
            return Ok(None);
        };
        match peer {
            Peer::Known(peer) => sources
                .check(peer, forwarded_for)
                .map(Some)
                .map_err(|refusal| {
                    pipeline::report_rejection(Rejection::SourceNotAllowed(refusal))
                }),
            Peer::Unknown { how_to_serve } => Err(pipeline::report_server_fault(
                Rejection::NoPeerAddress,
                format_args!(
                    "sources are restricted but the server gives no peer address to check; \
                     {how_to_serve}"
                ),
            )),
        }
    }

    /// The allowed source ranges, or `None` when any source is accepted.
    pub fn allowed_sources(&self) -> Option<&[IpNet]> {
        self.inner.sources.as_ref().map(|sources| &*sources.allowed)
    }

    /// The proxies whose `X-Forwarded-For` is believed (none unless sources are
    /// restricted).
    pub fn trusted_proxies(&self) -> &[IpNet] {
        self.inner
            .sources
            .as_ref()
            .map_or(&[], |sources| &*sources.trusted_proxies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Answer;
    use crate::config::ConfigError;

    fn net(range: &str) -> IpNet {
        range.parse().unwrap()
    }

    fn ip(address: &str) -> IpAddr {
        address.parse().unwrap()
    }

    /// Tencent stands at 203.0.113.0/24 and 2001:db8:7e::/48; the proxies at
    /// 10.0.0.0/8, 127.0.0.1 and fd00::/8.
    fn sources() -> Sources {
        Sources {
            allowed: [net("203.0.113.0/24"), net("2001:db8:7e::/48")].into(),
            trusted_proxies: [net("10.0.0.0/8"), net("127.0.0.1/32"), net("fd00::/8")].into(),
        }
    }

    fn client(peer: &str, headers: &[&str]) -> Result<IpAddr, SourceRefusal> {
        sources().client(ip(peer), headers.iter().map(|value| value.as_bytes()))
    }

    fn malformed(peer: &str, entry: &str) -> Result<IpAddr, SourceRefusal> {
        Err(SourceRefusal::MalformedForwardedFor {
            peer: ip(peer),
            entry: entry.to_owned(),
        })
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        for headers in [
            &[][..],
            &["10.0.0.1"],
            &["203.0.113.9"],
            &["garbage"],
            &["203.0.113.9, 10.0.0.1"],
        ] {
            assert_eq!(client("198.51.100.7", headers), Ok(ip("198.51.100.7")));
        }
        assert_eq!(
            client("2001:db8::1", &["203.0.113.9"]),
            Ok(ip("2001:db8::1"))
        );
    }

    #[test]
    fn a_trusted_peer_without_forwarding_is_the_client() {
        assert_eq!(client("10.0.0.1", &[]), Ok(ip("10.0.0.1")));
        assert_eq!(client("10.0.0.1", &[""]), Ok(ip("10.0.0.1")));
        assert_eq!(client("10.0.0.1", &[" , ,"]), Ok(ip("10.0.0.1")));
    }

    #[test]
    fn forwarding_is_read_from_the_right_to_the_first_untrusted_hop() {
        assert_eq!(client("127.0.0.1", &["203.0.113.9"]), Ok(ip("203.0.113.9")));
        // Trusted hops are skipped; whatever is left of the client is never read.
        assert_eq!(
            client(
                "127.0.0.1",
                &["garbage, 198.51.100.1, 203.0.113.9, 10.2.3.4, 10.0.0.9"]
            ),
            Ok(ip("203.0.113.9"))
        );
        // A client that writes Tencent's address in its own header gets nowhere: the
        // proxy appends the client's real address on the right.
        assert_eq!(
            client("127.0.0.1", &["203.0.113.9, 198.51.100.1"]),
            Ok(ip("198.51.100.1"))
        );
        // Every hop trusted: the leftmost is the client.
        assert_eq!(
            client("127.0.0.1", &["10.0.0.5, 10.0.0.6"]),
            Ok(ip("10.0.0.5"))
        );
    }

    #[test]
    fn several_headers_make_one_list_in_order() {
        assert_eq!(
            client("127.0.0.1", &["198.51.100.1", "203.0.113.9"]),
            Ok(ip("203.0.113.9"))
        );
        assert_eq!(
            client("127.0.0.1", &["203.0.113.9", "198.51.100.1"]),
            Ok(ip("198.51.100.1"))
        );
        assert_eq!(
            client("127.0.0.1", &["203.0.113.9", "10.0.0.1, 10.0.0.2", ""]),
            Ok(ip("203.0.113.9"))
        );
        assert_eq!(
            client("127.0.0.1", &["garbage", "203.0.113.9", "10.0.0.1"]),
            Ok(ip("203.0.113.9"))
        );
    }

    #[test]
    fn spaces_tabs_and_empty_elements_are_skipped() {
        assert_eq!(
            client("127.0.0.1", &["  203.0.113.9 ,\t10.0.0.1\t, ,"]),
            Ok(ip("203.0.113.9"))
        );
        assert_eq!(
            client("127.0.0.1", &[",,203.0.113.9,,"]),
            Ok(ip("203.0.113.9"))
        );
    }

    #[test]
    fn ipv6_hops_in_every_written_form() {
        for entry in [
            "2001:db8:7e::9",
            "2001:DB8:7E::9",
            "[2001:db8:7e::9]",
            "[2001:db8:7e::9]:443",
            " 2001:db8:7e:0:0:0:0:9 ",
        ] {
            assert_eq!(
                client("127.0.0.1", &[entry]),
                Ok(ip("2001:db8:7e::9")),
                "{entry}"
            );
        }
        // An IPv6 proxy, and an IPv4 client behind it written as IPv4-mapped IPv6.
        assert_eq!(
            client("fd00::1", &["::ffff:203.0.113.9, fd00::2"]),
            Ok(ip("203.0.113.9"))
        );
        // An IPv4-mapped peer (a dual-stack listener) is its IPv4 address.
        assert_eq!(
            client("::ffff:127.0.0.1", &["203.0.113.9"]),
            Ok(ip("203.0.113.9"))
        );
        assert_eq!(client("::ffff:198.51.100.7", &[]), Ok(ip("198.51.100.7")));
        // With a port, as some proxies write it.
        assert_eq!(
            client("127.0.0.1", &["203.0.113.9:4711"]),
            Ok(ip("203.0.113.9"))
        );
    }

    #[test]
    fn garbage_where_the_client_should_be_is_refused_not_trusted() {
        for entry in [
            "garbage",
            "unknown",
            "203.0.113",
            "203.0.113.9.1",
            "203.0.113.256",
            "203.0.113.9/24",
            "2001:db8:7e::9%eth0",
            "[203.0.113.9]",
            "[2001:db8:7e::9",
            "2001:db8:7e::9]",
            "203.0.113.9 10.0.0.1",
            "203.0.113.9;10.0.0.1",
            "for=203.0.113.9",
            "\"203.0.113.9\"",
            "203.0.113.9:",
            "203.0.113.9:99999",
            "0x7f.1",
        ] {
            assert_eq!(
                client("127.0.0.1", &[entry]),
                malformed("127.0.0.1", entry),
                "{entry}"
            );
            // Behind a trusted hop too.
            let header = format!("{entry}, 10.0.0.1");
            assert_eq!(
                client("127.0.0.1", &[&header]),
                malformed("127.0.0.1", entry)
            );
        }
        // Bytes that are not UTF-8 are quoted lossily.
        let bytes: &[u8] = b"\xff\xfe";
        assert_eq!(
            sources().client(ip("127.0.0.1"), [bytes]),
            malformed("127.0.0.1", "\u{fffd}\u{fffd}")
        );
        // A long entry is cut for the log.
        let long = "9".repeat(1000);
        assert_eq!(
            client("127.0.0.1", &[&long]),
            malformed("127.0.0.1", &long[..SourceRefusal::ENTRY_LEN])
        );
    }

    #[test]
    fn only_a_client_in_an_allowed_range_passes() {
        let check = |peer: &str, headers: &[&str]| {
            sources().check(ip(peer), headers.iter().map(|value| value.as_bytes()))
        };
        assert_eq!(check("203.0.113.9", &[]), Ok(ip("203.0.113.9")));
        assert_eq!(check("::ffff:203.0.113.9", &[]), Ok(ip("203.0.113.9")));
        assert_eq!(check("2001:db8:7e:1::1", &[]), Ok(ip("2001:db8:7e:1::1")));
        assert_eq!(
            check("198.51.100.7", &["203.0.113.9"]),
            Err(SourceRefusal::NotAllowed {
                client: ip("198.51.100.7"),
                peer: ip("198.51.100.7"),
            })
        );
        assert_eq!(check("10.0.0.1", &["203.0.113.9"]), Ok(ip("203.0.113.9")));
        assert_eq!(
            check("10.0.0.1", &["203.0.113.9, 198.51.100.1"]),
            Err(SourceRefusal::NotAllowed {
                client: ip("198.51.100.1"),
                peer: ip("10.0.0.1"),
            })
        );
        // A trusted proxy is not a source by itself.
        assert_eq!(
            check("10.0.0.1", &[]),
            Err(SourceRefusal::NotAllowed {
                client: ip("10.0.0.1"),
                peer: ip("10.0.0.1"),
            })
        );
    }

    fn restricted() -> WebhookConfig {
        WebhookConfig::builder()
            .app(1, ["t"])
            .allowed_sources([net("203.0.113.0/24")])
            .trusted_proxies([ip("127.0.0.1")])
            .build()
            .unwrap()
    }

    #[test]
    fn without_an_allow_list_any_source_passes_and_nothing_is_read() {
        let config = WebhookConfig::builder().app(1, ["t"]).build().unwrap();
        let garbage: &[u8] = b"garbage";
        for peer in [
            Peer::Known(ip("198.51.100.7")),
            Peer::Unknown { how_to_serve: "x" },
        ] {
            assert_eq!(config.check_source(peer, [garbage]), Ok(None));
        }
        assert_eq!(config.allowed_sources(), None);
        assert!(config.trusted_proxies().is_empty());
    }

    #[test]
    fn a_refused_source_is_a_403_that_says_only_source_not_allowed() {
        let config = restricted();
        let none = std::iter::empty::<&[u8]>();
        let refused = config
            .check_source(ip("198.51.100.7").into(), none.clone())
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "source not allowed: 198.51.100.7 is in no allowed range"
        );
        let answer = Answer::from(&refused);
        assert_eq!(answer.status(), 403);
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"FAIL","ErrorCode":40302,"ErrorInfo":"source not allowed"}"#
        );

        let header: &[u8] = b"198.51.100.1";
        let forwarded = config
            .check_source(ip("127.0.0.1").into(), [header])
            .unwrap_err();
        assert_eq!(
            forwarded.to_string(),
            "source not allowed: 198.51.100.1, forwarded by trusted proxy 127.0.0.1, is in no \
             allowed range"
        );
        let header: &[u8] = b"bad\nline";
        let malformed = config
            .check_source(ip("127.0.0.1").into(), [header])
            .unwrap_err();
        assert_eq!(
            malformed.to_string(),
            r#"source not allowed: trusted proxy 127.0.0.1 forwarded for "bad\nline", which is not an IP address"#
        );
        for rejection in [forwarded, malformed] {
            assert_eq!(Answer::from(&rejection), answer);
        }

        let socket: SocketAddr = "203.0.113.9:4711".parse().unwrap();
        assert_eq!(
            config.check_source(socket.into(), none),
            Ok(Some(ip("203.0.113.9")))
        );
    }

    #[test]
    fn restricted_sources_without_a_peer_address_fail_closed() {
        let config = restricted();
        let mut rejection = None;
        let counted = crate::observe::tests::recorded(|| {
            rejection = config
                .check_source(
                    Peer::Unknown {
                        how_to_serve: "serve it so",
                    },
                    std::iter::empty::<&[u8]>(),
                )
                .err();
        });
        assert_eq!(
            counted,
            [(
                "tencent_chat_webhook_requests_total{command=none,outcome=no_peer_address}"
                    .to_owned(),
                1
            )]
        );
        let rejection = rejection.unwrap();
        assert_eq!(rejection, Rejection::NoPeerAddress);
        let answer = Answer::from(&rejection);
        assert_eq!(answer.status(), 500);
        assert_eq!(answer, Answer::from(Rejection::MissingConfig));
    }

    #[test]
    fn the_configuration_shows_and_gives_back_its_ranges() {
        let config = WebhookConfig::builder()
            .app(1, ["t"])
            .allowed_sources([net("203.0.113.9/24"), net("2001:db8:7e::/48")])
            .allowed_sources([ip("198.51.100.7")])
            .trusted_proxies([net("10.0.0.0/8")])
            .build()
            .unwrap();
        // Host bits are cleared; a bare address is one address; calls add up.
        assert_eq!(
            config.allowed_sources(),
            Some(
                &[
                    net("203.0.113.0/24"),
                    net("2001:db8:7e::/48"),
                    net("198.51.100.7/32")
                ][..]
            )
        );
        assert_eq!(config.trusted_proxies(), [net("10.0.0.0/8")]);
        assert!(
            format!("{config:?}").contains(
                "Sources { allowed: [203.0.113.0/24, 2001:db8:7e::/48, 198.51.100.7/32], \
                 trusted_proxies: [10.0.0.0/8] }"
            ),
            "{config:?}"
        );
    }

    #[test]
    fn an_empty_allow_list_or_proxies_without_one_are_refused() {
        assert_eq!(
            WebhookConfig::builder()
                .app(1, ["t"])
                .allowed_sources(Vec::<IpNet>::new())
                .build()
                .unwrap_err(),
            ConfigError::NoAllowedSources
        );
        assert_eq!(
            WebhookConfig::builder()
                .app(1, ["t"])
                .trusted_proxies([net("10.0.0.0/8")])
                .build()
                .unwrap_err(),
            ConfigError::TrustedProxiesWithoutAllowList
        );
    }
}
