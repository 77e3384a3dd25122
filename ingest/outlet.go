package ingest

import (
	"net/url"
	"strings"
)

// OutletFromURL guesses an outlet from a page address: domain is the host
// in lower case without port, trailing dot or leading "www.", and name is a
// readable label for it (currently the domain itself). Callers should
// prefer a site name the page declares (Article.SiteName) over this name.
// Both are "" when u is nil or has no host.
func OutletFromURL(u *url.URL) (name, domain string) {
	if u == nil {
		return "", ""
	}
	domain = strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	domain = strings.TrimPrefix(domain, "www.")
	return domain, domain
}
