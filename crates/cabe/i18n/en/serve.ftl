# cabe serve's start-up lines on stderr, in English. The stdout line "listening on http://…"
# is read by scripts and tests and is never translated.

serve-not-loopback = cabe serve: warning: listening on { $address }, not loopback: anyone who can reach it can ask it (what it answers is read-only)
serve-started = cabe serve: the page at http://{ $address }/, the API described at http://{ $address }/api/openapi.json; Ctrl-C stops it
