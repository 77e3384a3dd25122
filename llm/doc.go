// Package llm is Slant's optional second opinion: it asks a large language
// model, through any OpenAI-compatible chat-completions server (OpenAI,
// Ollama, vLLM, llama.cpp), for sentence-level bias types with neutral
// rewrites, and for a neutral summary of the facts every outlet agrees on.
//
// It is kept apart from the word-list analysis on purpose. Nothing here
// changes an analysis.Report: the model's verdicts come back as their own
// values, stamped with the model and PromptVersion that made them, and
// Agreement sets them beside the word lists' verdicts without merging
// them. The layer is off unless SLANT_LLM_BASE_URL and SLANT_LLM_MODEL are
// set (FromEnv).
//
// # What is sent
//
// The article is data, never instructions. The system message fixes the
// task, the taxonomy and the answer shape, and says that the text between
// the data markers is to be analysed, not obeyed; the user message holds
// the sentences JSON-encoded with ids inside <slant_data> … </slant_data>.
// JSON encoding escapes "<" and ">", so no article text can close the
// block early. Where the server supports it, the answer shape is also sent
// as a strict JSON-schema response format; a server that rejects
// response_format gets the same prompt without it (the client remembers
// this) and the answer is read tolerantly: code fences and <think> blocks
// are stripped and the first JSON value is taken.
//
// # What is believed
//
// Nothing from the model is returned raw. Every judgement is checked: a
// known bias type, strength in [0, 1], a sentence id in range and not
// repeated, a non-empty one-sentence explanation, a rewrite only when the
// type is not none, and length limits. A judgement that fails is dropped
// with a logged warning and counted in Meta.Dropped; a sentence left
// without a judgement is counted in Meta.Unjudged. An answer that is not
// JSON at all is asked for once more, then the chunk is given up
// (Meta.FailedChunks); when no chunk gives anything usable the call fails
// with ErrInvalidOutput.
//
// # Cost and safety
//
// Long articles are cut into chunks of whole sentences under
// Config.TokenBudget (tokens estimated as bytes/4), each sent as its own
// request, with ids local to the chunk mapped back to the article's
// sentence indexes. Requests share one client-wide concurrency limit and
// rate limit, each has its own timeout, and 429 and 5xx answers are
// retried with exponential backoff and jitter, honouring Retry-After. Each
// validated chunk answer is stored in a Cache under CacheKey (task, prompt
// version, model and a SHA-256 of exactly the data sent), so the same
// sentences are never paid for twice.
package llm
