package ingest

import "net/netip"

// blockedPrefixes are address ranges no fetch may reach, with the reason
// given in the error. Loopback, private, link-local, multicast and
// unspecified addresses are recognised by netip's own predicates in
// blockedReason; these are the rest.
var blockedPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("169.254.169.254/32"), "a cloud metadata address"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "a cloud metadata address"},
	{netip.MustParsePrefix("0.0.0.0/8"), "a \"this network\" address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT (shared) address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
	{netip.MustParsePrefix("2001::/32"), "a Teredo tunnel address"},
	{netip.MustParsePrefix("100::/64"), "a discard address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
}

// embeddedV4Prefixes are IPv6 ranges that carry an IPv4 address in their
// last 32 bits (NAT64) or bits 16–47 (6to4); the IPv4 address is checked too.
var (
	nat64Prefixes = []netip.Prefix{
		netip.MustParsePrefix("64:ff9b::/96"),
		netip.MustParsePrefix("64:ff9b:1::/48"),
	}
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// blockedIPv4Inside says why an IPv6 address that carries an IPv4 one
// (NAT64, 6to4, the deprecated IPv4-compatible form) is blocked, or ""
// when it carries none or one that is allowed.
func blockedIPv4Inside(ip netip.Addr, allowLoopback bool) string {
	b := ip.As16()
	for _, p := range nat64Prefixes {
		if p.Contains(ip) {
			if r := blockedReason(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), allowLoopback); r != "" {
				return r + " (inside a NAT64 address)"
			}
		}
	}
	if sixToFour.Contains(ip) {
		if r := blockedReason(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), allowLoopback); r != "" {
			return r + " (inside a 6to4 address)"
		}
	}
	// ::a.b.c.d, the deprecated IPv4-compatible form (not :: or ::1).
	if [12]byte(b[:12]) == [12]byte{} && !ip.IsUnspecified() && !ip.IsLoopback() {
		return "an IPv4-compatible IPv6 address"
	}
	return ""
}

// blockedReason says why a fetch must not connect to ip, or "" when it
// may. IPv4-mapped, NAT64 and 6to4 IPv6 forms are judged by the IPv4
// address they carry. Loopback is allowed only when allowLoopback is set.
func blockedReason(ip netip.Addr, allowLoopback bool) string {
	if !ip.IsValid() {
		return "not a valid address"
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is6() {
		if r := blockedIPv4Inside(ip, allowLoopback); r != "" {
			return r
		}
	}
	switch {
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsLoopback():
		if allowLoopback {
			return ""
		}
		return "a loopback address"
	}
	for _, p := range blockedPrefixes[:2] { // metadata first: more telling than "link-local"
		if p.prefix.Contains(ip) {
			return p.reason
		}
	}
	switch {
	case ip.IsLinkLocalUnicast():
		return "a link-local address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "the broadcast address"
	}
	for _, p := range blockedPrefixes[2:] {
		if p.prefix.Contains(ip) {
			return p.reason
		}
	}
	if !ip.IsGlobalUnicast() {
		return "not a public unicast address"
	}
	return ""
}
