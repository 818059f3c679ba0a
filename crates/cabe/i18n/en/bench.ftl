# cabe bench's table, progress lines, notes and errors, in English (the words it printed before
# the catalogs; --json keeps its own English notes).

bench-header = { $model } on { $server } at { $url } ({ $server }{ $version })
bench-predicted-for = predicted for { $source } on { $machine }
bench-no-model = (no model)
bench-col-prompt = prompt
bench-col-prefill = prefill tok/s
bench-col-predicted = predicted
bench-col-first-token = first token
bench-col-decode = decode tok/s
bench-legend = × = measured ÷ predicted (typical); { $gen } tokens generated after each prompt; prompts sized { $exact ->
    [yes] with the server's tokenizer
   *[no] from an estimate (Ollama has no tokenizer endpoint)
}
bench-stored = stored as run { $id } in { $path }
bench-not-stored = not stored (--no-save)
bench-corrected = later predictions for this machine and backend: corrected by { $runs } measured { $runs ->
    [one] run
   *[other] runs
}: { $parts }
bench-factor-decode = ×{ $factor } decode
bench-factor-prefill = ×{ $factor } prefill

## Progress (the bar's message)

bench-progress-warm-up = warming up { $model } on { $server } at { $url }
bench-progress-prompt = prompt of { $tokens } tokens{ $eta }
bench-progress-eta = , ~{ $time } predicted

## Notes

bench-note-remote = { $url } is not on this machine: compared with this machine's figures (--on HARDWARE_ID to name the server's)
bench-note-no-prediction = no prediction: { $error } (give --predict-as MODEL)
bench-note-capped = { $sizes } above the context of { $ctx } tokens: capped (--ctx{ $llama_server ->
    [yes] , or restart llama-server with a larger -c
   *[no] {""}
} to raise it)
bench-note-stopped-early = the model stopped generating early: decode figures rest on few tokens

## Where the prediction's figures come from

bench-source-file = the server's model file { $path }
bench-source-show = Ollama's /api/show for { $model } (metadata and tensors)

## Errors

bench-size-not-number = --prompt-sizes: '{ $part }' is not a number of tokens
bench-size-range = --prompt-sizes: { $part } is out of range (1 to 16M tokens)
bench-sizes-empty = --prompt-sizes: give at least one size
bench-gen-tokens-range = --gen-tokens must be between 1 and 4096
bench-no-room = the context ({ $ctx }) leaves no room for a prompt and { $gen } generated tokens
bench-prompt-failed = the { $tokens } token prompt

## The server's errors (cabe-bench's ServerError, re-worded from its fields)

bench-server-or = {" "}or{" "}
bench-server-down = no server answers at { $url } ({ $detail }); start llama-server or Ollama, or give --url
bench-server-slow = { $server } at { $url } did not answer { $endpoint } within { $secs } s{ $hint ->
    [loading] {" "}(hung, or still loading the model)
    [generating] {" "}(a long prompt on a slow machine can take minutes: raise --timeout)
   *[none] {""}
}
bench-server-status = { $server } at { $url } answered { $endpoint } with HTTP { $status }: { $message }
bench-server-malformed = { $server } at { $url } answered { $endpoint } with something that is not its JSON: { $detail }
bench-server-too-large = { $server } at { $url } sent a reply to { $endpoint } larger than { $limit } bytes
bench-server-broken = { $server } at { $url } stopped answering during { $endpoint } (it crashed, closed the connection, or sent something that is not HTTP): { $detail }
bench-server-bad-url = bad server URL '{ $url }': { $detail }
