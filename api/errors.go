package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"slant/desk"
	"slant/ingest"
	"slant/models"
)

// ErrorBody is the JSON body of every error response: {"error": "..."}.
// The message is always safe to show to the person who sent the request.
type ErrorBody struct {
	Error string `json:"error"`
}

// internalErrorMessage is all a client learns about a failure it did not
// cause; the detail goes to the log.
const internalErrorMessage = "internal error"

// unreadablePageMessage answers a page that could not be read at all.
const unreadablePageMessage = "the page could not be read: its markup is broken or nested too deeply; paste its text instead"

// timeoutMessage answers a request whose deadline passed.
const timeoutMessage = "the server took too long to answer; try again later"

// requestError is a problem with the request itself that the api package
// finds before the store is reached: malformed JSON, a bad query parameter,
// the wrong content type. Its message is written for the client.
type requestError struct {
	status  int
	message string
}

// Error is the message sent to the client.
func (e *requestError) Error() string { return e.message }

// badRequest returns a 400 requestError with a formatted message.
func badRequest(format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, message: fmt.Sprintf(format, args...)}
}

// classify is the one table from errors to HTTP statuses and the message a
// client may see. Anything it does not recognise is a 500 whose detail is
// logged by fail, never sent.
//
//	*http.MaxBytesError       413  the request is too large: this Slant accepts at most 2 MB (2,097,152 bytes) in one request
//	*requestError             its own status (400, 404, 409, 415) and message
//	*desk.TooLargeError       413  text is too long: this Slant accepts at most about W words (N bytes)
//	models.ErrNotFound        404  not found
//	models.ErrConflict        409  conflicts with something already stored
//	models.ErrClosed          410  no longer open (an exercise that has ended
//	                               or expired, with words for the student)
//	*models.ValidationError   422  the validation message ("text is required")
//	models.ErrInvalid         422  invalid input
//	*desk.ExplainedError      the status of the error it wraps, with the
//	                          desk's words ("this article is already in
//	                          this event", "this event already has 12
//	                          articles, the most one event may hold")
//	*desk.FetchError          a page fetch for an article added by URL
//	                          failed; the status and message say why:
//	  ingest.ErrBlockedAddress          422  that address is not allowed
//	  ingest.ErrScheme                  422  only http and https addresses can be fetched
//	  ingest.ErrInvalidURL              422  that URL is not valid
//	  ingest.ErrUnsupportedContentType  422  not a web page (HTML or plain text)
//	  ingest.ErrTooLarge                413  the page is larger than this Slant fetches
//	  ingest.ErrTooManyRedirects        502  the site redirected too many times
//	  *ingest.HTTPStatusError           502  the site answered 404 Not Found (its status)
//	  a timeout                         502  the site did not answer in time
//	  anything else                     502  the site could not be reached
//	ingest.ErrNoArticle       422  no article text was found in the page
//	ingest.ErrUnreadablePage  422  the page could not be read (markup nested
//	                               in a way no HTML parser takes)
//	*desk.RejectedError       422  an import refused for its bad lines (strict
//	                               mode, or every line bad), the first 100
//	                               in the body's line_errors; nothing stored
//	*desk.BuiltinTermError    409  (a conflict, explained) a class term the
//	                               built-in lexicon has, named in the body's
//	                               builtin
//	context.DeadlineExceeded  503  the request took too long
//	context.Canceled          503  the request was cancelled (the client left)
//	anything else             500  internal error
//
// Refusals made before a handler runs are answered by their middleware in
// the same {"error": ...} shape: 401 a teacher's route without the admin
// token (or, without one configured, from another machine) and 403 a
// wrong token or a read-only server (access.go), 429 over a rate, with Retry-After
// (ratelimit.go), and 403 a CORS preflight from an origin not allowed
// (cors.go). The LLM routes add 409 "no language model is set up on this
// server: Slant uses its word lists only" and 422 for agreed facts of an event with fewer than two articles
// (requestError, llm.go; a failed model call never reaches this table: it
// fails its job, see llmjobs.Message).
func classify(err error) (status int, message string) {
	var (
		tooBig   *http.MaxBytesError
		request  *requestError
		invalid  *models.ValidationError
		text     *desk.TooLargeError
		fetch    *desk.FetchError
		rejected *desk.RejectedError
	)
	switch {
	case errors.As(err, &tooBig):
		status, message = http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is too large: this Slant accepts at most %s in one request", sizeInWords(tooBig.Limit))
	case errors.As(err, &request):
		status, message = request.status, request.message
	case errors.As(err, &text):
		status, message = http.StatusRequestEntityTooLarge, text.Error()
	case errors.As(err, &fetch):
		status, message = fetchStatus(fetch.Err)
	case errors.Is(err, ingest.ErrNoArticle):
		status, message = http.StatusUnprocessableEntity, "no article text was found in the page"
	case errors.Is(err, ingest.ErrUnreadablePage):
		status, message = http.StatusUnprocessableEntity, unreadablePageMessage
	case errors.As(err, &rejected):
		status = http.StatusUnprocessableEntity
		message = fmt.Sprintf("the import was refused and nothing was stored: %d lines have errors (line_errors lists the first %d)", rejected.Total(), desk.MaxLineErrors)
		if rejected.NothingGood {
			message = fmt.Sprintf("nothing was stored: every line has errors, %d in all (line_errors lists the first %d)", rejected.Total(), desk.MaxLineErrors)
		}
	case errors.Is(err, models.ErrNotFound):
		status, message = http.StatusNotFound, "not found"
	case errors.Is(err, models.ErrConflict):
		status, message = http.StatusConflict, "conflicts with something already stored"
	case errors.Is(err, models.ErrClosed):
		status, message = http.StatusGone, "this is no longer open"
	case errors.As(err, &invalid):
		status, message = http.StatusUnprocessableEntity, invalid.Error()
	case errors.Is(err, models.ErrInvalid):
		status, message = http.StatusUnprocessableEntity, "invalid input"
	case errors.Is(err, context.DeadlineExceeded):
		status, message = http.StatusServiceUnavailable, timeoutMessage
	case errors.Is(err, context.Canceled):
		status, message = http.StatusServiceUnavailable, "the request was cancelled"
	default:
		return http.StatusInternalServerError, internalErrorMessage
	}
	var explained *desk.ExplainedError
	if errors.As(err, &explained) {
		message = explained.Message
	}
	return status, message
}

// fetchStatus is the part of classify's table for failed page fetches.
// A refusal of what the client asked for (a blocked address, a page that
// is not a page) is the client's to fix: 4xx. A site that misbehaves or
// cannot be reached is 502, the gateway's answer: the request was fine and
// may work later. The messages never name an address Slant resolved or
// say why a connection failed.
func fetchStatus(err error) (int, string) {
	var (
		status  *ingest.HTTPStatusError
		network net.Error
	)
	switch {
	case errors.Is(err, ingest.ErrBlockedAddress):
		return http.StatusUnprocessableEntity, "that address is not allowed"
	case errors.Is(err, ingest.ErrScheme):
		return http.StatusUnprocessableEntity, "only http and https addresses can be fetched"
	case errors.Is(err, ingest.ErrInvalidURL):
		return http.StatusUnprocessableEntity, "that URL is not valid"
	case errors.Is(err, ingest.ErrUnsupportedContentType):
		return http.StatusUnprocessableEntity, "that address does not serve a web page (HTML or plain text)"
	case errors.Is(err, ingest.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "the page is larger than this Slant fetches"
	case errors.Is(err, ingest.ErrTooManyRedirects):
		return http.StatusBadGateway, "the site redirected too many times"
	case errors.As(err, &status):
		return http.StatusBadGateway, fmt.Sprintf("the site answered %d %s", status.StatusCode, http.StatusText(status.StatusCode))
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &network) && network.Timeout():
		return http.StatusBadGateway, "the site did not answer in time"
	}
	return http.StatusBadGateway, "the page could not be fetched: the site could not be reached"
}

// fail ends the request with the status and message classify picks. Server
// errors are logged with their full detail, which stays out of the response;
// a deadline or cancellation is logged as a warning, since it says the
// server was slow or the client left rather than that something is broken.
// So is a page fetch that failed (502: the site the client named did not
// answer, or answered 404): the address came from the client, and an
// error in the log should mean that Slant itself needs looking at. A fetch
// refused (a blocked address, not a web page) is logged at info, with the
// detail the answer leaves out.
func (s *Server) fail(c *gin.Context, err error) {
	status, message := classify(err)
	var fetch *desk.FetchError
	if errors.As(err, &fetch) {
		level, msg := slog.LevelInfo, "page fetch refused"
		if status >= http.StatusInternalServerError {
			level, msg = slog.LevelWarn, "page fetch failed"
			c.Set(clientCausedKey, true)
		}
		s.log.Log(c.Request.Context(), level, msg,
			"method", c.Request.Method,
			"path", c.Request.URL.Path,
			"status", status,
			"error", err.Error(),
		)
	} else if status == http.StatusServiceUnavailable {
		s.log.WarnContext(c.Request.Context(), "request not completed",
			"method", c.Request.Method,
			"path", c.Request.URL.Path,
			"error", err.Error(),
		)
	} else if status >= http.StatusInternalServerError {
		s.log.ErrorContext(c.Request.Context(), "request failed",
			"method", c.Request.Method,
			"path", c.Request.URL.Path,
			"error", err.Error(),
		)
	}
	var rejected *desk.RejectedError
	if errors.As(err, &rejected) {
		c.AbortWithStatusJSON(status, ImportRejectionView{Error: message, LineErrors: lineErrorViews(rejected.LineErrors), LineErrorCount: rejected.Total()})
		return
	}
	var builtin *desk.BuiltinTermError
	if errors.As(err, &builtin) {
		view := builtinTermView(builtin.Category, builtin.CategoryLabel, builtin.Entry)
		c.AbortWithStatusJSON(status, WordListConflictView{Error: message, Builtin: view})
		return
	}
	c.AbortWithStatusJSON(status, ErrorBody{Error: message})
}

// decodeJSON reads the request body into dst. It insists on a JSON content
// type (a cross-site form cannot send one without a CORS preflight, which
// this server grants only to configured origins), caps the body at the server's limit, refuses
// unknown fields (a misspelt field would otherwise be silently ignored),
// refuses a body that is not UTF-8 (encoding/json would turn each bad byte
// into U+FFFD, and the byte offsets of later messages would no longer
// point into what the client sent) and refuses anything after the one
// JSON value. The body is read whole first, within the limit: the decoder
// would hold it all anyway.
func (s *Server) decodeJSON(c *gin.Context, dst any) error {
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return &requestError{status: http.StatusUnsupportedMediaType, message: "Content-Type must be application/json"}
	}
	if c.Request.ContentLength > s.maxBody {
		return fmt.Errorf("read request body: %w", &http.MaxBytesError{Limit: s.maxBody})
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.maxBody))
	if err != nil {
		return fmt.Errorf("read request body: %w", err)
	}
	if !utf8.Valid(data) {
		at := ingest.FirstInvalidUTF8(data)
		return badRequest("request body is not valid UTF-8 (byte 0x%02X at byte %d): send JSON in UTF-8", data[at], at+1)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return badRequest("request body must hold a single JSON object")
	}
	return nil
}

// clientCausedKey marks, in the gin context, a request whose 5xx answer
// the client's own input caused (a page fetch from the address it gave
// that failed): its request line is logged as a warning, not an error.
const clientCausedKey = "slant.clientCaused"

// maxJSONDepth is encoding/json's nesting limit, named in the message of
// a body nested deeper.
const maxJSONDepth = 10000

// jsonError turns a decoding error into a 400 whose message says what is
// wrong in the client's terms, or passes on a body-size error for the 413.
func jsonError(err error) error {
	var (
		tooBig    *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return fmt.Errorf("read request body: %w", err)
	case errors.Is(err, io.EOF):
		return badRequest("request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("request body is not valid JSON: it ends too early")
	case errors.As(err, &syntax) && strings.HasSuffix(syntax.Error(), "exceeded max depth"):
		return badRequest("request body is nested too deeply: more than %d levels of objects and lists (at byte %d)", maxJSONDepth, syntax.Offset)
	case errors.As(err, &syntax):
		return badRequest("request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &wrongType):
		if wrongType.Field == "" {
			return badRequest("request body must be a JSON object")
		}
		return badRequest("field %q must be %s", wrongType.Field, jsonKind(wrongType.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return badRequest("request body is not valid JSON")
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "slice" || kind == "array":
		return "an array"
	}
	return "an object"
}

// pathID reads a positive integer id from the path. Anything else is
// answered with the same 404 an unknown id gets, not a 400: such an id
// cannot name anything, and clients then need only one case.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &requestError{status: http.StatusNotFound, message: "not found"}
	}
	return id, nil
}

// queryInt reads an optional non-negative integer query parameter; absent
// means 0, which the store reads as "use the default".
func queryInt(c *gin.Context, name string) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok || raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, badRequest("%s must be a non-negative integer", name)
	}
	return n, nil
}

// sizeInWords writes a byte limit as a person reads it, with the exact
// figure beside: "2 MB (2,097,152 bytes)", "512 bytes".
func sizeInWords(n int64) string {
	exact := desk.GroupDigits(n) + " bytes"
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB (%s)", n>>20, exact)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB (%s)", n>>10, exact)
	}
	return exact
}
