package ingest

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The classifier is tested on addresses only: nothing here connects.
func TestBlockedReason(t *testing.T) {
	tests := []struct {
		addr          string
		reason        string // substring; "" means allowed
		allowLoopback bool
	}{
		// public
		{addr: "93.184.216.34"},
		{addr: "8.8.8.8"},
		{addr: "1.1.1.1"},
		{addr: "2606:4700:4700::1111"},
		{addr: "2001:4860:4860::8888"},
		{addr: "100.63.255.255"},
		{addr: "100.128.0.1"},
		{addr: "172.15.255.255"},
		{addr: "172.32.0.1"},
		{addr: "11.0.0.1"},
		{addr: "169.253.255.255"},
		// loopback
		{addr: "127.0.0.1", reason: "loopback"},
		{addr: "127.8.9.10", reason: "loopback"},
		{addr: "::1", reason: "loopback"},
		{addr: "::ffff:127.0.0.1", reason: "loopback"},
		{addr: "127.0.0.1", allowLoopback: true},
		{addr: "::1", allowLoopback: true},
		{addr: "::ffff:127.0.0.1", allowLoopback: true},
		// private (RFC 1918, unique local)
		{addr: "10.0.0.1", reason: "private"},
		{addr: "10.255.255.255", reason: "private", allowLoopback: true},
		{addr: "172.16.0.1", reason: "private"},
		{addr: "172.31.255.254", reason: "private"},
		{addr: "192.168.1.1", reason: "private"},
		{addr: "fc00::1", reason: "private"},
		{addr: "fd12:3456::1", reason: "private"},
		{addr: "::ffff:10.0.0.1", reason: "private"},
		{addr: "::ffff:192.168.0.1", reason: "private"},
		// link-local and cloud metadata
		{addr: "169.254.1.1", reason: "link-local"},
		{addr: "169.254.169.254", reason: "cloud metadata"},
		{addr: "::ffff:169.254.169.254", reason: "cloud metadata"},
		{addr: "fd00:ec2::254", reason: "cloud metadata"},
		{addr: "fe80::1", reason: "link-local"},
		{addr: "fe80::1%eth0", reason: "link-local"},
		// unspecified, multicast, broadcast, reserved
		{addr: "0.0.0.0", reason: "unspecified"},
		{addr: "::", reason: "unspecified"},
		{addr: "0.1.2.3", reason: "this network"},
		{addr: "224.0.0.1", reason: "multicast"},
		{addr: "239.255.255.250", reason: "multicast"},
		{addr: "ff02::1", reason: "multicast"},
		{addr: "ff05::2", reason: "multicast"},
		{addr: "255.255.255.255", reason: "broadcast"},
		{addr: "240.0.0.1", reason: "reserved"},
		// CGNAT and other special ranges
		{addr: "100.64.0.1", reason: "carrier-grade NAT"},
		{addr: "100.127.255.254", reason: "carrier-grade NAT"},
		{addr: "::ffff:100.64.0.1", reason: "carrier-grade NAT"},
		{addr: "192.0.2.10", reason: "documentation"},
		{addr: "2001:db8::1", reason: "documentation"},
		{addr: "198.18.0.1", reason: "benchmarking"},
		{addr: "fec0::1", reason: "site-local"},
		// IPv4 carried inside IPv6
		{addr: "64:ff9b::a00:1", reason: "private"},      // NAT64 of 10.0.0.1
		{addr: "64:ff9b::7f00:1", reason: "loopback"},    // NAT64 of 127.0.0.1
		{addr: "64:ff9b::a9fe:a9fe", reason: "metadata"}, // NAT64 of 169.254.169.254
		{addr: "2002:a00:1::1", reason: "private"},       // 6to4 of 10.0.0.1
		{addr: "::10.0.0.1", reason: "IPv4-compatible"},  // deprecated form
		{addr: "64:ff9b::5db8:d822"},                     // NAT64 of a public address
		{addr: "2001::1", reason: "Teredo"},
	}
	for _, tt := range tests {
		ip := netip.MustParseAddr(tt.addr)
		got := blockedReason(ip, tt.allowLoopback)
		if tt.reason == "" {
			assert.Empty(t, got, "%s (allowLoopback=%v) should be allowed", tt.addr, tt.allowLoopback)
		} else {
			assert.Contains(t, got, tt.reason, "%s (allowLoopback=%v)", tt.addr, tt.allowLoopback)
		}
	}
	assert.NotEmpty(t, blockedReason(netip.Addr{}, true), "zero address")
}
