package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineRule drops a line that matches on its own, wherever it stands.
type lineRule struct {
	why   string
	match func(l *cline) bool
}

// shortMatch returns a rule matcher: the line's key matches re and has at
// most maxWords words.
func shortMatch(re *regexp.Regexp, maxWords int) func(l *cline) bool {
	return func(l *cline) bool { return l.kwc <= maxWords && re.MatchString(l.key) }
}

// The line rules, tried in order; the first match names the reason. Every
// pattern is anchored to the whole line or limited to short lines, so prose
// that merely mentions "share" or "cookies" stays.
var lineRules = []lineRule{
	{"page-layout label (logo, header, icon)", isChromeLabel},
	{"site name or web address", isBareAddress},
	{"breadcrumb navigation", isBreadcrumb},
	{"numbers only (timestamp or image caption)", isNumbersOnly},
	{"summary-box heading (its content is kept once)", shortMatch(summaryHeadingRe, 5)},
	{"sharing prompt", isSharePrompt},
	{"comment form", shortMatch(commentRe, 16)},
	{"loading message", shortMatch(loadingRe, 6)},
	{"link to the source page", shortMatch(sourceLinkRe, 8)},
	{"subscription or sign-up prompt", isSubscribePrompt},
	{"cookie notice", isCookieNotice},
	{"advertisement label", shortMatch(advertRe, 8)},
	{"navigation or player control", shortMatch(navRe, 8)},
	{"photo credit", isPhotoCredit},
	{"tag list", shortMatch(tagListRe, 40)},
	{"copyright notice", isCopyright},
	{"footer links", isFooterLinks},
	{"link to another article", shortMatch(inlineLinkRe, 25)},
}

var (
	// summaryHeadingRe: headings of boxes that repeat the story in brief.
	summaryHeadingRe = regexp.MustCompile(`^(key takeaways?|takeaways|key points|main points|(story |key )?highlights|at a glance|in brief|in short|(article |story )?summary|tl;? ?dr|what you need to know|key facts)$`)

	// shareRe: a whole line that is a sharing button or prompt.
	shareRe = regexp.MustCompile(`^(share|shares|share (this|the|it)( (article|story|post|page|video))?|share (on|via|to|with|by) .{1,40}|tweet( this)?|email( this)?( (article|story))?|print( this)?( (article|story|page))?|copy (the )?link|link copied|\d+ shares?)$`)
	// sharePromptRe: short lines asking readers to pass the story on.
	sharePromptRe = regexp.MustCompile(`\b(enjoyed (this|it|the article|the story|reading)|let (your|ur) friends know|tell your friends|spread the word|(liked|enjoyed|found) this (article|story|post)|share (this|it) with (your )?(friends|family|others))\b`)
	// socialWords: button labels that make up a row of sharing links.
	socialWords = map[string]bool{
		"share": true, "tweet": true, "email": true, "e-mail": true, "print": true, "facebook": true,
		"twitter": true, "x": true, "whatsapp": true, "linkedin": true, "pinterest": true,
		"reddit": true, "telegram": true, "messenger": true, "flipboard": true, "tumblr": true,
		"copy": true, "link": true, "sms": true, "threads": true, "bluesky": true, "mastodon": true,
		"on": true, "via": true, "this": true, "article": true, "|": true, "·": true, "•": true,
	}

	commentRe = regexp.MustCompile(`^(leave a (reply|comment)|post a comment|add a comment|write a comment|cancel reply|(\d+ )?comments?|no comments( yet)?|(view|show|hide|load more|read) comments|join the (conversation|discussion)|be the first to comment|comments are closed|log ?in to (comment|reply)|please enter (your )?(comment|name|e-?mail|email address|website)( (address|here))*|you have entered an incorrect e-?mail address|save my name,? e-?mail,? and website in this browser for the next time i comment|notify me of (new|follow-up) (comments|posts).*|your e-?mail address will not be published.*|required fields are marked.*|reply|report( (comment|abuse))?)$`)

	loadingRe = regexp.MustCompile(`^(loading\b.*|please wait)$`)

	sourceLinkRe = regexp.MustCompile(`^(source link|source|sources|original source|view (the )?original( (article|story|post))?|read (the )?(original|full) (article|story)( (here|at|on) .*)?|link to (the )?(original )?(article|story|source))$`)

	subscribeRe = regexp.MustCompile(`^(subscribe( (now|today|here|for free))?|subscribe to (our|the) .{1,60}|sign up( (now|here|today|for free))?|sign up (for|to) .{1,80}|newsletter|log ?in|sign in|register|create (a|an|your) (free )?account|already (a subscriber|have an account).*|become a (member|subscriber|supporter|patron).*|support (our|independent) journalism.*|donate( now| today)?|get (the|our) .{0,40}newsletter.*)$`)
	// newsletterPromptRe: short calls to get something delivered or join.
	newsletterPromptRe = regexp.MustCompile(`\b(delivered (straight |directly )?to your inbox|in your inbox|sign up (for|to)|subscribe (to|for|now)|join our (mailing list|newsletter)|our newsletter)\b`)

	cookieRe = regexp.MustCompile(`\b((we|this (web)?site|our (web)?site|our partners) (use|uses|store|set)s? cookies|accept (all )?cookies|cookie (settings|preferences|policy|notice|consent|banner)|by (continuing|using) (to (use|browse) )?(this|our) (web)?site)\b`)
	// cookieCueRe: a second sign that a cookie sentence is a banner, not a
	// quotation in a story ("'We use cookies responsibly,' the firm said").
	cookieCueRe    = regexp.MustCompile(`\b(accept|agree|consent|preferences|settings|privacy|experience|personali[sz]e|analytics|continuing|browsing|learn more|find out more)`)
	cookieButtonRe = regexp.MustCompile(`^(accept|accept all|reject all|allow all( cookies)?|manage (preferences|cookies|settings|consent)|cookie settings|necessary (cookies )?only|i accept|got it)$`)

	advertRe = regexp.MustCompile(`^(advertisement|advertisements|advert|adverts|ad|ads|sponsored( content)?|promoted( content)?|paid (content|post)|partner content|(story|article) continues below( (this )?(advertisement|ad))?|continue reading (below|the main story)|scroll (down )?to continue( with content)?|skip (to|past) (main )?(content|ad|advertisement)|advertise with us|ad feedback|remove ads|report this ad)$`)

	navRe = regexp.MustCompile(`^(home|menu|main menu|open menu|close menu|toggle navigation|navigation|search|close|back to top|skip to (main )?content|sections|follow us( on .{1,40})?|listen to (this )?(article|story)|\d+ min(ute)?s? read|read time \d+ min(ute)?s?|text size|font size|see more|show more|load more|next( (article|story|page))?|previous( (article|story|page))?|prev|play( video)?|watch( video| now)?|pause|mute|unmute|view gallery|photo gallery|enlarge( image)?|expand|collapse|open in app|download (the|our) app)$`)

	photoCreditRe = regexp.MustCompile(`^\(?(photo|image|picture|video|graphic|illustration|photograph|file photo)s?( credits?)?( by| courtesy( of)?)?\s*[:/|©]|^\(?(photo|image|picture)s? (by|credit|courtesy)\b|^\(?credits?\s*:|(getty images|shutterstock|alamy|afp via getty)\)?$`)

	tagListRe = regexp.MustCompile(`^(tags?|topics?|filed under|categories|category|keywords)\s*:`)

	copyrightRe = regexp.MustCompile(`^(©|\(c\)|copyright\b)|all rights reserved`)

	footerLinkRe = regexp.MustCompile(`privacy policy|terms (of|and) (use|service|conditions)|contact us|about us|cookie policy|sitemap|advertise with us|accessibility statement`)

	inlineLinkRe = regexp.MustCompile(`^(related|read more|read also|also read|see also|read next|more|recommended|watch|listen|must read|don't miss)\s*[:|»>]\s*\S`)

	// listHeadingRe: headings of link lists that end the story.
	listHeadingRe = regexp.MustCompile(`^(related( (news|articles?|stories|posts|content|coverage|reading|topics|links|videos))?|more (related )?(news|stories|articles|videos)|more from .{1,40}|more on (this|that)( (story|topic))?|read (more|next|also)|also read|see also|you (may|might) (also )?(like|enjoy)|you may have missed|recommended( (for you|stories|reading|articles))?|most (popular|read|viewed|shared|commented)|popular( (now|stories|posts|news|articles))?|trending( (now|stories|news))?|recent (comments|posts|articles|news|stories)|latest (news|stories|posts|articles|headlines)|top stories|editor'?s'? picks|what to read next|further reading|around the web|from (around|across) the web|(sponsored|promoted) stories|more stories|in other news|in case you missed it|don't miss)$`)

	// imageExtRe: an image or asset file name standing alone.
	imageExtRe = regexp.MustCompile(`(?i)\.(png|jpe?g|gif|svg|webp|avif|ico|bmp)(\?\S*)?$`)

	// bareAddressRe: a domain name or URL alone on a line.
	bareAddressRe = regexp.MustCompile(`(?i)^(https?://)?(www\.)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](/\S*)?/?$|^https?://\S+$`)

	// breadcrumbSepRe: "Home" followed by a breadcrumb separator.
	breadcrumbSepRe = regexp.MustCompile(`^home\s*[›>»/|·•→:]`)
)

// chromeWords are layout names that, joined into one token with hyphens,
// underscores or camel case, mark an image alt text or class name that
// leaked into copied text ("Site-Mobile-header-logo").
var chromeWords = map[string]bool{
	"logo": true, "header": true, "footer": true, "navbar": true, "nav": true, "sidebar": true,
	"banner": true, "icon": true, "widget": true, "btn": true, "thumbnail": true, "thumb": true,
	"avatar": true, "sprite": true, "placeholder": true, "favicon": true, "masthead": true,
}

// isChromeLabel matches one-token lines built from layout words
// ("Brand-Header-Logo", "nav_icon") and short alt texts ending in "logo".
func isChromeLabel(l *cline) bool {
	t := l.text
	if !strings.ContainsAny(t, " \t") {
		if imageExtRe.MatchString(t) {
			return true
		}
		parts := splitIdentifier(t)
		if len(parts) >= 2 {
			for _, p := range parts {
				if chromeWords[strings.ToLower(p)] {
					return true
				}
			}
		}
		return false
	}
	if l.kwc <= 4 {
		last := l.key[strings.LastIndexByte(l.key, ' ')+1:]
		return last == "logo" || last == "icon"
	}
	return false
}

// splitIdentifier splits a token on hyphens, underscores, dots and
// lower-to-upper case changes.
func splitIdentifier(t string) []string {
	var parts []string
	var cur []rune
	var prev rune
	for _, r := range t {
		switch {
		case r == '-' || r == '_' || r == '.':
			if len(cur) > 0 {
				parts = append(parts, string(cur))
			}
			cur = cur[:0]
		case unicode.IsUpper(r) && unicode.IsLower(prev) && len(cur) > 0:
			parts = append(parts, string(cur))
			cur = append(cur[:0], r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	if len(cur) > 0 {
		parts = append(parts, string(cur))
	}
	return parts
}

// isBareAddress matches a line that is only a domain name or a URL.
func isBareAddress(l *cline) bool {
	return !strings.ContainsAny(l.text, " \t") && bareAddressRe.MatchString(l.text)
}

// isBreadcrumb matches navigation trails: "Home › World › Americas", or
// the glued form copied from a page ("HomeWorldMexico's leader says...")
// where "Home" runs into the next capitalised word and the line either has
// more such glued joins or ends cut off with an ellipsis.
func isBreadcrumb(l *cline) bool {
	if l.kwc > 40 {
		return false
	}
	if breadcrumbSepRe.MatchString(l.key) {
		return true
	}
	t := l.text
	if !strings.HasPrefix(t, "Home") || len(t) < 5 {
		return false
	}
	next, _ := utf8.DecodeRuneInString(t[4:])
	if !unicode.IsUpper(next) {
		return false
	}
	trimmed := strings.TrimRightFunc(t, unicode.IsSpace)
	if strings.HasSuffix(trimmed, "...") || strings.HasSuffix(trimmed, "…") {
		return true
	}
	return gluedJoins(t) >= 2
}

// gluedJoins counts places where a lower-case letter runs straight into an
// upper-case one inside a word ("EconomyMexico").
func gluedJoins(s string) int {
	n := 0
	var prev rune
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			n++
		}
		prev = r
	}
	return n
}

// isNumbersOnly matches a line of digits with spaces or date/time
// separators only, such as a timestamp used as an image caption.
func isNumbersOnly(l *cline) bool {
	digits := 0
	for _, r := range l.text {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsSpace(r) || strings.ContainsRune(":/.,_-", r):
		default:
			return false
		}
	}
	return digits > 0
}

// isSharePrompt matches share buttons, rows of social network names and
// short "enjoyed this? tell your friends" prompts.
func isSharePrompt(l *cline) bool {
	if l.kwc > 12 {
		return false
	}
	if shareRe.MatchString(l.key) || (containsAny(l.key, "enjoy", "friends", "spread", "liked", "found this", "share") && sharePromptRe.MatchString(l.key)) {
		return true
	}
	fields := strings.FieldsFunc(l.key, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '/'
	})
	social := 0
	for _, f := range fields {
		if !socialWords[f] {
			return false
		}
		if f != "on" && f != "via" && f != "this" && f != "article" && f != "|" && f != "·" && f != "•" {
			social++
		}
	}
	return social >= 2
}

// isSubscribePrompt matches subscribe, sign-up and newsletter calls.
func isSubscribePrompt(l *cline) bool {
	if l.kwc <= 10 && subscribeRe.MatchString(l.key) {
		return true
	}
	return l.kwc <= 16 && containsAny(l.key, "inbox", "sign up", "subscribe", "newsletter", "mailing list") &&
		newsletterPromptRe.MatchString(l.key)
}

// isCookieNotice matches cookie banners and their buttons.
func isCookieNotice(l *cline) bool {
	if l.kwc <= 5 && cookieButtonRe.MatchString(l.key) {
		return true
	}
	return l.kwc <= 60 && strings.Contains(l.key, "cookie") &&
		cookieRe.MatchString(l.key) && cookieCueRe.MatchString(l.key)
}

// isPhotoCredit matches short photo and image credit lines.
func isPhotoCredit(l *cline) bool {
	return l.kwc <= 20 && photoCreditRe.MatchString(l.key)
}

// isCopyright matches short copyright lines.
func isCopyright(l *cline) bool {
	return l.kwc <= 25 && containsAny(l.key, "©", "(c)", "copyright", "rights reserved") && copyrightRe.MatchString(l.key)
}

// isFooterLinks matches a row of site footer links (two or more of
// "Privacy policy", "Terms of use", "Contact us", ...).
func isFooterLinks(l *cline) bool {
	return l.kwc <= 30 && containsAny(l.key, "privacy", "terms", "contact", "about us", "sitemap", "advertise", "accessibility") &&
		len(footerLinkRe.FindAllString(l.key, 3)) >= 2
}

// containsAny reports whether s contains any of subs: a cheap test before
// an unanchored pattern.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isListHeading matches the heading of a list of links to other articles.
func isListHeading(l *cline) bool {
	return l.kwc <= 7 && listHeadingRe.MatchString(l.key)
}

// dateWords are the words a date-only line may contain besides numbers.
var dateWords = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "mon": true, "tue": true, "tues": true, "wed": true,
	"thu": true, "thur": true, "thurs": true, "fri": true, "sat": true, "sun": true,
	"am": true, "pm": true, "a": true, "p": true, "m": true,
	"utc": true, "gmt": true, "et": true, "est": true, "edt": true, "ct": true, "cst": true,
	"cdt": true, "mt": true, "mst": true, "mdt": true, "pt": true, "pst": true, "pdt": true,
	"bst": true, "cet": true, "cest": true, "ist": true, "aest": true, "aedt": true, "z": true,
	"updated": true, "published": true, "posted": true, "last": true, "modified": true,
	"on": true, "at": true, "of": true, "the": true, "ago": true, "today": true, "yesterday": true,
	"hour": true, "hours": true, "hr": true, "hrs": true, "min": true, "mins": true,
	"minute": true, "minutes": true, "day": true, "days": true, "week": true, "weeks": true,
	"st": true, "nd": true, "rd": true, "th": true,
}

// dateAnchorWords are words that make a line a date rather than a number.
var dateAnchorWords = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"ago": true, "today": true, "yesterday": true,
}

var numericDateRe = regexp.MustCompile(`\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b`)

// isDateLine matches a line holding only a date or time: "Sunday, August
// 10, 2025", "Updated 3 hours ago", "2025-08-10 14:05 UTC".
func isDateLine(key string) bool {
	words := strings.FieldsFunc(key, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	anchor := numericDateRe.MatchString(key)
	for _, w := range words {
		switch {
		case isDigits(w) && len(w) <= 4:
		case isOrdinal(w):
		case dateWords[w]:
			if dateAnchorWords[w] {
				anchor = true
			}
		default:
			return false
		}
	}
	return anchor
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// isOrdinal matches "1st", "22nd", "3rd", "10th".
func isOrdinal(s string) bool {
	if len(s) < 3 || len(s) > 4 {
		return false
	}
	suf := s[len(s)-2:]
	return isDigits(s[:len(s)-2]) && (suf == "st" || suf == "nd" || suf == "rd" || suf == "th")
}

// bylineJoiners may appear uncapitalised inside a byline's name list.
var bylineJoiners = map[string]bool{
	"and": true, "&": true, "de": true, "van": true, "von": true, "der": true, "la": true,
	"le": true, "del": true, "da": true, "bin": true, "al": true, "in": true, "|": true, "-": true,
	"and,": true, "staff": true, "for": true, "the": true,
}

// isByline matches "By Jane Doe", "By Jane Doe and John Roe | Reuters":
// "By" then at most eight words, mostly capitalised, and no final period.
func isByline(text string) bool {
	if !strings.HasPrefix(text, "By ") && !strings.HasPrefix(text, "BY ") {
		return false
	}
	rest := strings.Fields(text[3:])
	if len(rest) == 0 || len(rest) > 8 || endsSentence(text) && !strings.HasSuffix(text, "Jr.") {
		return false
	}
	capital := 0
	for _, w := range rest {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r):
			capital++
		case bylineJoiners[strings.ToLower(w)]:
		default:
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(rest[0])
	return capital > 0 && unicode.IsUpper(first)
}
